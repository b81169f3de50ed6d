/** Builds the worker that runs duban's workflows and activities on one task queue. */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
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
  /** The sticky cache's size (config.ts WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default, from the machine's memory. */
  maxCachedWorkflows?: number;
  overrides?: Partial<WorkerOptions>;
}

export async function createDubanWorker(opts: DubanWorkerOptions): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = opts.workflowBundlePath
    ? { workflowBundle: { codePath: opts.workflowBundlePath } }
    : { workflowsPath: WORKFLOWS_PATH };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities({ db: opts.db }),
    ...workflows,
    ...(opts.slots ? { maxConcurrentActivityTaskExecutions: opts.slots.activities, maxConcurrentWorkflowTaskExecutions: opts.slots.workflowTasks } : {}),
    ...(opts.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: opts.maxCachedWorkflows }),
    // Permanent failures end at once; retries are counted and, past a few, logged. Short activities
    // beat while they run, so an attempt whose worker is gone is retried within seconds.
    interceptors: { activity: [activityFailureInterceptor, activityLivenessInterceptor] },
    // On SIGTERM, let running activities finish (within the orchestrator's stop grace period).
    shutdownGraceTime: '20 seconds',
    // A workflow's next task waits this long on the queue of the worker that ran its last one before
    // any worker may take it: short, so a worker stopped in a rolling restart holds no case up longer
    // than the API waits for an answer (the default, 10 s, is as long as that wait).
    stickyQueueScheduleToStartTimeout: '3 seconds',
    ...opts.overrides,
  });
}
