/**
 * The production Temporal server (not the dev server) on Postgres, started natively as
 * docker-compose.yml's `temporal` service runs it: persistence and visibility in the `temporal`
 * and `temporal_visibility` databases, set up and upgraded by temporal-sql-tool; 4 history shards;
 * the `default` namespace with 30 days' retention and the search attributes the workflows set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto, { type temporal as Proto } from '@temporalio/proto';
import { stringify } from 'yaml';
import { stopChild, type DevServer, type SearchAttributeType } from './dev-server';
import { databaseExists } from './postgres-databases';
import { freePort, freePortIn } from './ports';
import { killWithParent } from './reaper';
import { indentTail, runWithProgress } from './run';
import type { TemporalServerBinaries } from './temporal-server';

export interface TemporalClusterOptions {
  binaries: TemporalServerBinaries;
  /** A Postgres role allowed to create databases, e.g. the embedded cluster's owner. */
  postgres: { host: string; port: number; user: string; password: string };
  /** Config and logs; keep it to restart on the same ports. */
  dir: string;
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  /** Registered when missing. Default "default". */
  namespace?: string;
  /** Registered when missing, as docker-compose.yml's temporal-search-attributes does. */
  searchAttributes?: Record<string, SearchAttributeType>;
  /** Fixed when the databases are created: docker-compose.yml's auto-setup image uses 4. */
  historyShards?: number;
  log?: (msg: string) => void;
  readyTimeoutMs?: number;
}

export type TemporalCluster = DevServer & {
  /** Stops the server and starts it again on the same ports and databases. */
  restart(): Promise<void>;
};

/** docker-compose.yml's `temporal` service (auto-setup) says the same; tests/unit/compose.test.ts checks it. */
export const CLUSTER_SETTINGS = {
  plugin: 'postgres12',
  databases: { temporal: 'temporal', visibility: 'temporal_visibility' },
  /** auto-setup's NUM_HISTORY_SHARDS default, which compose leaves as it is. */
  historyShards: 4,
  namespace: 'default',
  retention: '720h',
} as const;
const DATABASES = CLUSTER_SETTINGS.databases;
const RETENTION = CLUSTER_SETTINGS.retention;
const TAIL_BYTES = 8_000;
// The history service hands its shards back on SIGTERM; give it the time it takes.
const STOP_GRACE_MS = 20_000;

// The package is CommonJS: Node's own ESM loader (scripts run by tsx) gives only its default export.
const { temporal } = proto;
const INDEXED: Record<SearchAttributeType, Proto.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Text: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Creates or upgrades Temporal's two databases (idempotent: an existing database keeps its data
 * and only gets the schema versions it lacks), writes the server's config, starts the server and
 * resolves once its frontend serves the namespace with every search attribute registered.
 */
