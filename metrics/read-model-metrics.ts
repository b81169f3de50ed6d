/**
 * Gauges read from the read model when Prometheus scrapes, never from the workflows: cases by
 * kind and status, overdue hazards by grade, notification deliveries by channel and outcome.
 * One round of queries serves every gauge and is kept for a while, so scrapes from several
 * Prometheus servers (or a fast interval) cost the database one round per CACHE_MS.
 */
import { sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/client';

const CACHE_MS = 15_000;

interface Figures {
  cases: { kind: string; status: string; n: number }[];
  overdue: { grade: string; n: number }[];
  deliveries: { channel: string; outcome: string; n: number }[];
}

async function readFigures(db: Database): Promise<Figures> {
  const [cases, overdue, deliveries] = await Promise.all([
    db.execute<{ kind: string; status: string; n: number }>(sql`
      select 'hazard' as kind, status, count(*)::int as n from hazards group by status
      union all select 'notice', status, count(*)::int from notices group by status
      union all select 'suspension', status, count(*)::int from suspensions group by status`),
    // Rectifying past the deadline (overdue is a fact about time: counted at scrape time).
    db.execute<{ grade: string; n: number }>(sql`
      select grade, count(*)::int as n from hazards where status = 'rectifying' and due_at < now() group by grade`),
    // The inbox's deliveries are delivered when written; read or not is their outcome so far.
    db.execute<{ channel: string; outcome: string; n: number }>(sql`
      select channel, case when read_at is null then 'unread' else 'read' end as outcome, count(*)::int as n
      from deliveries group by 1, 2`),
  ]);
  return { cases: cases.rows, overdue: overdue.rows, deliveries: deliveries.rows };
}

export function readModelMetrics(registry: Registry, db: Database, now: () => number = Date.now): void {
  let cached: { at: number; figures: Promise<Figures> } | undefined;
  const figures = () => {
    if (!cached || now() - cached.at > CACHE_MS) {
      const pending = readFigures(db);
      cached = { at: now(), figures: pending };
      // A failed read is not kept: the next scrape asks again.
      pending.catch(() => (cached = undefined));
    }
    return cached.figures;
  };
  new Gauge({
    name: 'duban_read_model_up',
    help: '1 when the read model answered this scrape, 0 when the database did not',
    registers: [registry],
    async collect() {
      this.set(await figures().then(() => 1, () => 0));
    },
  });
  new Gauge({
    name: 'duban_cases',
    help: 'hazards, notices and suspensions in the read model, by kind and status',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await figures().catch(() => ({ cases: [] }))).cases) this.set({ kind: r.kind, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'duban_hazards_overdue',
    help: 'hazards being rectified past their deadline, by grade',
    labelNames: ['grade'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // Both grades always present, so an alert on a grade sees 0 rather than no series.
      this.set({ grade: 'general' }, 0);
      this.set({ grade: 'major' }, 0);
      for (const r of (await figures().catch(() => ({ overdue: [] }))).overdue) this.set({ grade: r.grade }, r.n);
    },
  });
  new Gauge({
    name: 'duban_notification_deliveries',
    help: 'notification deliveries recorded, by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await figures().catch(() => ({ deliveries: [] }))).deliveries) this.set({ channel: r.channel, outcome: r.outcome }, r.n);
    },
  });
}
