/**
 * `npm run bench:burst [-- --k 300 --pool 10 --tuned-first]`: K overdue hazards started at once through the
 * gateway, caught up by a worker with the SDK's default options and then by one with slots set
 * from the database pool (see bench/burst-measure.ts). One Temporal dev server (SQLite) and the
 * worker in this process; DATABASE_URL / TEMPORAL_ADDRESS when set. Prints both runs and writes
 * bench/results/burst-<time>.json.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { createEnterprise, createRegion } from '../db/directory';
import { WORKFLOWS_PATH } from '../temporal/create-worker';
import { installSdkLogging } from '../temporal/runtime-logging';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { obtainDevServer } from '../scripts/toolchain/temporal-servers';
import { startEmbeddedPostgres } from '../scripts/toolchain/postgres';
import { formatBurst, measureBurst } from './burst-measure';

const { values } = parseArgs({ options: { k: { type: 'string', default: '300' }, pool: { type: 'string', default: '10' }, 'tuned-first': { type: 'boolean', default: false } } });
const k = Number(values.k);
const poolSize = Number(values.pool);
const say = (m: string) => console.error(`[bench] ${m}`);
installSdkLogging(pino({ level: 'warn' }));

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
  // The worker's pool: the size its activities share, as in production.
  const database = connectDatabase(dbUrl, poolSize);
  stops.push(database.close);
  const stamp = Date.now();
  const region = await createRegion(database.db, 'bench', { id: `bench-${stamp}`, name: '基准市', level: 'city' });
  const enterprise = await createEnterprise(database.db, 'bench', { name: '基准测试企业', creditCode: `BENCH${stamp}`, regionId: region.id });

  const bundlePath = join(work, 'workflow-bundle.js');
  await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH })).code);
  const nativeConnection = await NativeConnection.connect({ address });
  stops.push(() => nativeConnection.close());
  const connection = await Connection.connect({ address });
  stops.push(() => connection.close());
  const client = new Client({ connection });

  say(`burst of K=${k} overdue hazards, database pool ${poolSize}`);
  const runs = await measureBurst({ k, client, connection: nativeConnection, namespace: 'default', db: database.db, enterpriseId: enterprise.id, poolSize, workflowBundlePath: bundlePath, tunedFirst: values['tuned-first'] });
  console.log(formatBurst(runs));
  const dir = fileURLToPath(new URL('./results', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `burst-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ at: new Date().toISOString(), k, poolSize, tunedFirst: values['tuned-first'], runs }, null, 2));
  console.log(`result written to ${file}`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
