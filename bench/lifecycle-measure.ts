/**
 * What the lifecycle benchmark measures, separate from how its servers are started so a smoke
 * test can run it at tiny N. Both sides run on the same Temporal server and worker: the bare
 * baseline makes the same number of activity calls as one hazard's life (register, submit,
 * review), with no HTTP, no Postgres and no business logic. The life also uploads one photo
 * (no workflow involved), as every real submission does.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Database } from '../db/client';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../scripts/sample-files';
import { hazardWorkflowId } from '../workflows/hazard.messages';
import { perLife, startPhase, type PhaseCost } from './phase-cost';
import { runPool } from './pool';
import { spread } from './spread';

export const ACTIVITIES_PER_LIFE = 3;

export interface LifecycleBenchOptions {
  n: number;
  concurrency: number;
  apiBaseUrl: string;
  enterpriseId: string;
  /** Bearer tokens of a supervisor over the enterprise and of the enterprise's own user. */
  supervisorToken: string;
  enterpriseToken: string;
  client: Client;
  taskQueue: string;
  /** Measure each phase's cost per life too (CPU by process, Postgres round trips and writes from this process, and the WAL of this database). */
  costs?: boolean;
  db?: Database;
  /** Also measure the bare workflow with local activities (bareLocalWorkflow), as a second baseline. */
  bareLocal?: boolean;
}

/** The goal for lifecycle rate / bare rate. */
export const RATIO_GOAL = 0.6;

export interface RateResult {
  count: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
}

export interface LifecycleBenchResult {
  n: number;
  concurrency: number;
  activitiesPerLife: number;
  bare: RateResult;
  lifecycle: RateResult;
  /** lifecycle rate / bare rate; the goal is at least RATIO_GOAL. */
  ratio: number;
  /** A finished workflow's history (the median of a few of each side). */
  history: { bare: { events: number; bytes: number }; life: { events: number; bytes: number } };
  /** Each phase's cost per life, when measured. */
  perLife?: { bare: PhaseCost; life: PhaseCost };
  /** The bare workflow with local activities, when asked for: its rate, the lives' ratio to it, its history and cost. */
  bareLocal?: { rate: RateResult; ratio: number; history: { events: number; bytes: number }; cost?: PhaseCost };
}

async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<RateResult> {
  const { seconds, latencies } = await runPool(n, concurrency, task);
  const pct = spread(latencies);
  return { count: n, seconds, perSecond: n / seconds, p50ms: Math.round(pct.median), p95ms: Math.round(pct.p95) };
}

async function post(url: string, token: string, body: unknown, expected: number): Promise<any> {
  const form = body instanceof FormData;
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(form ? {} : { 'content-type': 'application/json' }) },
    body: form ? body : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== expected) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Runs a phase, and measures its cost per life when a database is given. */
async function phase(o: LifecycleBenchOptions, work: () => Promise<RateResult>): Promise<{ rate: RateResult; cost?: PhaseCost }> {
  const end = o.costs ? await startPhase(o.db) : null;
  const rate = await work();
  return { rate, ...(end ? { cost: perLife(await end(), rate.count) } : {}) };
}

/** The median events and bytes (as the server stores them, protobuf) of a few finished histories. */
async function medianHistory(client: Client, workflowIds: string[]): Promise<{ events: number; bytes: number }> {
  const histories = await Promise.all(workflowIds.slice(0, 5).map((id) => client.workflow.getHandle(id).fetchHistory()));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return {
    events: median(histories.map((h) => h.events?.length ?? 0)),
    bytes: median(histories.map((h) => proto.temporal.api.history.v1.History.encode(h).finish().length)),
  };
}

export interface LivesOptions {
  n: number;
  concurrency: number;
  /** The API that serves life `i` (one, or several in turn behind a balancer). */
  api: (i: number) => string;
  enterpriseId: string;
  supervisorToken: string;
  enterpriseToken: string;
  /** Told each hazard's id as it is registered. */
  started?: (hazardId: string) => void;
}

/**
 * N hazards' lives through the API, `concurrency` at a time: registered by the supervisor, a photo
 * uploaded and the rectification submitted by the enterprise, accepted by the supervisor.
 */
export function runLives(o: LivesOptions): Promise<RateResult> {
  const deadline = addDays(shanghaiDate(Date.now()), 30);
  return pool(o.n, o.concurrency, async (i) => {
    const hazards = `${o.api(i)}/api/hazards`;
    const hazard = await post(
      hazards,
      o.supervisorToken,
      { enterpriseId: o.enterpriseId, title: `基准测试隐患 ${i}`, category: '基准', source: 'inspection', grade: 'general', deadline },
      201,
    );
    o.started?.(hazard.id);
    const files = await post(`${hazards}/${hazard.id}/evidence`, o.enterpriseToken, evidenceForm([{ name: `${i}.jpg`, bytes: SAMPLE_JPEG }]), 201);
    await post(`${hazards}/${hazard.id}/submissions`, o.enterpriseToken, { evidence: [files.items[0].id] }, 200);
    const closed = await post(`${hazards}/${hazard.id}/reviews`, o.supervisorToken, { decision: 'accept' }, 200);
    if (closed.status !== 'closed') throw new Error(`hazard ${hazard.id} ended ${closed.status}`);
  });
}

