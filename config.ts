/**
 * Configuration from the environment, parsed once at start-up. A bad value stops the process
 * with a message naming the variable, instead of failing later somewhere far away.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Stock-import activities one worker runs at once (WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES) unless
 * configured: an import's two (its rows and its starts) and two files judged.
 */
export const DEFAULT_IMPORT_ACTIVITY_SLOTS = 4;

// A variable set to nothing (`LOG_LEVEL=` in an env file) counts as unset.
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const port = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));

export const configSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'test', 'production']).default('development')),
  /** Postgres URL; when unset, `npm start` runs an embedded Postgres and sets it. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  /** How long a query waits for a connection before the database counts as unavailable. */
  DATABASE_CONNECT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(60_000).default(5_000)),
  /** The server cancels a statement running longer (statement_timeout). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(600_000).default(15_000)),
  /** Activities one worker runs at once; by default the pool size (each holds one connection at most). */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1000).optional()),
  /** Workflow tasks one worker runs at once; by default twice the pool size (they need no connection, only CPU). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(2).max(1000).optional()),
  /**
   * Stock-import activities one worker runs at once, on the import's own task queue: a 100,000-row
   * import takes none of the hazards' slots and only this many of the pool's connections (it
   * shares the pool). One import runs two at a time (a page imported while the previous page's
   * workflows start).
   */
  WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(DEFAULT_IMPORT_ACTIVITY_SLOTS)),
  /**
   * Workflows one worker keeps in memory between their tasks (the sticky cache); one not cached is
   * replayed from its history at its next task, milliseconds for a hazard's. Unset: sized for the
   * worker's memory goal (workerCacheSize below), not the SDK's default from the machine's memory
   * (2,310 on 24 GiB, 1.44 GB of RSS once full).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100_000).optional()),
  /** host:port of the Temporal frontend; when unset, `npm start` runs a dev server and sets it. */
  TEMPORAL_ADDRESS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[\w.-]+:\d+$/, 'expected host:port')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z.preprocess(emptyAsUndefined, z.string().min(1).default('default')),
  TEMPORAL_TASK_QUEUE: z.preprocess(emptyAsUndefined, z.string().min(1).default('duban')),
  /** How long an API request may spend on calls to Temporal before answering 503. */
  TEMPORAL_CALL_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(500).max(120_000).default(10_000)),
  /** A prebuilt workflow bundle (production); without it the worker bundles at start. */
  WORKFLOW_BUNDLE_PATH: optionalString,
  /** Where people open the Temporal Web UI (printed and linked; not used to connect). */
  TEMPORAL_UI_URL: optionalString,
  API_HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  API_PORT: port(3000),
  /**
   * Where Prometheus scrapes (docs/operations.md): an ops listener apart from the API's, bound to
   * METRICS_HOST (loopback unless opened on purpose). Unset ports: no listener.
   */
  METRICS_HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  /** The API's /metrics listener. */
  METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  /** The worker's /metrics (the Temporal SDK's Prometheus exporter, with duban's activity counters). */
  WORKER_METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  /** Signs access tokens (HS256): at least 32 characters of secret. Required by the API. */
  AUTH_TOKEN_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  /**
   * Keys the audit chains (HMAC-SHA256) and signs their heads: at least 32 characters of
   * secret, kept out of the database. Required by every process that writes or checks audit.
   */
  AUDIT_HMAC_KEY: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  AUTH_TOKEN_TTL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(60).max(86_400).default(3600)),
  /** Comma-separated browser origins allowed to call the API cross-site; none by default. */
  CORS_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('')
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  ),
  /**
   * Which proxies in front of the API are trusted to say who the client is (X-Forwarded-For):
   * a hop count, or a comma-separated list of addresses, CIDR ranges or `loopback`,
   * `linklocal`, `uniquelocal`. None by default: the client is whoever connects. Log-in limits
   * count by this address, so "every proxy" (`true`) is refused: anyone could name any address.
   */
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx): number | string[] | undefined => {
        if (v === undefined) return undefined;
        if (/^\d+$/.test(v.trim())) return Number(v.trim());
        const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
        const bad = entries.find((e) => !['loopback', 'linklocal', 'uniquelocal'].includes(e) && !isIP(e.split('/')[0]!));
        if (bad !== undefined || !entries.length) {
          ctx.addIssue({ code: 'custom', message: `a hop count, or addresses, CIDR ranges, loopback, linklocal or uniquelocal (not ${JSON.stringify(bad ?? v)})` });
          return z.NEVER;
        }
        return entries;
      }),
  ),
  /** Evidence upload requests one user may make per minute. */
  UPLOADS_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100_000).default(30)),
  /** The most rows one exported ledger (.xlsx) holds; past it the export is refused before it starts. */
  EXPORT_ROW_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).default(200_000)),
  /** A TrueType/OpenType font file printed instruments use instead of Noto Serif SC (a bureau's licensed 仿宋, say). */
  DOCUMENT_FONT_PATH: optionalString,
  /** The same for titles and headings (小标宋); by default the body font when that is given. */
  DOCUMENT_TITLE_FONT_PATH: optionalString,
  /** Hazard workflows a stock import starts per second at most (the import's rows themselves go faster). */
  STOCK_IMPORT_RATE: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.1).max(10_000).default(50)),
  /** How long a request may take before it is answered 503 and its work stopped. */
  REQUEST_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(600_000).default(30_000)),
  /** The same for evidence uploads, which carry more bytes over slower links. */
  UPLOAD_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(600_000).default(120_000)),
  /** Where evidence files are stored (content-addressed; never a served folder). */
  EVIDENCE_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data/evidence')),
  /** The database role the application acts as: it may not change or delete audit rows. */
  DATABASE_ROLE: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z_][a-z0-9_]*$/).default('duban_app')),
  /** Notifications by email: the SMTP server; unset, no email is sent (the inbox only). */
  SMTP_HOST: optionalString,
  SMTP_PORT: port(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  SMTP_SECURE: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('false').transform((v) => v === 'true')),
  SMTP_USER: optionalString,
  SMTP_PASSWORD: optionalString,
  SMTP_FROM: z.preprocess(emptyAsUndefined, z.string().default('duban@localhost')),
  /** An SMS gateway taking JSON { to, text }; unset, no SMS. */
  SMS_GATEWAY_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  SMS_GATEWAY_TOKEN: optionalString,
  /** Group robots' webhook URLs (企业微信, 钉钉); unset, nothing is posted there. */
  WECOM_ROBOT_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  DINGTALK_ROBOT_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** How often the worker sends what is due in the outbox. */
  NOTIFY_DISPATCH_EVERY_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(600_000).default(5_000)),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The worker's memory: its goal, and what it measured (bench/README.md, "History size and worker memory"). */
