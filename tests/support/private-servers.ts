/**
 * A Postgres and a Temporal server of a test file's own (the run's shared ones must never be
 * stopped or broken), each restartable on its data, and the project's processes (`api/server.ts`,
 * `worker.ts`) run against them as children, as in production. The Temporal server is the dev
 * server, or the production server on that Postgres (`temporal: 'cluster'`, as docker-compose.yml
 * runs it). Used by the outage, fault and topology tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { ensureServiceLogin } from '../../db/service-login';
import { startDevServer, type DevServer } from '../../scripts/toolchain/dev-server';
import { freePort, freePortIn } from '../../scripts/toolchain/ports';
import { PG_PASSWORD, PG_USER, startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/toolchain/postgres';
import { ensureTemporalCli } from '../../scripts/toolchain/temporal-cli';
import { startTemporalCluster } from '../../scripts/toolchain/temporal-cluster';
import { ensureTemporalServer } from '../../scripts/toolchain/temporal-server';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { buildWorld, PASSWORD, type World } from './world';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Process {
  child: ChildProcess;
  output: () => string;
  exited: () => string | null;
  /** Resolves when the process has exited (at once if it has). */
  closed: Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL: no handler runs, nothing is drained. */
  kill(): Promise<void>;
}

/** A project process run as in production, through tsx. */
export function run(script: string, env: Record<string, string>): Process {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: string | null = null;
  const closed = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exit = `exited with ${code ?? signal}`), resolve())));
  return {
    child,
    output: () => tail,
    exited: () => exit,
    closed,
    async stop() {
      if (exit === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      await closed;
      clearTimeout(timer);
    },
    async kill() {
      if (exit === null) child.kill('SIGKILL');
      await closed;
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  ms: number;
}

export type Call = (method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/** Requests to an API at `base` (JSON in and out). */
export function caller(base: () => string): Call {
  return async (method, path, token, body, headers = {}) => {
    const started = Date.now();
    const res = await fetch(base() + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed, ms: Date.now() - started };
  };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface PrivateServers {
  dir: string;
  pg: EmbeddedPostgres;
  temporal: DevServer;
  /** The owner's connection (migrations, checks). */
  owner: DatabaseHandle;
  world: World;
  taskQueue: string;
  /** What every project process needs to reach these servers. */
  env: Record<string, string>;
  startPostgres(): Promise<EmbeddedPostgres>;
  startTemporal(): Promise<DevServer>;
  /** An API process on a free port, answering /api/health/live. */
  startApi(extra?: Record<string, string>): Promise<{ process: Process; base: string; port: number }>;
  startWorker(extra?: Record<string, string>): Process;
  close(): Promise<void>;
}

export interface PrivateServerOptions {
  /** 'dev': `temporal server start-dev` on SQLite (default); 'cluster': the production server on the private Postgres. */
  temporal?: 'dev' | 'cluster';
  log?: (msg: string) => void;
}

export async function startPrivateServers(name: string, opts: PrivateServerOptions = {}): Promise<PrivateServers> {
  const dir = await mkdtemp(join(tmpdir(), `duban-${name}-`));
  // Postgres runs as the `postgres` OS user when we are root: it must reach its data dir.
  await chmod(dir, 0o711);
  // Below Linux's ephemeral range (32768–60999): the servers are restarted on these ports, and a port
  // in that range may meanwhile become any outgoing connection's, or one of the ports the Temporal
  // CLI picks there for its own services.
  const pgPort = await freePortIn(20_000, 32_767);
  let temporalPort = pgPort;
  while (temporalPort === pgPort) temporalPort = await freePortIn(20_000, 32_767);
  const startPostgres = () => startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort, persistent: true, log: opts.log });
  let startTemporal: () => Promise<DevServer>;
  let pg: EmbeddedPostgres;
  let temporal: DevServer;
  if (opts.temporal === 'cluster') {
    const binaries = await ensureTemporalServer(opts.log);
    startTemporal = () =>
      startTemporalCluster({
        binaries,
        postgres: { host: '127.0.0.1', port: pgPort, user: PG_USER, password: PG_PASSWORD },
        dir: join(dir, 'temporal'),
        port: temporalPort,
        searchAttributes: { ...SEARCH_ATTRIBUTES },
        log: opts.log,
      });
    // Temporal keeps its state in the same Postgres: it starts once Postgres answers.
    pg = await startPostgres();
    temporal = await startTemporal();
  } else {
    const cliPath = await ensureTemporalCli(opts.log);
    startTemporal = () => startDevServer({ cliPath, dbFile: join(dir, 'temporal.db'), port: temporalPort, searchAttributes: { ...SEARCH_ATTRIBUTES } });
    [pg, temporal] = await Promise.all([startPostgres(), startTemporal()]);
  }
  await migrateDatabase(pg.url);
  const serviceUrl = await ensureServiceLogin(pg.url, `duban_${name.replace(/\W/g, '_')}_service`, randomBytes(18).toString('hex'));
  const owner = connectDatabase(pg.url, 4);
  const world = await buildWorld(owner.db);
  const taskQueue = `${name}-${randomBytes(4).toString('hex')}`;
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: serviceUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    LOG_LEVEL: 'warn',
    AUDIT_HMAC_KEY: inject('auditKey'),
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    EVIDENCE_DIR: join(dir, 'evidence'),
  };
  const servers: PrivateServers = {
    dir,
    pg,
    temporal,
    owner,
    world,
    taskQueue,
    env,
    startPostgres,
    startTemporal,
    async startApi(extra = {}) {
      const port = await freePort();
      const proc = run('api/server.ts', { ...env, API_HOST: '127.0.0.1', API_PORT: String(port), ...extra });
      const base = `http://127.0.0.1:${port}`;
      const call = caller(() => base);
      await until('the API answers', async () => {
        if (proc.exited()) throw new Error(`api ${proc.exited()}:\n${proc.output()}`);
        return (await call('GET', '/api/health/live')).status === 200 ? true : undefined;
        // tsx compiles the API at start: on two busy cores beside starting workers, past a minute.
      }, 120_000);
      return { process: proc, base, port };
    },
    startWorker(extra = {}) {
      return run('worker.ts', { ...env, ...extra });
    },
    // What stands at the end: a test that restarted a server or reconnected puts the new one here.
    async close() {
      await servers.owner.close();
      // Temporal first: the production server keeps its state in this Postgres.
      await servers.temporal.stop();
      await servers.pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return servers;
}

/** A bearer token for a user of the world. */
export async function logIn(call: Call, username: string): Promise<string> {
  const res = await call('POST', '/api/auth/login', undefined, { username, password: PASSWORD });
  if (res.status !== 200) throw new Error(`log-in as ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}
