/**
 * `npm start`: the whole of duban on one machine. Starts Postgres (unless DATABASE_URL) and a
 * Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), applies migrations, runs the
 * worker and the API as their own supervised processes (restarted when they crash), loads demo
 * data into an empty database, prints the URLs once every process is ready, and on Ctrl-C stops
 * the API, the worker, Temporal, then Postgres. Data lives in .data/ (or DUBAN_DATA_DIR) and survives.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseConfig } from '../config';
import { useAuditKey } from '../db/audit-key';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { ensureServiceLogin } from '../db/service-login';
import { CAMPAIGN_SNAPSHOT_SCHEDULE_ID } from '../temporal/campaign-snapshot-schedule';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed-demo';
import { obtainDevServer } from './toolchain/temporal-servers';
import { startEmbeddedPostgres } from './toolchain/postgres';
import { indentTail, runWithProgress } from './toolchain/run';
import { readyMessage, supervise, type ReadyCheck } from './supervise';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = resolve(process.env.DUBAN_DATA_DIR || join(ROOT, '.data'));
const PG_PORT = Number(process.env.DUBAN_PG_PORT || 54329);
const TEMPORAL_PORT = Number(process.env.DUBAN_TEMPORAL_PORT || 7233);
const TEMPORAL_UI_PORT = Number(process.env.DUBAN_TEMPORAL_UI_PORT || 8233);
// The worker bundles the workflows before it polls: minutes on a slow machine, the first time.
const WORKER_READY_MS = 300_000;
const API_READY_MS = 120_000;
// The worker drains its activities for up to 20 s (create-worker.ts) before it exits.
const WORKER_STOP_GRACE_MS = 30_000;

const started = Date.now();
const say = (msg: string) => console.log(`[duban ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
/** What runs. Stopped each after what depends on it: whatever the order they were started in. */
const STOP_ORDER = ['api', 'worker', 'temporal', 'postgres'] as const;
const running: Array<{ name: (typeof STOP_ORDER)[number]; stop: () => Promise<void> }> = [];

