/**
 * What the figures benchmark measures, apart from how its city is made so a smoke test can run
 * it small: each figure endpoint under C concurrent callers for a while, beside a bare endpoint
 * that answers the same question with a live GROUP BY over the hazards themselves.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { Database } from '../db/client';
import { FigureReader } from '../db/figures/answers';
import type { Node } from '../db/figures/subjects';
import { Worker } from 'node:worker_threads';
import { shanghaiDate, shanghaiInstant, addDays } from '../domain/shanghai-time';
import { periodOf } from '../domain/figures/periods';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
}

/**
 * Calls `url` from `connections` loops for `seconds`, each waiting for its answer before the next,
 * on a worker thread (bench/request-loops.mjs), so making the calls costs the measured event loop nothing.
 */
export async function load(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  const worker = new Worker(new URL('./request-loops.mjs', import.meta.url), { workerData: { url, headers, connections, seconds } });
  const done = await new Promise<{ latencies: number[]; errors: number; seconds: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the request loops ended with code ${code} before answering`)));
  });
  await worker.terminate();
  const latencies = done.latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requests: latencies.length, errors: done.errors, seconds: done.seconds, perSecond: latencies.length / done.seconds, p50ms: at(0.5), p95ms: at(0.95), p99ms: at(0.99) };
}

/**
 * The baseline: the same figures as `overview` and `breakdown?by=region` computed per request by a
 * GROUP BY over every hazard under the region — what the figures would cost without their summary.
 */
export async function startBaseline(pool: pg.Pool): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get('/overview', async (req, res) => {
    const path = String(req.query.path);
    const today = shanghaiDate(Date.now());
    const p = periodOf('month', today);
    const { rows } = await pool.query(
      `select count(*) filter (where status in ('rectifying', 'under_review')) as open,
              count(*) filter (where status = 'rectifying' and deadline < $2::date) as overdue,
              count(*) filter (where status = 'rectifying' and deadline < $2::date and grade = 'major') as overdue_major,
              count(*) filter (where grade = 'major' and listing_level is not null and status in ('rectifying', 'under_review')) as listed,
              count(*) filter (where created_at >= $3 and created_at < $4) as registered,
              count(*) filter (where closed_at >= $3 and closed_at < $4) as closed,
              count(*) filter (where closed_at >= $3 and closed_at < $4 and submitted_at <= due_at) as on_time
       from hazards where region_path like $1`,
      [`${path}%`, today, new Date(shanghaiInstant(p.from)), new Date(shanghaiInstant(addDays(p.to, 1)))],
    );
    res.json(rows[0]);
  });
  app.get('/breakdown', async (req, res) => {
    const path = String(req.query.path);
    const depth = path.split('/').filter(Boolean).length;
    const { rows } = await pool.query(
      `select split_part(region_path, '/', $2 + 2) as child,
              count(*) filter (where status in ('rectifying', 'under_review')) as open,
              count(*) filter (where status = 'rectifying' and deadline < $3::date) as overdue
       from hazards where region_path like $1 group by 1`,
      [`${path}%`, depth, shanghaiDate(Date.now())],
    );
    res.json(rows);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface FigureCase {
  name: string;
  /** The API path with its query. */
  api: string;
  /** The baseline's path answering the same question, if it has one. */
  baseline?: string;
}

/** The figures a leader's dashboard asks for, at a region node. */
export function dashboardCases(regionId: string, path: string, label: string): FigureCase[] {
  const q = `region=${encodeURIComponent(regionId)}`;
  const p = encodeURIComponent(path);
  return [
    { name: `${label} overview`, api: `/api/figures/overview?${q}`, baseline: `/overview?path=${p}` },
    { name: `${label} breakdown by region`, api: `/api/figures/breakdown?by=region&${q}`, baseline: `/breakdown?path=${p}` },
    { name: `${label} breakdown by leader`, api: `/api/figures/breakdown?by=leader&${q}` },
    { name: `${label} breakdown by supervisor`, api: `/api/figures/breakdown?by=supervisor&${q}` },
    { name: `${label} ageing`, api: `/api/figures/ageing?${q}` },
    { name: `${label} enterprises by overdue`, api: `/api/figures/enterprises?rank=overdue&${q}` },
    { name: `${label} trend (weeks)`, api: `/api/figures/trend?interval=week&${q}` },
  ];
}

export interface CaseResult {
  name: string;
  figures: LoadResult;
  baseline?: LoadResult;
}

export async function measureCases(
  o: { apiBaseUrl: string; token: string; baselineUrl: string; connections: number; seconds: number },
  cases: FigureCase[],
): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    const figures = await load(`${o.apiBaseUrl}${c.api}`, { authorization: `Bearer ${o.token}` }, o.connections, o.seconds);
    const baseline = c.baseline ? await load(`${o.baselineUrl}${c.baseline}`, {}, o.connections, o.seconds) : undefined;
    out.push({ name: c.name, figures, baseline });
  }
  return out;
}

export function formatCases(results: CaseResult[], connections: number): string {
  const f = (x: LoadResult) => `${x.perSecond.toFixed(0).padStart(6)} req/s  p50 ${String(x.p50ms).padStart(5)}  p95 ${String(x.p95ms).padStart(5)}  p99 ${String(x.p99ms).padStart(5)} ms${x.errors ? `  ${x.errors} errors` : ''}`;
  const lines = [`figures benchmark at ${connections} connections (goal: p95 <= 100 ms)`];
  for (const r of results) {
    lines.push(`${r.name.padEnd(40)} figures   ${f(r.figures)}`);
    if (r.baseline) {
      lines.push(`${''.padEnd(40)} GROUP BY  ${f(r.baseline)}   p95 ratio ${(r.baseline.p95ms / Math.max(1, r.figures.p95ms)).toFixed(1)}x`);
    }
  }
  return lines.join('\n');
}

/** How long each figure takes to compute anew (the first answer after a fold), read in-process without kept answers. */
export async function computeAnew(db: Database, node: Node, label: string, times = 15): Promise<Array<{ name: string; medianMs: number; p90Ms: number }>> {
  const figures: Array<[string, (r: FigureReader) => Promise<unknown>]> = [
    ['overview', (r) => r.overview({ node }, 'month')],
    ['breakdown by region', (r) => r.breakdown(node, 'region', 'month', undefined, 100)],
    ['breakdown by leader', (r) => r.breakdown(node, 'leader', 'month', undefined, 100)],
    ['breakdown by supervisor', (r) => r.breakdown(node, 'supervisor', 'month', undefined, 100)],
    ['ageing', (r) => r.ageing({ node })],
    ['enterprises by overdue', (r) => r.ranking(node, 'overdue', 'month', 10)],
    ['trend (weeks)', (r) => r.trend({ node }, 'week')],
  ];
  const out = [];
  for (const [name, figure] of figures) {
    const ms: number[] = [];
    for (let i = 0; i < times + 2; i++) {
      const started = performance.now();
      await figure(new FigureReader(db, Date.now()));
      if (i >= 2) ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    out.push({ name: `${label} ${name}`, medianMs: ms[Math.floor(ms.length / 2)]!, p90Ms: ms[Math.floor(ms.length * 0.9)]! });
  }
  return out;
}
