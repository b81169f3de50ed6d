/**
 * What the history benchmark measures, apart from the servers it runs on so a smoke test can run
 * it small: how many history events a hazard's workflow writes (a simple life; a major hazard's
 * year of extensions, rejections, reminders and escalations, run by run across continue-as-new),
 * and how much memory a worker holds with N hazard workflows open and waiting on their timers.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { DubanWorker } from '../temporal/create-worker';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { HazardRegistration } from '../activities/hazard-records';
import type { Database } from '../db/client';
import { hazardEvents } from '../db/schema';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { SAMPLE_LADDER_POLICY, SAMPLE_REGISTRATION } from '../scripts/sample-hazard';
import {
  decideExtensionUpdate,
  hazardWorkflowId,
  registeredUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from '../workflows/hazard.messages';
import { runPool } from './pool';

const REGISTRATION: HazardRegistration = { ...SAMPLE_REGISTRATION, createdBy: 'bench-inspector' };

export interface HazardStart {
  client: Client;
  taskQueue: string;
  enterpriseId: string;
}

async function startHazard(o: HazardStart, deadline: string, historyLimit?: number) {
  const hazardId = randomUUID();
  const input: HazardWorkflowInput = {
    hazard: { hazardId, enterpriseId: o.enterpriseId, grade: 'major', policy: SAMPLE_LADDER_POLICY, deadline },
    registration: REGISTRATION,
    ...(historyLimit ? { historyLimit } : {}),
  };
  const handle = await o.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(hazardId), taskQueue: o.taskQueue, args: [input] });
  await handle.executeUpdate(registeredUpdate);
  return { hazardId, handle };
}

/** The events of each run of a workflow, first run first, following continue-as-new. */
export async function runsOf(client: Client, workflowId: string, firstRunId: string): Promise<number[]> {
  const counts: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    counts.push(events.length);
    const next: string | null | undefined = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    runId = next ?? undefined;
  }
  return counts;
}

/** Registered, submitted, accepted: the shortest life of a hazard. */
export async function simpleLifecycle(o: HazardStart & { now: number }): Promise<{ events: number }> {
  const { handle } = await startHazard(o, addDays(shanghaiDate(o.now), 30));
  const firstRunId = (await handle.describe()).runId;
  await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['evidence/bench'], note: '已更换', by: 'bench-enterprise' }] });
  await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'bench-inspector' }] });
  await handle.result();
  const runs = await runsOf(o.client, handle.workflowId, firstRunId);
  return { events: runs.reduce((a, b) => a + b, 0) };
}

export interface YearResult {
  months: number;
  historyLimit: number | null;
  rounds: number;
  extensionsGranted: number;
  extensionsRefused: number;
  rejections: number;
  /** Events of each run, first run first. */
  runs: number[];
  total: number;
  largestRun: number;
}

/**
 * A major hazard over `months`: each month the enterprise asks for ten more days (granted, unless
 * the rules refuse a further one), lets the deadline pass so the overdue mark and the escalations
 * fire, then submits and is rejected with a new deadline; closed at the end. `sleepUntil` moves
 * the time-skipping server's clock.
 */
export async function majorHazardYear(
  o: HazardStart & { months: number; historyLimit?: number; now(): Promise<number>; sleepUntil(instant: number): Promise<void> },
): Promise<YearResult> {
  const DAY = 86_400_000;
  const start = await o.now();
  let deadline = addDays(shanghaiDate(start), 20);
  const { handle } = await startHazard(o, deadline, o.historyLimit);
  const firstRunId = (await handle.describe()).runId;
  const latest = () => o.client.workflow.getHandle(handle.workflowId);
  const r = { rounds: 1, extensionsGranted: 0, extensionsRefused: 0, rejections: 0 };
  for (let month = 0; month < o.months; month++) {
    const asked = addDays(deadline, 10);
    try {
      await latest().executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: asked, reason: '设备需厂家定制', by: 'bench-enterprise' }] });
      await latest().executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', by: 'bench-inspector' }] });
      deadline = asked;
      r.extensionsGranted++;
    } catch {
      r.extensionsRefused++;
    }
    // Past the deadline by eight days: the overdue mark and every escalation of the round fire.
    await o.sleepUntil(Date.parse(`${deadline}T00:00:00+08:00`) + 9 * DAY);
    await latest().executeUpdate(submitRectificationUpdate, { args: [{ evidence: [`evidence/bench-${month}`], by: 'bench-enterprise' }] });
    if (month === o.months - 1) break;
    deadline = addDays(shanghaiDate(await o.now()), 12);
    await latest().executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['照片不清晰'], newDeadline: deadline, by: 'bench-inspector' }] });
    r.rejections++;
    r.rounds++;
  }
  await latest().executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'bench-inspector' }] });
  await latest().result();
  const runs = await runsOf(o.client, handle.workflowId, firstRunId);
  return { months: o.months, historyLimit: o.historyLimit ?? null, ...r, runs, total: runs.reduce((a, b) => a + b, 0), largestRun: Math.max(...runs) };
}

