/**
 * The burst measurement: K hazards whose deadline passed on the same day are started through the
 * gateway at once, as when a stock of overdue hazards is imported or a worker comes back after an
 * outage; each catches up its ladder at once, so K × (registration + overdue + escalations)
 * recording activities arrive together. Measured from the first start until no hazard has a step
 * left due, once with the worker's default options and once with slots set from the pool.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { and, count, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Database } from '../db/client';
import { hazardEvents, hazards } from '../db/schema';
import { DEFAULT_POLICIES } from '../domain/policy';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { createDubanWorker } from '../temporal/create-worker';
import { HazardGateway } from '../temporal/hazard-gateway';

export interface BurstOptions {
  k: number;
  client: Client;
  connection: NativeConnection;
  namespace: string;
  db: Database;
  enterpriseId: string;
  /** Connections in the pool the worker's activities share. */
  poolSize: number;
  workflowBundlePath?: string;
}

export interface BurstRun {
  label: 'default' | 'tuned';
  slots: { activities: number; workflowTasks: number } | null;
  hazards: number;
  /** Recording activities (hazard events written) in the burst. */
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

async function run(label: BurstRun['label'], slots: BurstRun['slots'], o: BurstOptions): Promise<BurstRun> {
  const taskQueue = `burst-${label}-${randomUUID().slice(0, 8)}`;
  const worker = await createDubanWorker({ connection: o.connection, namespace: o.namespace, taskQueue, db: o.db, workflowBundlePath: o.workflowBundlePath, ...(slots ? { slots } : {}) });
  const running = worker.run();
  try {
    const gateway = new HazardGateway(o.client, taskQueue);
    const deadline = addDays(shanghaiDate(Date.now()), -5);
    const ids = Array.from({ length: o.k }, () => randomUUID());
    const started = performance.now();
    await Promise.all(
      ids.map((hazardId) =>
        gateway.start({
          hazard: { hazardId, enterpriseId: o.enterpriseId, grade: 'general', policy: DEFAULT_POLICIES.general, deadline },
          registration: { title: '基准：积压隐患', description: '', category: '消防安全', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: 'bench' },
        }),
      ),
    );
    // Caught up: every hazard recorded, none with a step still due.
    for (;;) {
      const [due] = await o.db
        .select({ n: count() })
        .from(hazards)
        .where(and(inArray(hazards.id, ids), isNotNull(hazards.nextStepAt), lte(hazards.nextStepAt, new Date())));
      if ((due?.n ?? 1) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const [records] = await o.db.select({ n: count() }).from(hazardEvents).where(inArray(hazardEvents.hazardId, ids));
    const n = records?.n ?? 0;
    return { label, slots, hazards: o.k, records: n, seconds, recordsPerSecond: n / seconds };
  } finally {
    worker.shutdown();
    await running;
  }
}

/**
 * The SDK's default options and slots from the pool (activities = pool, workflow tasks = 2 ×
 * pool), default first unless `tunedFirst` (to see what the order itself does to the figures).
 */
export async function measureBurst(o: BurstOptions & { tunedFirst?: boolean }): Promise<BurstRun[]> {
  const tuned = { activities: o.poolSize, workflowTasks: Math.max(2, 2 * o.poolSize) };
  if (o.tunedFirst) {
    const t = await run('tuned', tuned, o);
    return [await run('default', null, o), t];
  }
  return [await run('default', null, o), await run('tuned', tuned, o)];
}

export function formatBurst(runs: BurstRun[]): string {
  return runs
    .map((r) => `${r.label.padEnd(8)} ${r.slots ? `activities ${r.slots.activities}, workflow tasks ${r.slots.workflowTasks}` : 'SDK defaults'}: ${r.hazards} hazards, ${r.records} records in ${r.seconds.toFixed(2)} s (${r.recordsPerSecond.toFixed(1)} records/s)`)
    .join('\n');
}
