/** The Express application, without listening: tests and the server process both build it here. */
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { TokenSettings } from '../auth/tokens';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { HazardGateway } from '../temporal/hazard-gateway';
import type { NoticeGateway } from '../temporal/notice-gateway';
import type { SuspensionGateway } from '../temporal/suspension-gateway';
import type { CalendarPublisher } from '../temporal/calendar-publication';
import type { BulkUrger } from '../temporal/bulk-urge';
import type { EvidenceStore } from '../evidence/store';
import type { DocumentFonts } from '../documents/pdf';
import type { Registry } from 'prom-client';
import { httpMetrics } from '../metrics/http-metrics';
import { docsRouter } from './docs';
import { webVendorRouter } from './web-vendor';
import { authenticate } from './middleware/authenticate';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { idempotency } from './middleware/idempotency';
import { jsonBody } from './middleware/json-body';
import { requestDeadline } from './middleware/request-deadline';
import { requestLog } from './middleware/request-log';
import { temporalDeadline } from './middleware/temporal-deadline';
import { buildOpenApi } from './openapi';
import { mountRoutes, type RouteSpec } from './route-spec';
import { figureRoutes } from './routes/figures';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { directoryRoutes } from './routes/directory';
import { directoryChangeRoutes } from './routes/directory-changes';
import { evidenceRoutes } from './routes/evidence';
import { hazardRoutes } from './routes/hazards';
import { inspectionRoutes } from './routes/inspections';
import { hazardActionRoutes } from './routes/hazard-actions';
import { calendarRoutes } from './routes/calendars';
import { campaignRoutes } from './routes/campaigns';
import { healthRoutes } from './routes/health';
import { noticeRoutes } from './routes/notices';
import { noticePreviewRoutes } from './routes/notice-preview';
import { policyRoutes } from './routes/policies';
import { reviewPackRoutes } from './routes/review-packs';
import { suspensionRoutes } from './routes/suspensions';
import { urgeRoutes } from './routes/urges';
import { escalationRoutes } from './routes/escalations';
import { postRoutes } from './routes/posts';
import { inboxRoutes } from './routes/inbox';
import { notificationRoutes } from './routes/notifications';
import type { ExternalChannel } from '../domain/delivery-rules';
import { ledgerRoutes } from './routes/ledgers';
import { documentRoutes } from './routes/documents';
import { caseFileRoutes } from './routes/case-file';
import { stockImportRoutes } from './routes/stock-imports';

/** The pages people use: plain HTML, CSS and ES modules, served as they are (no build step). */
const WEB_DIR = fileURLToPath(new URL('../web', import.meta.url));

export interface AppDeps {
  db: Database;
  temporal: Client;
  hazards: HazardGateway;
  notices: NoticeGateway;
  suspensions: SuspensionGateway;
  /** Starts calendar publications; by default on the hazards' task queue. */
  calendarPublisher?: CalendarPublisher;
  /** Starts bulk urges; by default on the hazards' task queue. */
  bulkUrger?: BulkUrger;
  evidence: EvidenceStore;
  tokens: TokenSettings;
  log: Logger;
  /** Milliseconds since the epoch; injectable so "today" is testable. */
  clock: () => number;
  /** Browser origins allowed to call the API from other sites; none by default. */
  corsOrigins?: string[];
  /** Evidence uploads one user may make per minute (30 unless configured). */
  uploadsPerMinute?: number;
  /** How long a request holds its Idempotency-Key without renewing (10 s unless given). */
  idempotencyLeaseSeconds?: number;
  /** How long a request may spend on calls to Temporal, all told (10 s unless configured). */
  temporalCallTimeoutMs?: number;
  /** Proxies trusted to name the client (config TRUST_PROXY); none unless given. */
  trustProxy?: number | string[];
  /** Deadlines of a request and of an upload, in milliseconds (30 s and 120 s unless configured). */
  requestTimeoutMs?: number;
  uploadTimeoutMs?: number;
  /** The most rows one exported ledger holds (200,000 unless configured). */
  exportRowLimit?: number;
  /** Channels beyond the inbox this installation sends on (config); none unless given. */
  notifyChannels?: readonly ExternalChannel[];
  /** Fonts printed instruments use (Noto Serif SC unless configured). */
  documentFonts?: DocumentFonts;
  /** Where request counts go (served by the ops listener, metrics/metrics-server.ts); none unless given. */
  metrics?: Registry;
  /** Hazard workflows a stock import starts per second (50 unless configured); read when an import starts. */
  stockImportRate?: number;
  /** Rows a stock import takes per transaction (200 unless given). */
  stockImportPageSize?: number;
}

/** The whole route table: every route the API serves, with its access rule. */
export function routeTable(deps: AppDeps): RouteSpec[] {
  return [
    ...healthRoutes(deps),
    ...authRoutes(deps),
    // Before the lists' `/:id` routes, which would take `export.xlsx` for an id.
    ...ledgerRoutes(deps),
    ...stockImportRoutes(deps),
    ...hazardRoutes(deps),
    ...hazardActionRoutes(deps),
    ...calendarRoutes(deps),
    ...inspectionRoutes(deps),
    ...suspensionRoutes(deps),
    ...evidenceRoutes(deps),
    ...noticePreviewRoutes(deps),
    ...noticeRoutes(deps),
    ...directoryRoutes(deps),
    ...directoryChangeRoutes(deps),
    ...policyRoutes(deps),
    ...campaignRoutes(deps),
    ...auditRoutes(deps),
    ...figureRoutes(deps),
    ...urgeRoutes(deps),
    ...escalationRoutes(deps),
    ...postRoutes(deps),
    ...inboxRoutes(deps),
    ...notificationRoutes(deps),
    ...reviewPackRoutes(deps),
    ...documentRoutes(deps),
    ...caseFileRoutes(deps),
  ];
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(helmet());
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(requestLog(deps.log));
  app.use('/api', requestDeadline({ requestMs: deps.requestTimeoutMs, uploadMs: deps.uploadTimeoutMs }));
  app.use('/api', cors({ origin: deps.corsOrigins ?? [], credentials: false, maxAge: 600 }));
  app.use('/api', jsonBody());

  const specs = routeTable(deps);
  const openapi = buildOpenApi(specs, { version: '0.1.0' });
  app.get('/api/openapi.json', (_req, res) => void res.json(openapi));
  app.use('/api/docs', helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } } }), docsRouter());

  const api = express.Router();
  api.use(temporalDeadline(deps.temporal, deps.temporalCallTimeoutMs ?? 10_000));
  api.use(authenticate(deps.db, deps.tokens));
  mountRoutes(api, specs, [idempotency(deps.db, { secret: deps.tokens.secret, leaseSeconds: deps.idempotencyLeaseSeconds })]);
  app.use(api);
  app.use('/api', notFoundHandler);

  app.use(webVendorRouter());
  // File names carry no content hash, so browsers revalidate each time (ETag: a 304 is cheap)
  // and a deployment is seen at once, never half old and half new.
  app.use(
    express.static(WEB_DIR, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders: (res) => {
        res.setHeader('Cache-Control', 'no-cache');
        // The pages run only their own scripts and styles: injected markup could do nothing.
        // blob: images are the previews of photos chosen for upload, made in the page itself.
        res.setHeader(
          'Content-Security-Policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        );
      },
    }),
  );
  app.use(errorHandler(deps.log));
  return app;
}