async function main() {
  const config = parseConfig();
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  await mkdir(DATA, { recursive: true });
  if (!process.env.EVIDENCE_DIR?.trim()) env.EVIDENCE_DIR = join(DATA, 'evidence');

  // Bundled once, while the servers start (in a process of its own: webpack would hold this
  // event loop), so a worker restarted after a crash polls again without running webpack again.
  const bundled = config.WORKFLOW_BUNDLE_PATH ? Promise.resolve(config.WORKFLOW_BUNDLE_PATH) : bundleWorkflows(join(DATA, 'workflow-bundle.js'));
  bundled.catch(() => undefined); // awaited below; a failure before then must not go unhandled

  let pgDataDir: string | undefined;
  if (!config.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({ dataDir: join(DATA, 'postgres'), port: PG_PORT, persistent: true, log: say });
    running.push({ name: 'postgres', stop: () => pg.stop().then(() => say('postgres stopped')) });
    env.DATABASE_URL = pg.url;
    pgDataDir = pg.dataDir;
  }
  if (shuttingDown) return;
  if (!config.TEMPORAL_ADDRESS) {
    const dev = await obtainDevServer({
      dbFile: join(DATA, 'temporal.db'),
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: { ...SEARCH_ATTRIBUTES },
      log: say,
    });
    running.push({ name: 'temporal', stop: () => dev.stop().then(() => say('temporal stopped')) });
    env.TEMPORAL_ADDRESS = dev.address;
    if (dev.uiUrl) env.TEMPORAL_UI_URL = dev.uiUrl;
  }
  if (shuttingDown) return;
  if (!config.AUTH_TOKEN_SECRET) env.AUTH_TOKEN_SECRET = await localSecret('token-secret');
  if (!config.AUDIT_HMAC_KEY) env.AUDIT_HMAC_KEY = await localSecret('audit-key');
  const settings = parseConfig(env);
  // Migrations sign old chains' heads and the seed records admin changes: both need the key.
  useAuditKey(settings.AUDIT_HMAC_KEY!);

  await migrateDatabase(env.DATABASE_URL!);
  say('database migrated');
  // The seed writes as the owner; the API and the worker connect as the service login.
  const ownerUrl = env.DATABASE_URL!;
  if (!config.DATABASE_URL) env.DATABASE_URL = await ensureServiceLogin(ownerUrl, 'duban_service', await localSecret('service-password'));
  if (shuttingDown) return;

  // The API needs no workflow code: it starts while the workflows may still be bundling.
  const apiUrl = `http://${settings.API_HOST}:${settings.API_PORT}/api`;
  const api = supervise({ ...child('api', 'api/server.ts', env), ready: healthAnswers(`${apiUrl}/health`, API_READY_MS) });
  running.push({ name: 'api', stop: api.stop });
  // An API that cannot start (port taken) is told at once, not after the bundling.
  const workerEnv = { ...env, WORKFLOW_BUNDLE_PATH: await Promise.race([bundled, api.started.then(() => bundled)]) };
  if (shuttingDown) return;
  const worker = supervise({ ...child('worker', 'worker.ts', workerEnv), ready: readyMessage(WORKER_READY_MS), stopGraceMs: WORKER_STOP_GRACE_MS });
  running.push({ name: 'worker', stop: worker.stop });
  await Promise.all([
    worker.started.then(() => say(`worker polling (pid ${worker.pid})`)),
    api.started.then(() => say(`api healthy (pid ${api.pid})`)),
  ]);

  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
  const database = connectDatabase(ownerUrl, 2);
  try {
    const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
    const gateway = new HazardGateway(client, settings.TEMPORAL_TASK_QUEUE);
    const seeded = await seedDemo(database.db, gateway, new NoticeGateway(client, settings.TEMPORAL_TASK_QUEUE), apiUrl, say);
    if (seeded) {
      // The demo campaign's burn-down now rather than at the schedule's next hour (the worker set the schedule up).
      await client.schedule.getHandle(CAMPAIGN_SNAPSHOT_SCHEDULE_ID).trigger().catch((err: unknown) => say(`campaign snapshots wait for the schedule: ${String(err)}`));
    } else say('existing data kept (demo data is loaded into an empty database only)');
  } finally {
    await connection.close();
    await database.close();
  }
  if (shuttingDown) return;

  console.log(`
  duban is running (${((Date.now() - started) / 1000).toFixed(1)} s)
    API            ${apiUrl}
    Health         ${apiUrl}/health
    Hazards        ${apiUrl}/hazards
    Temporal UI    ${env.TEMPORAL_UI_URL ?? settings.TEMPORAL_UI_URL ?? '(external Temporal: see its own UI)'}
    Postgres       ${redact(env.DATABASE_URL!)}${pgDataDir ? ` (cluster in ${pgDataDir})` : ''}
    Pages          http://${settings.API_HOST}:${settings.API_PORT}/
    API docs       ${apiUrl}/docs
  Demo users (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.username.padEnd(20)} ${u.role.padEnd(11)} ${u.displayName}`).join('\n')}
  Try:
    TOKEN=$(curl -s -X POST ${apiUrl}/auth/login -H 'content-type: application/json' \\
      -d '{"username":"city-leader","password":"${DEMO_PASSWORD}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
    curl -s -H "Authorization: Bearer $TOKEN" '${apiUrl}/hazards?overdue=true'
  Ctrl-C stops everything; data stays in ${DATA}
`);
}

/** A secret kept with the local data (token key, service password), stable across restarts. */
async function localSecret(name: string): Promise<string> {
  const file = join(DATA, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

async function bundleWorkflows(path: string): Promise<string> {
  const result = await runWithProgress(process.execPath, ['--import', 'tsx', 'scripts/build-workflow-bundle.ts', path], {
    cwd: ROOT,
    label: 'bundling workflows',
    log: say,
  });
  if (result.code !== 0) throw new Error(`bundling the workflows failed (${result.signal ?? `exit ${result.code}`}):\n${indentTail(result.tail)}`);
  say('workflows bundled');
  return path;
}

/** A node process of ours under supervision: restarted when it crashes, stopped on Ctrl-C. */
function child(name: string, entry: string, env: Record<string, string>) {
  return {
    name,
    command: process.execPath,
    args: ['--import', 'tsx', entry],
    cwd: ROOT,
    env,
    log: say,
    onGiveUp: (reason: string) => void shutdown(1, `${reason}; stopping everything`),
  };
}

/** Ready when GET `url` answers 200 (the API listens, and reaches Postgres and Temporal). */
function healthAnswers(url: string, timeoutMs: number): ReadyCheck {
  return async (_child, { name, signal }) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (signal.aborted) throw new Error(`${name} exited before it was ready`);
      try {
        if ((await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
}

const redact = (url: string) => url.replace(/:\/\/([^:]+):[^@]+@/, '://$1:***@');

let shuttingDown: Promise<void> | undefined;
function shutdown(code: number, why = 'stopping…'): Promise<void> {
  if (shuttingDown) return shuttingDown;
  shuttingDown = (async () => {
    say(why);
    for (const name of STOP_ORDER) {
      for (let i = running.findIndex((r) => r.name === name); i >= 0; i = running.findIndex((r) => r.name === name)) {
        const [next] = running.splice(i, 1);
        await next!.stop().catch((e: Error) => say(`${name} did not stop cleanly: ${e.message}`));
      }
    }
    say('stopped');
    process.exit(code);
  })();
  return shuttingDown;
}

// The children run in process groups of their own: a Ctrl-C reaches only this process, which
// stops them in order.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));
// Nothing may end this process without stopping the servers, or with a bare stack trace.
const unexpected = (error: unknown) => {
  console.error(`\nduban: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
};
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);

main().catch((error: Error) => {
  if (shuttingDown) return; // stopped while starting: what failed was stopped on purpose
  console.error(`\nduban could not start: ${error.message}`);
  void shutdown(1);
});
