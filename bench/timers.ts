/**
 * `npm run bench:timers [-- --open 2000 --burst 500 --rate 25 --server dev|production --kind probe|office-hour]`:
 * how late timers fire with N hazard workflows open, for a burst of B due in the same minute,
 * beside a cron sweeper (one SQL sweep a minute) over the same B due instants, in the same run (see
 * bench/timers-measure.ts). `--server production` runs it on the production Temporal server on
 * Postgres (scripts/toolchain/temporal-cluster.ts) instead of the dev server. The worker runs in
 * this process; its RSS and the server's are sampled. Writes bench/results/timers-<time>.json.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { connectDatabase } from '../db/client';
import { benchServers, describeServer, say, temporalKindOf, writeResult } from './bench-servers';
import { listenerPid, rssOf } from './proc';
import { measureTimers } from './timers-measure';
import { formatTimers } from './timers-report';
import type { BurstKind } from './timers-window';

const { values } = parseArgs({
  options: {
    open: { type: 'string', default: '2000' },
    burst: { type: 'string', default: '500' },
    rate: { type: 'string', default: '25' },
    concurrency: { type: 'string', default: '20' },
    pool: { type: 'string', default: '10' },
    cache: { type: 'string', default: '0' },
    lead: { type: 'string', default: '60' },
    period: { type: 'string', default: '60' },
    spread: { type: 'string', default: '60' },
    timeout: { type: 'string', default: '300' },
    server: { type: 'string', default: 'dev' },
    kind: { type: 'string', default: 'probe' },
  },
});
const server = temporalKindOf(values.server);
const kind = values.kind as BurstKind;
if (kind !== 'probe' && kind !== 'office-hour') throw new Error(`--kind probe or office-hour, not ${values.kind}`);
const poolSize = Number(values.pool);

Runtime.install({ logger: new DefaultLogger('WARN') });

const servers = await benchServers(poolSize, server);
try {
  const bundle = await bundleWorkflowCode({ workflowsPath: new URL('./timers.workflows.ts', import.meta.url).pathname, logger: new DefaultLogger('WARN') });
  const workflowBundlePath = join(servers.work, 'timers-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);
  const native = await NativeConnection.connect({ address: servers.temporalAddress });
  servers.stops.push(() => native.close());
  const connection = await Connection.connect({ address: servers.temporalAddress });
  servers.stops.push(() => connection.close());
  const sweeper = connectDatabase(servers.dbUrl, 1);
  servers.stops.push(sweeper.close);

  const port = Number(servers.temporalAddress.split(':').pop());
  const serverPid = /^(127\.0\.0\.1|localhost)$/.test(servers.temporalAddress.split(':')[0] ?? '') ? await listenerPid(port) : null;
  if (serverPid === null) say('the Temporal server is not a local process here: its RSS is not sampled');

  say(`timer lateness on the ${describeServer(server)}: ${values.open} open, burst of ${values.burst}, ${values.rate} starts/s`);
  const result = await measureTimers({
    client: new Client({ connection }),
    connection: native,
    namespace: 'default',
    db: servers.database.db,
    sweeperDb: sweeper.db,
    enterpriseId: servers.enterpriseId,
    workflowBundlePath,
    // As worker.ts sets them from the pool (config.ts workerSlots).
    slots: { activities: poolSize, workflowTasks: 2 * poolSize },
    maxCachedWorkflows: Number(values.cache) || undefined,
    open: Number(values.open),
    burst: Number(values.burst),
    rate: Number(values.rate),
    concurrency: Number(values.concurrency),
    leadMs: Number(values.lead) * 1000,
    periodMs: Number(values.period) * 1000,
    spreadMs: Number(values.spread) * 1000,
    kind,
    timeoutMs: Number(values.timeout) * 1000,
    sampleMs: 2000,
    serverRss: serverPid === null ? undefined : () => rssOf(serverPid),
    log: say,
  });
  console.log(formatTimers(result));
  await writeResult('timers', { server, ...result });
} finally {
  await servers.close();
}