export async function startTemporalCluster(opts: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = opts.log ?? (() => undefined);
  const namespace = opts.namespace ?? CLUSTER_SETTINGS.namespace;
  const dir = resolve(opts.dir);
  await mkdir(join(dir, 'config'), { recursive: true });
  await prepareDatabases(opts, log);

  // Membership ports are kept in a smallint column: they must be below 32768.
  const taken = new Set<number>();
  const membershipPort = async (): Promise<number> => {
    const port = await freePortIn(20_000, 32_767);
    if (taken.has(port)) return membershipPort();
    taken.add(port);
    return port;
  };
  const ports = {
    frontend: opts.port ?? (await freePort()),
    frontendHttp: await freePort(),
    frontendMembership: await membershipPort(),
    history: await freePort(),
    historyMembership: await membershipPort(),
    matching: await freePort(),
    matchingMembership: await membershipPort(),
    worker: await freePort(),
    workerMembership: await membershipPort(),
  };
  await writeFile(join(dir, 'config', 'production.yaml'), stringify(serverConfig(opts, ports)));
  const address = `127.0.0.1:${ports.frontend}`;
  const args = ['--root', dir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'];

  let running = await launch(opts.binaries.server, args, log);
  try {
    await waitUntil(address, running, opts.readyTimeoutMs ?? 90_000, (c) => c.workflowService.getSystemInfo({}).then(() => true));
    // Caches in the history and matching services learn a new namespace or attribute only at their
    // next refresh (up to a minute): after registering, a restart makes them known at once.
    if (await register(address, namespace, opts.searchAttributes ?? {}, log)) {
      await running.stop();
      running = await launch(opts.binaries.server, args, log);
    }
    await waitUntil(address, running, opts.readyTimeoutMs ?? 90_000, (c) => c.workflowService.describeNamespace({ namespace }).then(() => true));
  } catch (err) {
    await running.stop();
    throw new Error(`${(err as Error).message}\nServer output:\n${running.tail().trim() || '(none)'}`, { cause: err });
  }
  log(`temporal server ready at ${address} (Postgres ${opts.postgres.host}:${opts.postgres.port}, config ${join(dir, 'config', 'production.yaml')})`);

  return {
    address,
    namespace,
    stop: () => running.stop(),
    async restart() {
      await running.stop();
      running = await launch(opts.binaries.server, args, log);
      await waitUntil(address, running, opts.readyTimeoutMs ?? 90_000, (c) => c.workflowService.describeNamespace({ namespace }).then(() => true));
    },
  };
}

/** The same settings as docker-compose.yml's `temporal` service (auto-setup's template), on our ports. */
function serverConfig(opts: TemporalClusterOptions, ports: Record<string, number>) {
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: CLUSTER_SETTINGS.plugin,
      databaseName,
      connectAddr: `${opts.postgres.host}:${opts.postgres.port}`,
      connectProtocol: 'tcp',
      user: opts.postgres.user,
      password: opts.postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra = {}) => ({ rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra } });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: opts.historyShards ?? CLUSTER_SETTINGS.historyShards,
      datastores: { default: sql(DATABASES.temporal, 20), visibility: sql(DATABASES.visibility, 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend!, ports.frontendMembership!, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history!, ports.historyMembership!),
      matching: rpc(ports.matching!, ports.matchingMembership!),
      worker: rpc(ports.worker!, ports.workerMembership!),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

/** As auto-setup does: create-database and setup-schema once, update-schema every time. */
async function prepareDatabases(opts: TemporalClusterOptions, log: (msg: string) => void): Promise<void> {
  const { host, port, user, password } = opts.postgres;
  const adminUrl = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/postgres`;
  const env = { ...process.env, SQL_PASSWORD: password };
  const tool = async (database: string, ...command: string[]) => {
    const args = ['--plugin', CLUSTER_SETTINGS.plugin, '--endpoint', host, '--port', String(port), '--user', user, '--database', database, ...command];
    const result = await runWithProgress(opts.binaries.sqlTool, args, { env, label: `temporal-sql-tool ${command[0]} ${database}`, log });
    if (result.code !== 0) throw new Error(`temporal-sql-tool ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${indentTail(result.tail)}`);
  };
  for (const [schema, database] of Object.entries(DATABASES)) {
    if (!(await databaseExists(adminUrl, database))) {
      log(`creating Temporal database ${database}`);
      await tool(database, 'create-database');
      await tool(database, 'setup-schema', '--version', '0.0');
    }
    await tool(database, 'update-schema', '--schema-dir', join(opts.binaries.postgresSchema, schema, 'versioned'));
  }
}

/** Registers the namespace and the attributes it lacks; true when anything was new. */
async function register(address: string, namespace: string, attributes: Record<string, SearchAttributeType>, log: (msg: string) => void): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    let changed = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch (err) {
      if ((err as { code?: number }).code !== 5 /* NOT_FOUND */) throw err;
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) });
      log(`registered namespace ${namespace}`);
      changed = true;
    }
    // A namespace just registered is known to the frontend after its cache refresh (10 s).
    const existing = await retryWhileNotFound(async () => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {}, 30_000);
    const missing = Object.fromEntries(Object.entries(attributes).filter(([name]) => !(name in existing)).map(([name, type]) => [name, INDEXED[type]]));
    if (Object.keys(missing).length > 0) {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      log(`registered search attributes ${Object.keys(missing).join(', ')}`);
      changed = true;
    }
    return changed;
  } finally {
    await connection.close();
  }
}

async function retryWhileNotFound<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: number }).code !== 5 || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

interface Running {
  child: ChildProcess;
  exitReason(): string | undefined;
  tail(): string;
  stop(): Promise<void>;
}

async function launch(server: string, args: string[], log: (msg: string) => void): Promise<Running> {
  // A process group of its own: a Ctrl-C in the terminal reaches us, and we stop it in order.
  const child = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  const onOutput = (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES));
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();
  let reason: string | undefined;
  const exited = new Promise<string>((resolveExit) => {
    child.once('error', (err) => resolveExit(`could not run ${server}: ${err.message}`));
    child.once('close', (code, signal) => resolveExit(`exited with ${code ?? signal}`));
  });
  void exited.then((r) => (reason = r));
  const releaseGuard = child.pid !== undefined ? killWithParent(child.pid, 'SIGTERM') : () => undefined;
  let stopping: Promise<void> | undefined;
  log(`temporal server started (pid ${child.pid})`);
  return {
    child,
    exitReason: () => reason,
    tail: () => tail,
    stop: () => (stopping ??= stopChild(child, exited, STOP_GRACE_MS).finally(releaseGuard)),
  };
}

async function waitUntil(address: string, running: Running, timeoutMs: number, probe: (c: Connection) => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (running.exitReason()) throw new Error(`temporal server ${running.exitReason()}`);
    // lazy + ensureConnected: a failed connect() leaves a channel open that keeps Node alive.
    const connection = Connection.lazy({ address, connectTimeout: 2_000 });
    try {
      await connection.ensureConnected();
      if (await probe(connection)) return;
    } catch (err) {
      lastError = err;
    } finally {
      await connection.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`temporal server did not answer at ${address} within ${timeoutMs} ms: ${(lastError as Error | undefined)?.message ?? 'no attempt'}`);
}