/** N bare workflows, each as many activity calls as a life, `concurrency` at a time, each run to its end. */
export function runBare(o: { n: number; concurrency: number; client: Client; taskQueue: string; local?: boolean; started?: (workflowId: string) => void }): Promise<RateResult> {
  return pool(o.n, o.concurrency, async () => {
    const workflowId = `bench-bare-${randomUUID()}`;
    o.started?.(workflowId);
    await o.client.workflow.execute(o.local ? 'bareLocalWorkflow' : 'bareWorkflow', { workflowId, taskQueue: o.taskQueue, args: [ACTIVITIES_PER_LIFE] });
  });
}

export async function measureLifecycle(o: LifecycleBenchOptions): Promise<LifecycleBenchResult> {
  const bareIds: string[] = [];
  const bare = await phase(o, () => runBare({ ...o, started: (id) => bareIds.push(id) }));
  const lifeIds: string[] = [];
  const lifecycle = await phase(o, () => runLives({ ...o, api: () => o.apiBaseUrl, started: (id) => lifeIds.push(hazardWorkflowId(id)) }));
  let bareLocal: LifecycleBenchResult['bareLocal'];
  if (o.bareLocal) {
    const localIds: string[] = [];
    const local = await phase(o, () => runBare({ ...o, local: true, started: (id) => localIds.push(id) }));
    bareLocal = { rate: local.rate, ratio: lifecycle.rate.perSecond / local.rate.perSecond, history: await medianHistory(o.client, localIds), ...(local.cost ? { cost: local.cost } : {}) };
  }
  return {
    n: o.n,
    concurrency: o.concurrency,
    activitiesPerLife: ACTIVITIES_PER_LIFE,
    bare: bare.rate,
    lifecycle: lifecycle.rate,
    ratio: lifecycle.rate.perSecond / bare.rate.perSecond,
    history: { bare: await medianHistory(o.client, bareIds), life: await medianHistory(o.client, lifeIds) },
    ...(bare.cost && lifecycle.cost ? { perLife: { bare: bare.cost, life: lifecycle.cost } } : {}),
    ...(bareLocal ? { bareLocal } : {}),
  };
}

export function formatResult(r: LifecycleBenchResult): string {
  const line = (name: string, x: RateResult) =>
    `${name.padEnd(22)} ${x.perSecond.toFixed(1).padStart(7)} /s   p50 ${String(x.p50ms).padStart(5)} ms   p95 ${String(x.p95ms).padStart(5)} ms   (${x.count} in ${x.seconds.toFixed(1)} s)`;
  const cost = (name: string, c: PhaseCost) =>
    `${name.padEnd(22)} cpu ${Object.entries(c.cpuSeconds).map(([k, v]) => `${k} ${(v * 1000).toFixed(0)} ms`).join(', ')}; ` +
    `${c.roundTrips.toFixed(1)} round trips, ${c.transactions.toFixed(1)} transactions, ${c.writes.toFixed(1)} writing statements` +
    (c.walBytes === undefined ? '' : `, ${(c.walBytes / 1024).toFixed(1)} KiB of WAL`);
  return [
    `lifecycle benchmark: N=${r.n}, concurrency ${r.concurrency}, ${r.activitiesPerLife} activities per life`,
    line('baseline (bare wf)', r.bare),
    line('hazard life via API', r.lifecycle),
    `ratio lifecycle/baseline: ${r.ratio.toFixed(2)} (goal >= ${RATIO_GOAL.toFixed(2)})`,
    `history per workflow: bare ${r.history.bare.events} events (${r.history.bare.bytes} bytes), hazard life ${r.history.life.events} events (${r.history.life.bytes} bytes)`,
    ...(r.perLife ? ['per life:', cost('  baseline (bare wf)', r.perLife.bare), cost('  hazard life via API', r.perLife.life)] : []),
    ...(r.bareLocal
      ? [
          line('bare wf, local acts', r.bareLocal.rate),
          `ratio lifecycle/bare with local activities: ${r.bareLocal.ratio.toFixed(2)}; its history ${r.bareLocal.history.events} events (${r.bareLocal.history.bytes} bytes)`,
          ...(r.bareLocal.cost ? [cost('  bare wf, local acts', r.bareLocal.cost)] : []),
        ]
      : []),
  ].join('\n');
}
