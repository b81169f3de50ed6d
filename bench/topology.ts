/**
 * `npm run bench:topology [-- --n 200 --concurrency 20 --server production|dev]`: the lifecycle
 * rate of the production topology on this machine. The production Temporal server on Postgres,
 * two worker processes and two API processes, each started as docker-compose starts them
 * (worker.ts, api/server.ts, a prebuilt workflow bundle, one task queue, one evidence folder);
 * N hazards driven from registration to closure through the two APIs in turn, beside N bare
 * workflows making as many activity calls on the same worker processes (the lifecycle benchmark's
 * baseline, here with the API and the workers in processes of their own, as deployed). Then, on
 * the same servers in the same run, the same through one API and one worker (the other two
 * stopped). Prints the rates, the ratios and each process's CPU, and writes
 * bench/results/topology-<time>.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { hashPassword } from '../auth/passwords';
import { createUser } from '../db/directory';
import { buildWorkflowBundle } from '../scripts/build-workflow-bundle';
import { freePort } from '../scripts/toolchain/ports';
import { benchServers, describeServer, say, temporalKindOf, writeResult } from './bench-servers';
import { benchToken } from './bench-api';
import { RATIO_GOAL, runBare, runLives, type RateResult } from './lifecycle-measure';
import { processCpuSeconds } from './proc';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '20' },
    server: { type: 'string', default: 'production' },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const warmup = Number(values.warmup);
const temporalKind = temporalKindOf(values.server);

/** One project process, run as in production (through tsx, as the image's entry points do). */
interface Service {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startService(name: string, script: string, env: Record<string, string>): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-10_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    output: () => tail,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

async function waitFor(what: string, service: Service, ready: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) throw new Error(`${what}: ${service.name} exited:\n${service.output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// The children key the audit chains as this process does.
process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString('hex');
const servers = await benchServers(4, temporalKind);
const services: Service[] = [];
servers.stops.push(async () => void (await Promise.all(services.map((s) => s.stop()))));
try {
  const { database, stamp, enterpriseId, regionId } = servers;
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  await createUser(database.db, 'bench', { username: `bench-sup-${stamp}`, displayName: '基准执法员', role: 'supervisor', regionId, passwordHash });
  await createUser(database.db, 'bench', { username: `bench-ent-${stamp}`, displayName: '基准企业', role: 'enterprise', regionId, enterpriseId, passwordHash });

  const { path: bundlePath } = await buildWorkflowBundle(join(servers.work, 'workflow-bundle.js'));
  const taskQueue = `bench-topology-${stamp}`;
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: servers.dbUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY,
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    // One folder for both APIs, as a shared volume is in a deployment.
    EVIDENCE_DIR: join(servers.work, 'evidence'),
    // One enterprise user drives every life here: lift the per-person upload limit.
    UPLOADS_PER_MINUTE: '100000',
  };

  const connection = await Connection.connect({ address: servers.temporalAddress });
  servers.stops.push(() => connection.close());
  const pollers = async () => {
    const { pollers } = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
    return (pollers ?? []).map((p) => p.identity ?? '');
  };
  const startWorker = async (name: string) => {
    const worker = startService(name, 'worker.ts', env);
    services.push(worker);
    await waitFor(`${name} polling`, worker, async () => (await pollers()).some((id) => id.startsWith(`${worker.child.pid}@`)));
    return worker;
  };
  const startApi = async (name: string) => {
    const port = await freePort();
    const api = startService(name, 'api/server.ts', { ...env, API_HOST: '127.0.0.1', API_PORT: String(port) });
    services.push(api);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${name} ready`, api, async () => (await fetch(`${base}/api/health/ready`)).status === 200);
    return { api, base };
  };

  say(`starting two workers and two APIs on the ${describeServer(temporalKind)}`);
  const [worker1, worker2, one, two] = await Promise.all([startWorker('worker-1'), startWorker('worker-2'), startApi('api-1'), startApi('api-2')]);
  const supervisorToken = await benchToken(one.base, `bench-sup-${stamp}`, password);
  const enterpriseToken = await benchToken(one.base, `bench-ent-${stamp}`, password);
  const lives = (count: number, bases: string[]) =>
    runLives({ n: count, concurrency, api: (i) => bases[i % bases.length]!, enterpriseId, supervisorToken, enterpriseToken });

  const client = new Client({ connection });
  /** CPU milliseconds each process spent per item while `work` ran. */
  const cpuOf = async (running: Service[], count: number, work: () => Promise<RateResult>) => {
    const before = processCpuSeconds(running.map((s) => s.child.pid!));
    const rate = await work();
    const after = processCpuSeconds(running.map((s) => s.child.pid!));
    const cpuMsPerLife = Object.fromEntries(running.map((s) => [s.name, Math.round((((after[s.child.pid!] ?? 0) - (before[s.child.pid!] ?? 0)) * 1000) / count)]));
    return { rate, cpuMsPerLife };
  };
  /** Bare workflows on these workers, then lives through these APIs, each after a warm-up. */
  const measured = async (label: string, bases: string[], running: Service[]) => {
    say(`${label}: warming up with ${warmup} bare workflows and ${warmup} lives, then ${n} of each`);
    const bareOnce = (count: number) => runBare({ n: count, concurrency, client, taskQueue });
    if (warmup > 0) await bareOnce(warmup);
    const bare = await cpuOf(running, n, () => bareOnce(n));
    if (warmup > 0) await lives(warmup, bases);
    const life = await cpuOf(running, n, () => lives(n, bases));
    return { bare, life, ratio: life.rate.perSecond / bare.rate.perSecond };
  };

  const pair = await measured('two workers and two APIs', [one.base, two.base], [worker1, worker2, one.api, two.api]);
  await Promise.all([worker2.stop(), two.api.stop()]);
  const single = await measured('one worker and one API', [one.base], [worker1, one.api]);

  const line = (name: string, r: RateResult, unit: string) =>
    `${name.padEnd(34)} ${r.perSecond.toFixed(1).padStart(6)} ${unit}/s   p50 ${String(r.p50ms).padStart(5)} ms   p95 ${String(r.p95ms).padStart(5)} ms   (${r.count} in ${r.seconds.toFixed(1)} s)`;
  const cpu = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v} ms`).join(', ');
  const block = (name: string, m: typeof pair) => [
    line(`${name}: bare workflows`, m.bare.rate, 'workflows'),
    line(`${name}: hazard lives via API`, m.life.rate, 'lives'),
    `${name}: ratio lives/bare ${m.ratio.toFixed(2)} (goal >= ${RATIO_GOAL.toFixed(2)}); CPU per item: bare ${cpu(m.bare.cpuMsPerLife)}; life ${cpu(m.life.cpuMsPerLife)}`,
  ];
  console.log(
    [
      `topology benchmark on the ${describeServer(temporalKind)}: N=${n}, concurrency ${concurrency}`,
      ...block('two workers, two APIs', pair),
      ...block('one worker, one API', single),
      `lives, two pairs / one pair: ${(pair.life.rate.perSecond / single.life.rate.perSecond).toFixed(2)}`,
    ].join('\n'),
  );
  await writeResult('topology', { server: temporalKind, n, concurrency, pair, single, pairs: pair.life.rate.perSecond / single.life.rate.perSecond });
} finally {
  await servers.close();
}
