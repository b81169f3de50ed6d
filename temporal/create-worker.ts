/**
 * Builds the worker that runs duban's workflows and activities: one SDK worker on the hazards'
 * task queue, and beside it one on the stock import's queue (its activities only, few at once: the
 * import's and the judging of uploaded files), so a large import cannot take the slots the
 * hazards' work needs. The two run and stop as one.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { createStockImportActivities } from '../activities/stock-import';
import { createStockJudgingActivities } from '../activities/stock-judging';
import type { EvidenceStore } from '../evidence/store';
import { DEFAULT_IMPORT_ACTIVITY_SLOTS } from '../config';
import { stockImportTaskQueue } from '../workflows/stock-import.messages';
import { activityFailureInterceptor } from './activity-failures';
import { activityLivenessInterceptor } from './activity-liveness';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface DubanWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (production); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  /**
   * Tasks run at once (config.ts `workerSlots`). Activities are capped at the database pool: past
   * it they only queue for a connection while their timeouts run. Unset: the SDK's defaults.
   */
  slots?: { activities: number; workflowTasks: number };
  /** Where uploaded stock files are stored (EVIDENCE_DIR, shared with the API): the judging reads them. */
  files?: EvidenceStore;
  /** Stock-import activities run at once (config.ts WORKER_MAX_CONCURRENT_IMPORT_ACTIVITIES). */
  importSlots?: number;
  /** The sticky cache's size (config.ts WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default, from the machine's memory. */
  maxCachedWorkflows?: number;
  /** Options of the hazards' worker (not the import's). */
  overrides?: Partial<WorkerOptions>;
}

/** Both SDK workers of a duban worker, run, awaited and stopped together. */
export class DubanWorker {
  constructor(
    /** On the hazards' task queue: every workflow, and every activity. */
    readonly main: Worker,
    /** On the stock import's task queue: the import's activities only. */
    readonly stockImports: Worker,
  ) {}

  get options(): Worker['options'] {
    return this.main.options;
  }

  getStatus(): ReturnType<Worker['getStatus']> {
    return this.main.getStatus();
  }

  /** Polls both queues until shut down (or a signal the runtime handles); either one stopping stops the other. */
  async run(): Promise<void> {
    const runs = [this.main, this.stockImports].map((w) => w.run().finally(() => this.shutdown()));
    const [failed] = (await Promise.allSettled(runs)).filter((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Begins a graceful stop of both (those already stopping are left to it). */
  shutdown(): void {
    for (const w of [this.main, this.stockImports]) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** Runs until the work settles (or the worker stops first, an error), then stops and waits for both. */
  async runUntil<R>(work: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    const stopped = running.then(() => Promise.reject(new Error('the worker stopped before the work it ran for settled')));
    stopped.catch(() => undefined);
    try {
      return await Promise.race([typeof work === 'function' ? work() : work, stopped]);
    } finally {
      this.shutdown();
      await running;
    }
  }
}

/**
 * Shared by both: permanent failures end at once, retries are counted; short activities beat while
 * they run, so an attempt whose worker is gone is retried within seconds (activities that beat
 * with their own progress are left to it); on SIGTERM running activities may finish.
 */
const common = {
  interceptors: { activity: [activityFailureInterceptor, activityLivenessInterceptor] },
  shutdownGraceTime: '20 seconds',
} satisfies Partial<WorkerOptions>;

export async function createDubanWorker(opts: DubanWorkerOptions): Promise<DubanWorker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = opts.workflowBundlePath
    ? { workflowBundle: { codePath: opts.workflowBundlePath } }
    : { workflowsPath: WORKFLOWS_PATH };
  const main = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities({ db: opts.db }),
    ...workflows,
    ...(opts.slots ? { maxConcurrentActivityTaskExecutions: opts.slots.activities, maxConcurrentWorkflowTaskExecutions: opts.slots.workflowTasks } : {}),
    ...(opts.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: opts.maxCachedWorkflows }),
    ...common,
    // A workflow's next task waits this long on the queue of the worker that ran its last one before
    // any worker may take it: short, so a worker stopped in a rolling restart holds no case up longer
    // than the API waits for an answer (the default, 10 s, is as long as that wait).
    stickyQueueScheduleToStartTimeout: '3 seconds',
    ...opts.overrides,
  });
  const stockImports = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: stockImportTaskQueue(opts.taskQueue),
    activities: { ...createStockImportActivities(opts.db), ...createStockJudgingActivities(opts.db, opts.files) },
    maxConcurrentActivityTaskExecutions: opts.importSlots ?? DEFAULT_IMPORT_ACTIVITY_SLOTS,
    ...common,
  });
  return new DubanWorker(main, stockImports);
}
