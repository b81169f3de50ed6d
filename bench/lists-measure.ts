/**
 * What the lists benchmark measures, apart from how its city is made so a smoke test can run it
 * small: a leader's hazard list (first page, overdue, a region's subtree, a deep page reached by
 * following cursors) and a hazard's record through the real API under autocannon, beside a bare
 * Express + pg endpoint running the very statements the API runs (built by hazardListStatements
 * and keptHazardTotalStatement and turned into SQL text, so the two cannot drift), on the same database.
 */
import autocannon from 'autocannon';
import { and, asc, eq, like } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { hazardFilterOf } from '../api/hazard-list-filter';
import type { ListHazardsQuery } from '../api/schemas/hazard';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { decodeCursor, hazardListStatements, hazardScope, prefixPattern } from '../db/hazard-queries';
import { hazardEvents, hazards, notifications } from '../db/schema';
import { keptHazardTotalStatement } from '../db/figures/open-total';
import { shanghaiDate } from '../domain/shanghai-time';

const dialect = new PgDialect();

/** One statement as the driver sends it. */
interface Statement {
  text: string;
  params: unknown[];
}

export interface ListCase {
  name: string;
  /** The API path with its query. */
  api: string;
  /** The statements the API runs for it, run by the baseline in the same way (all at once). */
  statements: Statement[];
}

export interface Persona {
  label: string;
  token: string;
  principal: Principal;
  /** A region strictly under the persona's, for the subtree filter. */
  subRegionId: string;
}

const toStatement = (q: { toSQL(): { sql: string; params: unknown[] } }): Statement => {
  const { sql, params } = q.toSQL();
  return { text: sql, params };
};