export interface MemorySample {
  atSeconds: number;
  /** How many workflows had been started by then. */
  started: number;
  rssMB: number;
  heapUsedMB: number;
  cached: number;
}

export interface MemoryResult {
  workflows: number;
  maxCachedWorkflows: number;
  startSeconds: number;
  settleSeconds: number;
  baselineRssMB: number;
  peakRssMB: number;
  settledRssMB: number;
  settledCached: number;
  samples: MemorySample[];
}

const mb = (n: number) => Math.round(n / 1048576);

/**
 * Starts `n` hazard workflows (deadline 90 days out: each records its registration, then waits on
 * its first reminder's timer) on a running worker in this process, sampling this process's RSS and
 * the worker's sticky cache every `sampleMs` while they start and for `settleSeconds` after every
 * registration is recorded. `baselineRssMB` is taken before the first start.
 */
export async function workerMemory(o: HazardStart & { db: Database; worker: DubanWorker; n: number; concurrency: number; settleSeconds: number; sampleMs: number }): Promise<MemoryResult> {
  const samples: MemorySample[] = [];
  const t0 = performance.now();
  let started = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples.push({ atSeconds: Math.round((performance.now() - t0) / 100) / 10, started, rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), cached: o.worker.getStatus().numCachedWorkflows });
  };
  sample();
  const baselineRssMB = samples[0]!.rssMB;
  const timer = setInterval(sample, o.sampleMs);
  const ids: string[] = [];
  const deadline = addDays(shanghaiDate(Date.now()), 90);
  try {
    await runPool(o.n, o.concurrency, async () => {
      const hazardId = randomUUID();
      ids.push(hazardId);
      const input: HazardWorkflowInput = { hazard: { hazardId, enterpriseId: o.enterpriseId, grade: 'major', policy: SAMPLE_LADDER_POLICY, deadline }, registration: REGISTRATION };
      await o.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(hazardId), taskQueue: o.taskQueue, args: [input] });
      started++;
    });
    // Settled: every workflow has recorded its registration and waits on a timer.
    for (;;) {
      let registered = 0;
      for (let i = 0; i < ids.length; i += 5_000) {
        const [row] = await o.db
          .select({ n: sql<number>`count(*)::int` })
          .from(hazardEvents)
          .where(and(eq(hazardEvents.type, 'registered'), inArray(hazardEvents.hazardId, ids.slice(i, i + 5_000))));
        registered += row?.n ?? 0;
      }
      if (registered >= o.n) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const startSeconds = (performance.now() - t0) / 1000;
    const settled = samples.length;
    await new Promise((r) => setTimeout(r, o.settleSeconds * 1000));
    sample();
    const after = samples.slice(settled);
    return {
      workflows: o.n,
      maxCachedWorkflows: o.worker.options.maxCachedWorkflows,
      startSeconds,
      settleSeconds: o.settleSeconds,
      baselineRssMB,
      peakRssMB: Math.max(...samples.map((s) => s.rssMB)),
      settledRssMB: after[after.length - 1]!.rssMB,
      settledCached: after[after.length - 1]!.cached,
      samples,
    };
  } finally {
    clearInterval(timer);
  }
}

export function formatHistory(r: { simple?: { events: number }; year?: YearResult; memory?: MemoryResult }): string {
  const lines: string[] = [];
  if (r.simple) lines.push(`simple lifecycle (registered, submitted, accepted): ${r.simple.events} history events (goal <= 100)`);
  if (r.year) {
    const y = r.year;
    lines.push(
      `major hazard over ${y.months} months (history limit ${y.historyLimit ?? 'none (only the server suggests)'}): ${y.rounds} rounds, ${y.extensionsGranted} extensions granted, ${y.extensionsRefused} refused, ${y.rejections} rejections`,
      `  ${y.runs.length} run(s), events per run ${y.runs.join(', ')}; total ${y.total}, largest run ${y.largestRun}`,
    );
  }
  if (r.memory) {
    const m = r.memory;
    lines.push(
      `worker memory at ${m.workflows.toLocaleString('en')} open hazard workflows (sticky cache max ${m.maxCachedWorkflows}): started and registered in ${m.startSeconds.toFixed(1)} s`,
      `  RSS before ${m.baselineRssMB} MB, peak ${m.peakRssMB} MB, settled (${m.settleSeconds} s after) ${m.settledRssMB} MB with ${m.settledCached} workflows cached`,
    );
    const step = Math.max(1, Math.floor(m.samples.length / 12));
    lines.push(`  samples (s, started, RSS MB, heap MB, cached): ${m.samples.filter((_, i) => i % step === 0 || i === m.samples.length - 1).map((s) => `${s.atSeconds}/${s.started}/${s.rssMB}/${s.heapUsedMB}/${s.cached}`).join('  ')}`);
  }
  return lines.join('\n');
}
