/** The API process: one database pool and one Temporal connection, closed gracefully on SIGTERM. */
import { configuredNotifyChannels, parseConfig, requireSetting } from '../config';
import { connectProcessDatabase } from '../db/process-database';
import { createLogger } from '../logger';
import { connectTemporalClient } from '../temporal/client-connection';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SuspensionGateway } from '../temporal/suspension-gateway';
import { LocalDiskStore } from '../evidence/store';
import { createApp } from './app';
import { documentFonts } from '../documents/fonts';
import { loadFonts } from '../documents/pdf';
import { answerClientErrors } from './client-errors';
import { pruneIdempotencyKeys } from '../db/idempotency-keys';
import { pruneRateLimits } from './rate-limit';
import { apiRegistry } from '../metrics/api-metrics';
import { serveMetrics } from '../metrics/metrics-server';

const config = parseConfig();
const log = createLogger(config, 'api');
const database = connectProcessDatabase(config, log);
// Lazy: the API starts, and answers 503 for what needs Temporal, while the frontend is still away.
const { connection, client: temporal } = connectTemporalClient({
  address: requireSetting(config, 'TEMPORAL_ADDRESS'),
  namespace: config.TEMPORAL_NAMESPACE,
  limits: { callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS },
});
const fonts = documentFonts(config);
// A bureau's font path that cannot be read stops the start, naming the file.
loadFonts(fonts);
const metrics = apiRegistry(database.db);
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
  notifyChannels: configuredNotifyChannels(config),
  documentFonts: fonts,
  stockImportRate: config.STOCK_IMPORT_RATE,
  temporalCallTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  uploadTimeoutMs: config.UPLOAD_TIMEOUT_MS,
  log,
  clock: Date.now,
  metrics,
});

const server = app.listen(config.API_PORT, config.API_HOST, () => {
  log.info({ url: `http://${config.API_HOST}:${config.API_PORT}/api` }, 'api listening');
});

answerClientErrors(server);
const metricsServer = config.METRICS_PORT
  ? await serveMetrics(metrics, config.METRICS_HOST, config.METRICS_PORT).then((s) => {
      log.info({ url: `http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics` }, 'metrics listening');
      return s;
    })
  : undefined;

// Remembered answers and spent rate-limit windows are kept a day, then pruned.
const DAY_MS = 24 * 60 * 60 * 1000;
const pruning = setInterval(() => {
  const cutoff = new Date(Date.now() - DAY_MS);
  Promise.all([pruneIdempotencyKeys(database.db, cutoff), pruneRateLimits(database.db, cutoff)]).catch((error: Error) =>
    log.warn({ err: error }, 'pruning failed; will retry'),
  );
}, 60 * 60 * 1000);
pruning.unref();

/** How long requests in flight may take to finish after SIGTERM: the longest request deadline, and a little. */
const DRAIN_MS = Math.max(config.REQUEST_TIMEOUT_MS, config.UPLOAD_TIMEOUT_MS) + 2_000;
let stopping = false;
// While draining, every answer closes its connection, so no client sends another request down it.
server.on('request', (_req, res) => {
  if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
});
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  log.info({ signal, drainMs: DRAIN_MS }, 'api stopping: no new connections, finishing requests in flight');
  // Stop taking connections, let requests in flight finish (each within its own deadline), then release the servers.
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 200);
  server.closeIdleConnections();
  const overdue = setTimeout(() => {
    log.warn('drain time over: closing the connections still open');
    server.closeAllConnections();
  }, DRAIN_MS);
  await drained;
  clearInterval(idle);
  clearTimeout(overdue);
  metricsServer?.close();
  await connection.close();
  await database.close();
  log.info({ ms: Date.now() - started }, 'api stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