/** A page of the list through the API, as the person sees it. */
async function page(apiBaseUrl: string, token: string, query: string): Promise<{ items: Array<{ id: string }>; nextCursor: string | null }> {
  const res = await fetch(`${apiBaseUrl}/api/hazards?${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /api/hazards?${query}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
}

/**
 * The cases of one persona: the statements of each list page built exactly as the API builds them
 * (hazardFilterOf, hazardScope, hazardListStatements) for the same principal and query; the deep
 * page is reached by following `deepPages` cursors through the API; the record is the first
 * hazard of the first page.
 */
export async function listCases(o: { apiBaseUrl: string; db: Database; persona: Persona; limit: number; deepPages: number; now: number }): Promise<ListCase[]> {
  const { persona: p, limit } = o;
  const listCase = async (name: string, query: Record<string, string>): Promise<ListCase> => {
    const q = { limit, ...query } as unknown as ListHazardsQuery;
    if (q.overdue !== undefined) q.overdue = String(q.overdue) === 'true';
    const filter = await hazardFilterOf(o.db, p.principal, q, o.now);
    // A cursor's position, before the total it carries (api/list-total.ts).
    const after = query.cursor ? decodeCursor(query.cursor.split('.')[0]!) ?? undefined : undefined;
    const s = hazardListStatements(o.db, hazardScope(p.principal), filter, { limit, after }, new Date(o.now));
    // The total as the API works it out: none on a cursor's page (carried), the figures' sum for
    // a filter they hold (the bench keeps them folded, as the worker does), else the capped count.
    const kept = after ? null : keptHazardTotalStatement(o.db, filter.regionPath ?? p.principal.regionPath, filter, shanghaiDate(o.now));
    const total = after ? [] : kept ? [dialect.sqlToQuery(kept)].map(({ sql, params }) => ({ text: sql, params })) : [toStatement(s.count)];
    return { name: `${p.label} ${name}`, api: `/api/hazards?${new URLSearchParams({ limit: String(limit), ...query })}`, statements: [...total, toStatement(s.rows)] };
  };
  const first = await page(o.apiBaseUrl, p.token, `limit=${limit}`);
  let cursor = first.nextCursor;
  let pages = 1;
  while (cursor && pages < o.deepPages) {
    const next = await page(o.apiBaseUrl, p.token, `limit=${limit}&cursor=${encodeURIComponent(cursor)}`);
    pages++;
    if (!next.nextCursor) break;
    cursor = next.nextCursor;
  }
  const hazardId = first.items[0]?.id;
  if (!hazardId) throw new Error(`${p.label} sees no hazard`);
  const byId = eq(hazards.id, hazardId);
  const detail: ListCase = {
    name: `${p.label} hazard record`,
    api: `/api/hazards/${hazardId}`,
    // The record's reads as db/hazard-queries.ts prepares them: the hazard within reach, then its timeline and notifications.
    statements: [
      toStatement(o.db.select().from(hazards).where(and(byId, like(hazards.regionPath, prefixPattern(p.principal.regionPath)))).limit(1)),
      toStatement(
        o.db
          .select({ type: hazardEvents.type, actor: hazardEvents.actor, occurredAt: hazardEvents.occurredAt, data: hazardEvents.data, step: hazardEvents.stepKey })
          .from(hazardEvents)
          .where(eq(hazardEvents.hazardId, hazardId))
          .orderBy(asc(hazardEvents.occurredAt), asc(hazardEvents.id)),
      ),
      toStatement(
        o.db
          .select({ kind: notifications.kind, recipientRole: notifications.recipientRole, level: notifications.level, message: notifications.message, scheduledAt: notifications.scheduledAt, step: notifications.stepKey })
          .from(notifications)
          .where(eq(notifications.hazardId, hazardId))
          .orderBy(asc(notifications.scheduledAt), asc(notifications.id)),
      ),
    ],
  };
  return [
    await listCase('first page', {}),
    await listCase('overdue', { overdue: 'true' }),
    await listCase('region subtree', { region: p.subRegionId }),
    await listCase(`page ${pages} (cursor)`, cursor ? { cursor } : {}),
    detail,
  ];
}

/**
 * The baseline: `/case/<i>` runs case i's statements at once on its own pool and answers their
 * rows as JSON; no log-in, no reach check, no validation, no mapping of rows.
 */
export async function startListBaseline(pool: pg.Pool, cases: ListCase[]): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get('/case/:i', async (req, res) => {
    const c = cases[Number(req.params.i)];
    if (!c) {
      res.status(404).end();
      return;
    }
    const results = await Promise.all(c.statements.map((s) => pool.query(s.text, s.params)));
    res.json(results.map((r) => r.rows));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface Load {
  requests: number;
  errors: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

/** autocannon against one URL; its requests are made on a worker thread, off the measured process's event loop. */
export async function cannon(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Load> {
  const r = await autocannon({ url, headers, connections, duration: seconds, workers: 1, timeout: 30 });
  const requests = r.latency.totalCount ?? r.requests.total;
  return {
    requests,
    errors: r.errors + r.timeouts + r.non2xx,
    perSecond: requests / Math.max(r.duration, 0.001),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
  };
}

export interface ListResult {
  name: string;
  connections: number;
  api: Load;
  baseline: Load;
  /** The API's throughput over the baseline's. */
  ratio: number;
}

export async function measureLists(
  o: { apiBaseUrl: string; baselineUrl: string; tokens: Map<string, string>; connections: number[]; seconds: number; warmSeconds?: number },
  cases: Array<ListCase & { persona: string }>,
): Promise<ListResult[]> {
  const out: ListResult[] = [];
  for (const connections of o.connections) {
    for (const [i, c] of cases.entries()) {
      const apiRun = (seconds: number) => cannon(`${o.apiBaseUrl}${c.api}`, { authorization: `Bearer ${o.tokens.get(c.persona)}` }, connections, seconds);
      const baselineRun = (seconds: number) => cannon(`${o.baselineUrl}/case/${i}`, {}, connections, seconds);
      // Both sides warmed first, uncounted: whichever side ran first would otherwise read the
      // case's pages from disk for the other (a large city's deep pages and records are cold).
      if (o.warmSeconds) {
        await apiRun(o.warmSeconds);
        await baselineRun(o.warmSeconds);
      }
      const api = await apiRun(o.seconds);
      const baseline = await baselineRun(o.seconds);
      out.push({ name: c.name, connections, api, baseline, ratio: api.perSecond / Math.max(baseline.perSecond, 1e-9) });
    }
  }
  return out;
}

export function formatLists(results: ListResult[]): string {
  const f = (x: Load) => `${x.perSecond.toFixed(0).padStart(6)} req/s  p50 ${String(x.p50ms).padStart(4)}  p99 ${String(x.p99ms).padStart(5)} ms${x.errors ? `  ${x.errors} errors` : ''}`;
  const lines = ['lists benchmark (goal: API >= 0.7 of the baseline\'s req/s, p99 <= 50 ms at 1M hazards)'];
  for (const r of results) {
    lines.push(`${`${r.name} @${r.connections}`.padEnd(36)} API       ${f(r.api)}`);
    lines.push(`${''.padEnd(36)} baseline  ${f(r.baseline)}   ratio ${r.ratio.toFixed(2)}`);
  }
  return lines.join('\n');
}