const WORKER_RSS_GOAL_MB = 1024;
const WORKER_BASE_RSS_MB = 375;
const RSS_PER_CACHED_WORKFLOW_MB = 0.46;

/** How many tasks of each kind one worker runs at once: set, or derived from the database pool. */
export function workerSlots(config: Pick<Config, 'DATABASE_POOL_SIZE' | 'WORKER_MAX_CONCURRENT_ACTIVITIES' | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'>): {
  activities: number;
  workflowTasks: number;
} {
  return {
    activities: config.WORKER_MAX_CONCURRENT_ACTIVITIES ?? config.DATABASE_POOL_SIZE,
    workflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? Math.max(2, 2 * config.DATABASE_POOL_SIZE),
  };
}

/**
 * The sticky cache's size: set, or sized so the worker's settled RSS keeps a fifth of the 1 GiB goal
 * (issue #13) spare for the peak of a burst. bench/README.md, "History size and worker memory":
 * 375 MB with nothing cached, RSS then following the cache at 0.46 MB a workflow (1,443 MB with
 * 2,310); so (0.8 × 1,024 − 375) / 0.46 ≈ 960, counted in hundreds: 1,000 (measured 0.86 GB settled,
 * 1.1 GB at the peak of starting). Never below the workflow tasks run at once, which the SDK
 * requires. A rolling restart with it answers no 503: the 503s once seen with 1,000 came from
 * tasks lost to the stopping worker's abandoned polls (temporal/activity-liveness.ts), not from the
 * cache, which the fault test never filled.
 */
export function workerCacheSize(config: Pick<Config, 'DATABASE_POOL_SIZE' | 'WORKER_MAX_CONCURRENT_ACTIVITIES' | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS' | 'WORKER_MAX_CACHED_WORKFLOWS'>): number {
  if (config.WORKER_MAX_CACHED_WORKFLOWS !== undefined) return config.WORKER_MAX_CACHED_WORKFLOWS;
  const sized = Math.round((0.8 * WORKER_RSS_GOAL_MB - WORKER_BASE_RSS_MB) / RSS_PER_CACHED_WORKFLOW_MB / 100) * 100;
  return Math.max(sized, workerSlots(config).workflowTasks);
}

/** For processes that cannot run without the servers: names the missing variable clearly. */
export function requireSetting<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError(`invalid configuration:\n  ${String(key)}: required`);
  return value as NonNullable<Config[K]>;
}

/** The notification channels beyond the inbox that the configuration names (none: the inbox only). */
export function configuredNotifyChannels(c: Pick<Config, 'SMTP_HOST' | 'SMS_GATEWAY_URL' | 'WECOM_ROBOT_URL' | 'DINGTALK_ROBOT_URL'>): Array<'email' | 'sms' | 'wecom' | 'dingtalk'> {
  const names: Array<'email' | 'sms' | 'wecom' | 'dingtalk'> = [];
  if (c.SMTP_HOST) names.push('email');
  if (c.SMS_GATEWAY_URL) names.push('sms');
  if (c.WECOM_ROBOT_URL) names.push('wecom');
  if (c.DINGTALK_ROBOT_URL) names.push('dingtalk');
  return names;
}
