/**
 * `npm run bench:lifecycle [-- --n 200 --concurrency 10]`: N hazards driven through the API from
 * creation to closure beside N bare workflows with as many activities, on one Temporal dev
 * server (SQLite) with the worker in this process. Prints both rates and their ratio and writes
 * bench/results/lifecycle-<time>.json. Uses DATABASE_URL / TEMPORAL_ADDRESS when set.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { useAuditKey } from '../db/audit-key';
import { createEnterprise, createRegion, createUser } from '../db/directory';
import { hashPassword } from '../auth/passwords';
import { LocalDiskStore } from '../evidence/store';
import { randomBytes } from 'node:crypto';
import { createDubanWorker } from '../temporal/create-worker';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SuspensionGateway } from '../temporal/suspension-gateway';
import { installSdkLogging } from '../temporal/runtime-logging';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { obtainDevServer } from '../scripts/toolchain/temporal-servers';
import { startEmbeddedPostgres } from '../scripts/toolchain/postgres';
import { formatResult, measureLifecycle } from './lifecycle-measure';

const { values } = parseArgs({ options: { n: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '10' } } });
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const say = (m: string) => console.error(`[bench] ${m}`);
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
// The bench's own database: a key of its own unless one is given.
useAuditKey(process.env.AUDIT_HMAC_KEY ?? randomBytes(32).toString('hex'));

const work = await mkdtemp(join(tmpdir(), 'duban-bench-'));
await chmod(work, 0o711);
const stops: Array<() => Promise<void>> = [async () => rm(work, { recursive: true, force: true })];
try {
  let dbUrl = process.env.DATABASE_URL;
  if (!dbUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false, log: say });
    stops.push(pg.stop);
    dbUrl = pg.url;
  }
  let address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    const dev = await obtainDevServer({ searchAttributes: { ...SEARCH_ATTRIBUTES }, log: say });
    stops.push(dev.stop);
    address = dev.address;
  }
  await migrateDatabase(dbUrl);
  const database = connectDatabase(dbUrl, 20);
  stops.push(database.close);
  const stamp = Date.now();
  const region = await createRegion(database.db, 'bench', { id: `bench-${stamp}`, name: '基准市', level: 'city' });
  const enterprise = await createEnterprise(database.db, 'bench', { name: '基准测试企业', creditCode: `BENCH${stamp}`, regionId: region.id });
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await createUser(database.db, 'bench', { username: `bench-sup-${stamp}`, displayName: '基准执法员', role: 'supervisor', regionId: region.id, passwordHash });
  await createUser(database.db, 'bench', { username: `bench-ent-${stamp}`, displayName: '基准企业', role: 'enterprise', regionId: region.id, enterpriseId: enterprise.id, passwordHash });

  const taskQueue = `bench-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  stops.push(() => nativeConnection.close());
  const worker = await createDubanWorker({ connection: nativeConnection, namespace: 'default', taskQueue, db: database.db });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
  });

  const connection = await Connection.connect({ address });
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

  say(`running N=${n} at concurrency ${concurrency}`);
  const supervisorToken = await logIn(apiBaseUrl, `bench-sup-${stamp}`);
  const enterpriseToken = await logIn(apiBaseUrl, `bench-ent-${stamp}`);
  const result = await measureLifecycle({ n, concurrency, apiBaseUrl, enterpriseId: enterprise.id, supervisorToken, enterpriseToken, client, taskQueue });
  console.log(formatResult(result));
  const dir = fileURLToPath(new URL('./results', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `lifecycle-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  console.log(`result written to ${file}`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
