/**
 * `npm run bench:burst [-- --k 300 --pool 10 --tuned-first]`: K overdue hazards started at once through the
 * gateway, caught up by a worker with the SDK's default options and then by one with slots set
 * from the database pool (see bench/burst-measure.ts). One Temporal dev server (SQLite) and the
 * worker in this process; DATABASE_URL / TEMPORAL_ADDRESS when set. Prints both runs and writes
 * bench/results/burst-<time>.json.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { WORKFLOWS_PATH } from '../temporal/create-worker';
import { installSdkLogging } from '../temporal/runtime-logging';
import { formatBurst, measureBurst } from './burst-measure';
import { benchServers, say, writeResult } from './bench-servers';

const { values } = parseArgs({ options: { k: { type: 'string', default: '300' }, pool: { type: 'string', default: '10' }, 'tuned-first': { type: 'boolean', default: false } } });
const k = Number(values.k);
const poolSize = Number(values.pool);
installSdkLogging(pino({ level: 'warn' }));

const servers = await benchServers(poolSize);
const { work, stops } = servers;
try {
  const { database, enterpriseId } = servers;
  const bundlePath = join(work, 'workflow-bundle.js');
  await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH })).code);
  const nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  stops.push(() => nativeConnection.close());
  const connection = await Connection.connect({ address: servers.temporalAddress });
  stops.push(() => connection.close());
  const client = new Client({ connection });

  say(`burst of K=${k} overdue hazards, database pool ${poolSize}`);
  const runs = await measureBurst({ k, client, connection: nativeConnection, namespace: 'default', db: database.db, enterpriseId, poolSize, workflowBundlePath: bundlePath, tunedFirst: values['tuned-first'] });
  console.log(formatBurst(runs));
  await writeResult('burst', { k, poolSize, tunedFirst: values['tuned-first'], runs });
} finally {
  await servers.close();
}
