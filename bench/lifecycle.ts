/**
 * `npm run bench:lifecycle [-- --n 200 --concurrency 10 --server dev|production]`: N hazards driven
 * through the API from creation to closure beside N bare workflows with as many activities, on one
 * Temporal server (the dev server on SQLite, or `--server production`: the production server on
 * Postgres, as docker-compose runs it) with the worker in this process. Prints both rates and
 * their ratio and writes bench/results/lifecycle-<time>.json. Uses DATABASE_URL / TEMPORAL_ADDRESS
 * when set.
 *
 * `--figures`: then also what the leaders' figures cost the lives: the same N again with the
 * figures' triggers off, and once more with them on (folding every 5 s as the worker does), so
 * the order of the runs shows beside the cost.
 *
 * `--bare-local`: also the bare workflow with local activities, as a second baseline: what the
 * baseline would become if a life's recording steps ran as local activities.
 *
 * Every run is preceded by an unmeasured warm-up of `--warmup` lives (default: N/5, at least 5,
 * at most 40): the first lives of a process compile code and fill caches, and counting them made
 * whichever run came first look slower.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { createUser } from '../db/directory';
import { hashPassword } from '../auth/passwords';
import { LocalDiskStore } from '../evidence/store';
import { randomBytes } from 'node:crypto';
import { createDubanWorker } from '../temporal/create-worker';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SuspensionGateway } from '../temporal/suspension-gateway';
import { installSdkLogging } from '../temporal/runtime-logging';
import { formatResult, measureLifecycle } from './lifecycle-measure';
import { benchServers, describeServer, say, temporalKindOf, writeResult } from './bench-servers';
import { keepFiguresFolded } from '../db/figures/fold-loop';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

/** Runs `work` with the figures' triggers on or off, and puts them back on after. */
async function withFigureTriggers<T>(db: Database, on: boolean, work: () => Promise<T>): Promise<T> {
  const set = (state: 'enable' | 'disable') =>
    db.execute(sql.raw(`alter table hazards ${state} trigger hazards_figures; alter table hazards ${state} trigger hazards_inserted_figures; alter table hazard_events ${state} trigger hazard_events_figures`));
  if (!on) await set('disable');
  try {
    return await work();
  } finally {
    await set('enable');
  }
}

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '10' },
    figures: { type: 'boolean', default: false },
    'bare-local': { type: 'boolean', default: false },
    warmup: { type: 'string' },
    server: { type: 'string', default: 'dev' },
  },
});
const n = Number(values.n);
const warmup = values.warmup === undefined ? Math.min(40, Math.max(5, Math.round(n / 5))) : Number(values.warmup);
const concurrency = Number(values.concurrency);
const temporalKind = temporalKindOf(values.server);
const BENCH_PASSWORD = randomBytes(18).toString('base64url');

async function logIn(apiBaseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${apiBaseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`log-in as ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
const log = pino({ level: 'warn' });
installSdkLogging(log);
const servers = await benchServers(20, temporalKind);
const { work, stops, stamp } = servers;
try {
  const { database, regionId, enterpriseId } = servers;
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await createUser(database.db, 'bench', { username: `bench-sup-${stamp}`, displayName: '基准执法员', role: 'supervisor', regionId, passwordHash });
  await createUser(database.db, 'bench', { username: `bench-ent-${stamp}`, displayName: '基准企业', role: 'enterprise', regionId, enterpriseId, passwordHash });

  const taskQueue = `bench-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  stops.push(() => nativeConnection.close());
  const worker = await createDubanWorker({ connection: nativeConnection, namespace: 'default', taskQueue, db: database.db });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
  });

  const connection = await Connection.connect({ address: servers.temporalAddress });
  stops.push(() => connection.close());
  const client = new Client({ connection });
  const evidenceDir = join(work, 'evidence');
  const app = createApp({
    db: database.db,
    temporal: client,
    hazards: new HazardGateway(client, taskQueue),
    notices: new NoticeGateway(client, taskQueue),
    suspensions: new SuspensionGateway(client, taskQueue),
    evidence: new LocalDiskStore(evidenceDir),
    tokens: { secret: randomBytes(32), ttlSeconds: 3600 },
    // One enterprise user drives every life here: lift the per-person upload limit.
    uploadsPerMinute: 100_000,
    log,
    clock: Date.now,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  stops.push(() => new Promise<void>((r) => server.close(() => r())));
  const apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  say(`running N=${n} at concurrency ${concurrency} on the ${describeServer(temporalKind)}`);
  const supervisorToken = await logIn(apiBaseUrl, `bench-sup-${stamp}`);
  const enterpriseToken = await logIn(apiBaseUrl, `bench-ent-${stamp}`);
  const options = { n, concurrency, apiBaseUrl, enterpriseId, supervisorToken, enterpriseToken, client, taskQueue, costs: true, db: database.db, bareLocal: values['bare-local'] };
  const stopFolding = keepFiguresFolded(database.db, log);
  stops.push(stopFolding);
  if (warmup > 0) {
    say(`warming up with ${warmup} lives (not counted)`);
    await measureLifecycle({ ...options, n: warmup });
  }
  const result = await measureLifecycle(options);
  console.log(formatResult(result));
  if (values.figures) {
    const off = await withFigureTriggers(database.db, false, () => measureLifecycle(options));
    const again = await measureLifecycle(options);
    const upkeep = { withFigures: [result.lifecycle.perSecond, again.lifecycle.perSecond], withoutFigures: off.lifecycle.perSecond };
    const cost = 1 - (upkeep.withFigures[0]! + upkeep.withFigures[1]!) / 2 / upkeep.withoutFigures;
    console.log(
      `figures' upkeep: lives ${upkeep.withFigures.map((r) => r.toFixed(1)).join(' and ')}/s with the figures, ${upkeep.withoutFigures.toFixed(1)}/s without (between them): cost ${(cost * 100).toFixed(1)}% (goal <= 10%)`,
    );
    await writeResult('lifecycle', { server: temporalKind, ...result, figures: { ...upkeep, cost } });
  } else {
    await writeResult('lifecycle', { server: temporalKind, ...result });
  }
} finally {
  await servers.close();
}
