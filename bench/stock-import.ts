/**
 * `npm run bench:import [-- --rows 100000 --open-every 10 --rate 50 --format csv|xlsx --dry-run-only]`:
 * a stock of N hazards uploaded as CSV or .xlsx through the API for its dry run (judged behind the
 * upload by the worker; polled), then imported (unless --dry-run-only), the open ones' workflows started
 * at the configured rate by a worker in this process; beside it the same rows inserted bare (see
 * bench/stock-import-measure.ts). One Temporal dev server and an embedded Postgres unless
 * DATABASE_URL / TEMPORAL_ADDRESS are set. Prints the rates and writes bench/results/stock-import-<time>.json.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { hashPassword } from '../auth/passwords';
import { createUser } from '../db/directory';
import { createDubanWorker } from '../temporal/create-worker';
import { installSdkLogging } from '../temporal/runtime-logging';
import { benchServers, say, writeResult } from './bench-servers';
import { benchToken, startBenchApi } from './bench-api';
import { formatStockImport, measureStockImport } from './stock-import-measure';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, 'open-every': { type: 'string', default: '10' }, rate: { type: 'string', default: '50' }, format: { type: 'string', default: 'csv' }, 'dry-run-only': { type: 'boolean', default: false } } });
const rows = Number(values.rows);
const openEvery = Number(values['open-every']);
const rate = Number(values.rate);
if (values.format !== 'csv' && values.format !== 'xlsx') throw new Error('--format is csv or xlsx');
const format = values.format;
installSdkLogging(pino({ level: 'warn' }));

const servers = await benchServers(10);
const { stops, stamp } = servers;
try {
  const { database, regionId } = servers;
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  await createUser(database.db, 'bench', { username: `bench-admin-${stamp}`, displayName: '基准管理员', role: 'admin', regionId, passwordHash });
  await createUser(database.db, 'bench', { username: `bench-sup-${stamp}`, displayName: '基准执法员', role: 'supervisor', regionId, passwordHash });
  // The upload only stores the file (its dry run is judged behind it): the production upload timeout holds.
  const api = await startBenchApi(servers, 'stock-import', { stockImportRate: rate });
  const nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  stops.push(() => nativeConnection.close());
  // The worker judges the uploaded file from the API's store.
  const worker = await createDubanWorker({ connection: nativeConnection, namespace: 'default', taskQueue: api.taskQueue, db: database.db, files: api.evidence });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
  });
  const token = await benchToken(api.baseUrl, `bench-admin-${stamp}`, password);
  say(`stock import of ${rows} rows, one in ${openEvery} open, ${rate} workflow starts/s at most`);
  const run = await measureStockImport({ baseUrl: api.baseUrl, token, db: database.db, enterprise: '基准测试企业', supervisor: `bench-sup-${stamp}`, rows, openEvery, format, dryRunOnly: values['dry-run-only'] });
  console.log(formatStockImport(run));
  await writeResult('stock-import', { rows, openEvery, rate, format, run });
} finally {
  await servers.close();
}
