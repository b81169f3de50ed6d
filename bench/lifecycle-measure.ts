/**
 * What the lifecycle benchmark measures, separate from how its servers are started so a smoke
 * test can run it at tiny N. Both sides run on the same Temporal server and worker: the bare
 * baseline makes the same number of activity calls as one hazard's life (register, submit,
 * review), with no HTTP, no Postgres and no business logic. The life also uploads one photo
 * (no workflow involved), as every real submission does.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../scripts/sample-files';

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
}

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
  /** lifecycle rate / bare rate; the goal is at least 0.5. */
  ratio: number;
}

async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<RateResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return { count: n, seconds, perSecond: n / seconds, p50ms: pct(0.5), p95ms: pct(0.95) };
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

export async function measureLifecycle(o: LifecycleBenchOptions): Promise<LifecycleBenchResult> {
  const bare = await pool(o.n, o.concurrency, async () => {
    await o.client.workflow.execute('bareWorkflow', {
      workflowId: `bench-bare-${randomUUID()}`,
      taskQueue: o.taskQueue,
      args: [ACTIVITIES_PER_LIFE],
    });
  });
  const deadline = addDays(shanghaiDate(Date.now()), 30);
  const hazards = `${o.apiBaseUrl}/api/hazards`;
  const lifecycle = await pool(o.n, o.concurrency, async (i) => {
    const hazard = await post(
      hazards,
      o.supervisorToken,
      { enterpriseId: o.enterpriseId, title: `基准测试隐患 ${i}`, category: '基准', source: 'inspection', grade: 'general', deadline },
      201,
    );
    const files = await post(`${hazards}/${hazard.id}/evidence`, o.enterpriseToken, evidenceForm([{ name: `${i}.jpg`, bytes: SAMPLE_JPEG }]), 201);
    await post(`${hazards}/${hazard.id}/submissions`, o.enterpriseToken, { evidence: [files.items[0].id] }, 200);
    const closed = await post(`${hazards}/${hazard.id}/reviews`, o.supervisorToken, { decision: 'accept' }, 200);
    if (closed.status !== 'closed') throw new Error(`hazard ${hazard.id} ended ${closed.status}`);
  });
  return {
    n: o.n,
    concurrency: o.concurrency,
    activitiesPerLife: ACTIVITIES_PER_LIFE,
    bare,
    lifecycle,
    ratio: lifecycle.perSecond / bare.perSecond,
  };
}

export function formatResult(r: LifecycleBenchResult): string {
  const line = (name: string, x: RateResult) =>
    `${name.padEnd(22)} ${x.perSecond.toFixed(1).padStart(7)} /s   p50 ${String(x.p50ms).padStart(5)} ms   p95 ${String(x.p95ms).padStart(5)} ms   (${x.count} in ${x.seconds.toFixed(1)} s)`;
  return [
    `lifecycle benchmark: N=${r.n}, concurrency ${r.concurrency}, ${r.activitiesPerLife} activities per life`,
    line('baseline (bare wf)', r.bare),
    line('hazard life via API', r.lifecycle),
    `ratio lifecycle/baseline: ${r.ratio.toFixed(2)} (goal >= 0.50)`,
  ].join('\n');
}
