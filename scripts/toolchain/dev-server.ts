import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from './ports';
import { killWithParent } from './reaper';

export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  /** From ensureTemporalCli(). */
  cliPath: string;
  /** Persistent SQLite file; omit for an in-memory server that forgets everything on stop. */
  dbFile?: string;
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; a free one when omitted and `ui` is on. */
  uiPort?: number;
  /** Serve the Web UI. Default: true when uiPort is given, else false (tests need no UI). */
  ui?: boolean;
  /** Created at launch besides "default", which always exists. Default "default". */
  namespace?: string;
  /** Registered at launch, so workflows may set them from their first run. */
  searchAttributes?: Record<string, SearchAttributeType>;
  log?: (msg: string) => void;
  /** How long the frontend may take to answer. Default 60 s. */
  readyTimeoutMs?: number;
  /** Server dynamic config values, e.g. `{ 'history.maxInFlightUpdates': 1 }` to meet a limit in a test. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export interface DevServer {
  /** host:port of the gRPC frontend, for Connection / NativeConnection. */
  address: string;
  namespace: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * Dynamic config every dev server of ours runs with (a caller's values win). The CLI turns on
 * `system.forceSearchAttributesCacheRefreshOnRead` so that search attributes added at runtime show
 * at once; then every request that maps search attributes (each start and update-with-start with
 * them, each visibility record) reads the namespace from SQLite, one at a time behind a lock, on
 * the server's single SQLite connection, with 3 s to answer, and Temporal (1.29, nsregistry) reports
 * any failure of that read (a busy store, a queue longer than 3 s under load) as "Namespace default
 * is not found.", a NotFound no client retries. Ours are registered at launch, in the namespace's
 * record, so the registry holds them from the start; one added at runtime shows after the
 * registry's refresh (10 s).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'system.forceSearchAttributesCacheRefreshOnRead': false,
};

const STOP_GRACE_MS = 10_000;
const TAIL_BYTES = 8_000;

/**
 * Starts `temporal server start-dev` bound to 127.0.0.1 and resolves once its
 * frontend answers RPCs for the namespace: a bound port alone does not mean the
 * namespace exists yet, and workers started too early fail with NotFound.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const log = opts.log ?? (() => undefined);
  const namespace = opts.namespace ?? 'default';
  const ui = opts.ui ?? opts.uiPort !== undefined;
  const port = opts.port ?? (await freePort());
  const uiPort = ui ? (opts.uiPort ?? (await freePort())) : undefined;

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn', '--color', 'never'];
  if (uiPort !== undefined) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    const dbFile = resolve(opts.dbFile);
    await mkdir(dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(opts.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...opts.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  // A process group of its own: a Ctrl-C in the terminal must not stop Temporal before the
  // worker that depends on it; whoever started the server stops it, in order.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  let quiet = false; // shutdown prints a burst of expected connection warnings
  // The CLI prints "Server:  localhost:<port>" once its services listen. Until then an answer on the
  // port may be another server's (the port taken meanwhile), and ours is about to fail its bind.
  let announced = false;
  const announcement = new RegExp(`^Server:\\s+\\S+:${port}\\s*$`, 'm');
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-TAIL_BYTES);
    announced ||= announcement.test(tail);
    if (quiet) return;
    for (const line of text.split('\n')) if (line.trim()) log(`temporal: ${line}`);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  // The server serves this process; it must never be the reason Node stays alive.
  child.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();

  const exited = new Promise<string>((resolveExit) => {
    child.once('error', (err) => resolveExit(`could not run ${opts.cliPath}: ${err.message}`));
    // 'close', not 'exit': by then all output is read, so the error tail is complete.
    child.once('close', (code, signal) => resolveExit(`exited with ${code ?? signal}`));
  });
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const releaseGuard = child.pid !== undefined ? killWithParent(child.pid, 'SIGTERM') : () => undefined;

  const address = `127.0.0.1:${port}`;
  try {
    // Race the exit so a server that dies at once (port taken, bad flag) fails at once.
    await Promise.race([
      waitUntilServing(address, namespace, opts.readyTimeoutMs ?? 60_000, () => exitReason, () => announced),
      exited.then((reason) => Promise.reject(new Error(`temporal dev server ${reason}`))),
    ]);
  } catch (err) {
    quiet = true;
    await stopChild(child, exited);
    releaseGuard();
    const why = exitReason ? `temporal dev server ${exitReason}` : (err as Error).message;
    throw new Error(`${why} (pid ${child.pid ?? 'none'}, ${opts.cliPath} ${args.join(' ')}).\nServer output:\n${tail.trim() || '(none)'}`, { cause: err });
  }
  log(`temporal dev server ready at ${address}${uiPort ? `, UI http://127.0.0.1:${uiPort}` : ''}`);

  let stopping: Promise<void> | undefined;
  return {
    address,
    namespace,
    uiUrl: uiPort !== undefined ? `http://127.0.0.1:${uiPort}` : undefined,
    stop() {
      quiet = true;
      stopping ??= stopChild(child, exited).finally(releaseGuard);
      return stopping;
    },
  };
}

async function waitUntilServing(
  address: string,
  namespace: string,
  timeoutMs: number,
  exitReason: () => string | undefined,
  announced: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitReason()) throw new Error(`temporal dev server ${exitReason()}`);
    if (!announced()) {
      lastError = new Error('the server has not said it is serving yet');
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    // lazy + ensureConnected rather than Connection.connect: connect() does not close
    // the channel it made when it fails, and that channel keeps Node alive forever.
    const connection = Connection.lazy({ address, connectTimeout: 2_000 });
    try {
      await connection.ensureConnected();
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await connection.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`temporal dev server did not answer at ${address} within ${timeoutMs} ms: ${(lastError as Error | undefined)?.message ?? 'no attempt'}`);
}

/** SIGTERM lets the server flush; SIGKILL only if it hangs past the grace period. */
export async function stopChild(child: ChildProcess, exited: Promise<string>, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  // Hold the event loop until the exit is seen; the child was unref'd while serving.
  child.ref();
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
