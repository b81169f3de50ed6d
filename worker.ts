/**
 * The worker process: runs hazard workflows and their activities (a stock import's on a queue of
 * their own, create-worker.ts), and keeps the leaders' figures folded. Scale by running more of it.
 * SIGTERM/SIGINT drain in-flight tasks (the Temporal runtime handles the signals), then the
 * database pool closes.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parseConfig, requireSetting, workerCacheSize, workerSlots } from './config';
import { connectProcessDatabase } from './db/process-database';
import { createLogger } from './logger';
import { activityRetries } from './temporal/activity-failures';
import { ensureCampaignSnapshotSchedule } from './temporal/campaign-snapshot-schedule';
import { createDubanWorker } from './temporal/create-worker';
import { LocalDiskStore } from './evidence/store';
import { installSdkLogging } from './temporal/runtime-logging';
import { keepFiguresFolded } from './db/figures/fold-loop';
import { configuredChannels } from './activities/channels/configured';
import { keepDispatching } from './activities/delivery-dispatcher';
import { setUpReviewPackSchedules } from './temporal/review-pack-schedules';

const config = parseConfig();
const log = createLogger(config, 'worker');
installSdkLogging(log, { metricsBindAddress: config.WORKER_METRICS_PORT ? `${config.METRICS_HOST}:${config.WORKER_METRICS_PORT}` : undefined });
// While the database is away, activities fail and Temporal retries them; the process stays up.
const database = connectProcessDatabase(config, log);
const connection = await NativeConnection.connect({ address: requireSetting(config, 'TEMPORAL_ADDRESS') });
const slots = workerSlots(config);
const maxCachedWorkflows = workerCacheSize(config);
try {
  const worker = await createDubanWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: database.db,
    files: new LocalDiskStore(config.EVIDENCE_DIR),
    workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
    slots,
    importSlots: config.WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES,
    maxCachedWorkflows,
  });
  // Polling first, then the word that the worker started: in a rolling restart the old worker is
  // stopped on that word, and tasks must not wait meanwhile for a worker that has yet to poll.
  const running = worker.run();
  running.catch(() => undefined); // awaited below; a failure meanwhile is not unhandled
  log.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      importTaskQueue: worker.stockImports.options.taskQueue,
      namespace: config.TEMPORAL_NAMESPACE,
      slots,
      importSlots: config.WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES,
      maxCachedWorkflows,
    },
    'worker started',
  );
  // A supervising parent (npm start) counts the worker as up from here.
  process.send?.('ready');
  await setUpSchedules();
  // Retries per activity type, every few minutes while there are any: a poison record shows here.
  const retryReport = setInterval(() => {
    if (activityRetries.size) log.info({ activityRetries: Object.fromEntries(activityRetries) }, 'activity retries so far');
  }, 5 * 60_000).unref();
  // The leaders' figures follow the records within seconds (db/figures/).
  const stopFolding = keepFiguresFolded(database.db, log);
  // Notifications leave the outbox on the configured channels (none configured: the inbox only).
  const channels = configuredChannels(config);
  const stopDispatching = keepDispatching(database.db, channels, log, config.NOTIFY_DISPATCH_EVERY_MS);
  log.info({ channels: [...channels.keys()] }, 'notification channels');
  await running;
  clearInterval(retryReport);
  await stopFolding();
  await stopDispatching();
  log.info({ activityRetries: Object.fromEntries(activityRetries) }, 'worker stopped');
} finally {
  await connection.close();
  await database.close();
}

/**
 * The schedules this worker's workflows run on (campaign snapshots; each jurisdiction's review
 * meetings, brought to their policies). A failure is logged and the worker runs on: the next
 * start retries.
 */
async function setUpSchedules(): Promise<void> {
  let scheduling: Connection | undefined;
  try {
    scheduling = await Connection.connect({ address: requireSetting(config, 'TEMPORAL_ADDRESS') });
    const client = new Client({ connection: scheduling, namespace: config.TEMPORAL_NAMESPACE });
    const set = async (schedule: string, work: () => Promise<unknown>) => {
      try {
        log.info({ schedule, outcome: await work() }, 'schedule set up');
      } catch (err) {
        log.error({ err, schedule }, 'schedule not set up; it waits for the next start');
      }
    };
    await set('campaign-snapshots', () => ensureCampaignSnapshotSchedule(client, config.TEMPORAL_TASK_QUEUE));
    await set('review-packs', () => setUpReviewPackSchedules(client, database.db, config.TEMPORAL_TASK_QUEUE));
  } catch (err) {
    log.error({ err }, 'schedules not set up: Temporal not reached; they wait for the next start');
  } finally {
    await scheduling?.close();
  }
}
