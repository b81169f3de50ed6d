/** The API process: one database pool and one Temporal connection, closed gracefully on SIGTERM. */
import { parseConfig, requireSetting } from '../config';
import { connectProcessDatabase } from '../db/process-database';
import { createLogger } from '../logger';
import { connectTemporalClient } from '../temporal/client-connection';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SuspensionGateway } from '../temporal/suspension-gateway';
import { LocalDiskStore } from '../evidence/store';
import { createApp } from './app';
import { answerClientErrors } from './client-errors';
import { pruneIdempotencyKeys } from '../db/idempotency-keys';
import { pruneRateLimits } from './rate-limit';

const config = parseConfig();
const log = createLogger(config, 'api');
const database = connectProcessDatabase(config, log);
// Lazy: the API starts, and answers 503 for what needs Temporal, while the frontend is still away.
const { connection, client: temporal } = connectTemporalClient({
  address: requireSetting(config, 'TEMPORAL_ADDRESS'),
  namespace: config.TEMPORAL_NAMESPACE,
  limits: { callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS },
});
const app = createApp({
  db: database.db,
  temporal,
  hazards: new HazardGateway(temporal, config.TEMPORAL_TASK_QUEUE),
  notices: new NoticeGateway(temporal, config.TEMPORAL_TASK_QUEUE),
  suspensions: new SuspensionGateway(temporal, config.TEMPORAL_TASK_QUEUE),
  evidence: new LocalDiskStore(config.EVIDENCE_DIR),
  tokens: { secret: new TextEncoder().encode(requireSetting(config, 'AUTH_TOKEN_SECRET')), ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS },
  corsOrigins: config.CORS_ORIGINS,
  trustProxy: config.TRUST_PROXY,
  uploadsPerMinute: config.UPLOADS_PER_MINUTE,
  exportRowLimit: config.EXPORT_ROW_LIMIT,
  stockImportRate: config.STOCK_IMPORT_RATE,
  temporalCallTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  uploadTimeoutMs: config.UPLOAD_TIMEOUT_MS,
  log,
  clock: Date.now,
});

const server = app.listen(config.API_PORT, config.API_HOST, () => {
  log.info({ url: `http://${config.API_HOST}:${config.API_PORT}/api` }, 'api listening');
});

answerClientErrors(server);

// Remembered answers and spent rate-limit windows are kept a day, then pruned.
const DAY_MS = 24 * 60 * 60 * 1000;
const pruning = setInterval(() => {
  const cutoff = new Date(Date.now() - DAY_MS);
  Promise.all([pruneIdempotencyKeys(database.db, cutoff), pruneRateLimits(database.db, cutoff)]).catch((error: Error) =>
    log.warn({ err: error }, 'pruning failed; will retry'),
  );
}, 60 * 60 * 1000);
pruning.unref();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'api stopping');
  // Stop taking connections, let requests in flight finish, then release the servers.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await connection.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
