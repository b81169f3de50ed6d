/**
 * The whole API on the run's dev server and a database of its own, with a worker behind it, a
 * populated jurisdiction (see world.ts), and signed-in clients for each of its users.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp, type AppDeps } from '../../api/app';
import { LocalDiskStore } from '../../evidence/store';
import { connectTemporalClient } from '../../temporal/client-connection';
import type { DubanWorkerOptions } from '../../temporal/create-worker';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { NoticeGateway } from '../../temporal/notice-gateway';
import { SuspensionGateway } from '../../temporal/suspension-gateway';
import { createTestDatabase, type TestDatabase } from './database';
import { serve, type Requester, type TestHttp } from './http';
import { buildWorld, PASSWORD, type World, type WorldUser } from './world';
import { devServerEnv, quietRuntime, testWorker, uniqueTaskQueue } from './workflow-env';

export interface ApiHarness {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  http: TestHttp;
  gateway: HazardGateway;
  taskQueue: string;
  world: World;
  deps: AppDeps;
  evidenceDir: string;
  /** Requests made as a signed-in user of the world. */
  as(user: WorldUser): Promise<Requester>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * A Temporal server of the test's own instead of the run's; the API then reaches it through the
   * connection api/server.ts makes (its deadlines and retry rules), not the test environment's.
   */
  temporalAddress?: string;
  /** Notification channels the API offers (as configured); none unless given. */
  notifyChannels?: AppDeps['notifyChannels'];
  /** A database of the test's own (another Postgres), instead of a clone of the run's template. */
  database?: TestDatabase;
  /** The worker's slots (create-worker.ts); unset, the SDK's defaults. */
  workerSlots?: DubanWorkerOptions['slots'];
}

export async function startApiHarness(name: string, opts: HarnessOptions = {}): Promise<ApiHarness> {
  quietRuntime();
  const [env, database] = await Promise.all([
    opts.temporalAddress ? TestWorkflowEnvironment.createFromExistingServer({ address: opts.temporalAddress }) : devServerEnv(),
    opts.database ?? createTestDatabase(),
  ]);
  const own: { connection: Connection; client: AppDeps['temporal'] } | undefined = opts.temporalAddress
    ? connectTemporalClient({ address: opts.temporalAddress, namespace: env.namespace ?? 'default' })
    : undefined;
  const client = own?.client ?? env.client;
  const taskQueue = uniqueTaskQueue(name);
  // The worker judges uploaded stock files from the API's store.
  const evidenceDir = await mkdtemp(join(tmpdir(), 'duban-evidence-'));
  const worker = await testWorker(env, database.app, taskQueue, { slots: opts.workerSlots, files: new LocalDiskStore(evidenceDir) });
  const running = worker.run();
  const gateway = new HazardGateway(client, taskQueue);
  const deps: AppDeps = {
    db: database.app,
    temporal: client,
    hazards: gateway,
    notices: new NoticeGateway(client, taskQueue),
    suspensions: new SuspensionGateway(client, taskQueue),
    evidence: new LocalDiskStore(evidenceDir),
    tokens: { secret: randomBytes(32), ttlSeconds: 900 },
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: Date.now,
    notifyChannels: opts.notifyChannels,
  };
  const http = await serve(createApp(deps));
  const world = await buildWorld(database.db);
  const tokens = new Map<WorldUser, string>();
  return {
    env,
    database,
    http,
    gateway,
    taskQueue,
    world,
    deps,
    evidenceDir,
    async as(user) {
      let token = tokens.get(user);
      if (!token) {
        const res = await http.request('POST', '/api/auth/login', { body: { username: user, password: PASSWORD } });
        if (res.status !== 200) throw new Error(`log-in as ${user} failed: ${res.status} ${JSON.stringify(res.body)}`);
        token = res.body.token as string;
        tokens.set(user, token);
      }
      const t = token;
      return (method, path, opts = {}) => http.request(method, path, { token: t, ...opts });
    },
    async stop() {
      await http.close();
      worker.shutdown();
      await running;
      await own?.connection.close();
      await env.teardown();
      await database.drop();
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
}
