/**
 * The leaders' figures as they are answered (by the API, and in review packs): the summary rows
 * (db/figures/read.ts) read for one region node, summed by the pure rules (domain/figures/), each figure with the hazard-list query
 * that reproduces it and the time the summary was last folded.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import { calendarAtStamp } from '../calendar';
import type { FigureCache } from './answer-cache';
import { regions } from '../schema';
import { sameCollapse } from './age-collapse';
import * as read from './read';
import { about, atOf, listBase, listQuery, type Node, type Subject } from './subjects';
import { AGE_BUCKETS, ageCollapse, histogramMedian, type AgeCollapse } from '../../domain/figures/ageing';
import { ageReader, summarizeOpen, type OpenCountRow, type OpenSummary } from '../../domain/figures/open-summary';
import { periodOf, periodsBetween, previousPeriod, type Period, type PeriodKind } from '../../domain/figures/periods';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { WorkCalendar } from '../../domain/work-calendar';

/** Each calendar's age buckets for the day last asked: the same for every answer of a day. */
const collapses = new WeakMap<WorkCalendar, AgeCollapse>();

/**
 * A reader of the figures at one moment (a request's). Given a cache, answers about a region node
 * are kept there under the summary's version, the calendar's and the directory's stamps and the
 * day (db/figures/answer-cache.ts); an enterprise's own figures are read live and never kept.
 */
export class FigureReader {
  private calendar?: Promise<WorkCalendar>;

  constructor(
    private readonly db: Database,
    readonly now: number,
    private readonly cache?: FigureCache,
  ) {}

  get today(): string {
    return shanghaiDate(this.now);
  }

  async workCalendar(): Promise<WorkCalendar> {
    this.calendar ??= this.state().then((s) => calendarAtStamp(this.db, s.calendarStamp));
    return this.calendar;
  }

  async ageOf(): Promise<(deadline: string) => number> {
    return ageReader(await this.workCalendar(), this.today);
  }

  /** Today's age buckets as deadline ranges, for the reads to collapse overdue rows by (db/figures/age-collapse.ts). */
  async collapse(): Promise<AgeCollapse> {
    const calendar = await this.workCalendar();
    const known = collapses.get(calendar);
    if (known?.today === this.today) return known;
    const collapse = ageCollapse(calendar, this.today);
    collapses.set(calendar, collapse);
    return collapse;
  }

  /** The fold's state and the calendar's stamp, read once per answer. */
  private readState?: Promise<read.ReadingState>;

  private state(): Promise<read.ReadingState> {
    this.readState ??= read.readingState(this.db);
    return this.readState;
  }

  async computedAt(): Promise<string | null> {
    return (await this.state()).foldedAt?.toISOString() ?? null;
  }

  /** Today's collapse, and whether figure_open_aged is aged for it. */
  private async aged(): Promise<{ collapse: AgeCollapse; aged: boolean }> {
    const [collapse, state] = await Promise.all([this.collapse(), this.state()]);
    return { collapse, aged: sameCollapse(state.aged, collapse) };
  }

  /**
   * An answer about `subject` with when it was computed: a node's from the cache when one is given
   * (kept under everything its figures depend on besides `key`), an enterprise's computed now.
   */
  private async answer<T extends object>(subject: Subject, key: ReadonlyArray<string | number>, compute: () => Promise<T>): Promise<{ computedAt: string | null } & T> {
    const computedAt = await this.computedFor(subject);
    if (!this.cache || !('node' in subject)) return { computedAt, ...(await compute()) };
    const state = await this.state();
    const fullKey = JSON.stringify([state.version, state.calendarStamp, state.directoryStamp, this.today, subject.node.id, subject.node.path, ...key]);
    return { computedAt, ...(await this.cache.remember(fullKey, compute)) };
  }

  period(kind: PeriodKind, date?: string): { current: Period; previous: Period } {
    const current = periodOf(kind, date ?? this.today);
    return { current, previous: previousPeriod(current) };
  }

  /** When an answer was computed: the last fold for a node's summary, now for an enterprise's own rows. */
  private async computedFor(subject: Subject): Promise<string | null> {
    return 'node' in subject ? this.computedAt() : new Date(this.now).toISOString();
  }

  /** KPIs for a period, each beside the previous period's. */
  async overview(subject: Subject, kind: PeriodKind, date?: string) {
    const { current, previous } = this.period(kind, date);
    return this.overviewOver(subject, current, previous);
  }

  /** The same KPIs for any period (a review pack's months), beside the one given as previous. */
  async overviewOver<P extends { from: string; to: string }>(subject: Subject, current: P, previous: P) {
    return this.answer(subject, ['overview', current.from, current.to, previous.from, previous.to], () => this.overviewFigures(subject, current, previous));
  }

  private async overviewFigures<P extends { from: string; to: string }>(subject: Subject, current: P, previous: P) {
    const ageOf = await this.ageOf();
    const at = atOf(subject);
    const calendar = () => this.workCalendar();
    const [open, now, before, since, closureNow, closureBefore] = await Promise.all([
      this.collapse().then((c) => read.openAt(this.db, at, c)),
      read.daysAt(this.db, at, current.from, current.to),
      read.daysAt(this.db, at, previous.from, previous.to),
      read.daysAt(this.db, at, addDays(previous.to, 1), null),
      read.closureDaysAt(this.db, at, current.from, current.to, calendar),
      read.closureDaysAt(this.db, at, previous.from, previous.to, calendar),
    ]);
    const s = summarizeOpen(open, ageOf, this.today);
    // Open at the end of the previous period: today's open, less what came in since, plus what left.
    const openBefore = s.open - since.registered - since.reopened + since.closed + since.voided;
    const base = listBase(subject);
    const rate = (d: read.DayTotals) => (d.closed ? d.closedOnTime / d.closed : null);
    return {
      ...about(subject),
      period: current,
      previousPeriod: previous,
      open: { value: s.open, previous: openBefore, rectifying: s.rectifying, underReview: s.underReview, list: listQuery({ ...base, open: true }) },
      overdue: {
        value: s.overdue,
        share: s.open ? s.overdue / s.open : 0,
        major: s.overdueMajor,
        becameOverdue: now.becameOverdue,
        previousBecameOverdue: before.becameOverdue,
        list: listQuery({ ...base, overdue: true }),
      },
      majorListed: {
        value: Object.values(s.listed).reduce((a, b) => a + b, 0),
        byLevel: Object.entries(s.listed).map(([level, n]) => ({ level, value: n, list: listQuery({ ...base, open: true, grade: 'major', listingLevel: level }) })),
        list: listQuery({ ...base, open: true, grade: 'major', listed: true }),
      },
      registered: { value: now.registered, previous: before.registered, list: listQuery({ ...base, foundFrom: current.from, foundTo: current.to }) },
      closed: { value: now.closed, previous: before.closed, list: listQuery({ ...base, status: 'closed', closedFrom: current.from, closedTo: current.to }) },
      onTimeRate: { value: rate(now), previous: rate(before), closedOnTime: now.closedOnTime, previousClosedOnTime: before.closedOnTime },
      medianWorkingDaysToClose: { value: histogramMedian(closureNow), previous: histogramMedian(closureBefore) },
      escalated: { value: now.escalated, previous: before.escalated },
      repeats: { value: now.repeats, previous: before.repeats, list: listQuery({ ...base, repeat: true, foundFrom: current.from, foundTo: current.to }) },
    };
  }

  /** Overdue hazards by age bucket and grade. */
  async ageing(subject: Subject) {
    return this.answer(subject, ['ageing'], () => this.ageingFigures(subject));
  }

  private async ageingFigures(subject: Subject) {
    const [open, ageOf] = await Promise.all([this.collapse().then((c) => read.openAt(this.db, atOf(subject), c)), this.ageOf()]);
    const s = summarizeOpen(open, ageOf, this.today);
    const base = listBase(subject);
    return {
      ...about(subject),
      today: this.today,
      buckets: AGE_BUCKETS.map((b) => {
        const { general, major } = s.ageing[b.key]!;
        return {
          bucket: b.key,
          min: b.min,
          max: b.max,
          general,
          major,
          total: general + major,
          list: listQuery({ ...base, age: b.key }),
          lists: { general: listQuery({ ...base, age: b.key, grade: 'general' }), major: listQuery({ ...base, age: b.key, grade: 'major' }) },
        };
      }),
    };
  }

  /**
   * The node's figures one level down, or by industry, responsible leader or supervisor: the
   * `limit` rows with the most overdue work (all when not given), and how many rows there are in all.
   */
  async breakdown(node: Node, by: 'region' | read.Dimension, kind: PeriodKind, date?: string, limit?: number) {
    const { current } = this.period(kind, date);
    return this.answer({ node }, ['breakdown', by, current.from, current.to, limit ?? 'all'], () => this.breakdownFigures(node, by, current, limit));
  }

  private async breakdownFigures(node: Node, by: 'region' | read.Dimension, current: Period, limit: number | undefined) {
    const ageOf = await this.ageOf();
    const row = (key: string, label: string | null, counts: OpenCountRow[], filter: Record<string, string>) => {
      const s = summarizeOpen(counts, ageOf, this.today);
      return { key, label, ...figuresOf(s), lists: { open: listQuery({ ...filter, open: true }), overdue: listQuery({ ...filter, overdue: true }) } };
    };
    if (by === 'region') {
      const [children, open, days] = await Promise.all([
        this.db.select({ id: regions.id, name: regions.name, level: regions.level, path: regions.path }).from(regions).where(eq(regions.parentId, node.id)),
        this.collapse().then((c) => read.openOfChildren(this.db, node.path, c)),
        read.daysOfChildren(this.db, node.path, current.from, current.to),
      ]);
      const byNode = groupBy(open, (r) => r.nodePath);
      const rows = children
        .map((c) => {
          const d = days.get(c.path);
          return {
            ...row(c.id, c.name, byNode.get(c.path) ?? [], { region: c.id }),
            level: c.level,
            drill: { region: c.id },
            registered: d?.registered ?? 0,
            closed: d?.closed ?? 0,
            onTimeRate: d?.closed ? d.closedOnTime / d.closed : null,
          };
        })
        .sort(byOverdueThenName);
      return { region: node, by, period: current, totalRows: rows.length, rows: rows.slice(0, limit) };
    }
    const { collapse, aged } = await this.aged();
    const { rows: counts, values } = await read.openByDimension(this.db, node.path, by, collapse, aged, limit);
    const labels = await read.labelsOf(this.db, by, [...new Set(counts.map((c) => c.value))]);
    const rows = [...groupBy(counts, (c) => c.value)].map(([value, rs]) =>
      row(value, value ? (labels.get(value) ?? value) : null, rs, { region: node.id, [by]: value === '' ? 'none' : value }),
    );
    return { region: node, by, period: current, totalRows: values, rows: rows.sort(byOverdueThenName) };
  }

  /** Enterprises under the node ranked by overdue hazards now, or by repeats found in the period. */
  async ranking(node: Node, rank: 'overdue' | 'repeats', kind: PeriodKind, limit: number, date?: string) {
    const { current } = this.period(kind, date);
    if (rank === 'overdue') {
      return this.answer({ node }, ['ranking', rank, limit], async () => {
        const { collapse, aged } = await this.aged();
        const rows = await read.enterprisesByOverdue(this.db, node.path, collapse, aged, limit);
        return { region: node, rank, rows: rows.map((r) => ({ ...r, list: listQuery({ enterpriseId: r.id, overdue: true }) })) };
      });
    }
    // Repeats are read from the hazards themselves, so they are as of now and never kept.
    const rows = await read.enterprisesByRepeats(this.db, node.path, current.from, current.to, limit);
    return {
      computedAt: new Date(this.now).toISOString(),
      region: node,
      rank,
      period: current,
      rows: rows.map((r) => ({ ...r, list: listQuery({ enterpriseId: r.id, repeat: true, foundFrom: current.from, foundTo: current.to }) })),
    };
  }

  /** New, closed, overdue and escalations per week or month. */
  async trend(subject: Subject, interval: 'week' | 'month', from?: string, to?: string) {
    return this.answer(subject, ['trend', interval, from ?? '', to ?? ''], () => this.trendFigures(subject, interval, from, to));
  }

  private async trendFigures(subject: Subject, interval: 'week' | 'month', from?: string, to?: string) {
    const end = to ?? this.today;
    const start = from ?? addDays(end, interval === 'week' ? -7 * 12 : -365);
    const periods = periodsBetween(interval, start, end, 120);
    const first = periods[0]?.from ?? start;
    const last = periods[periods.length - 1]?.to ?? end;
    const days = await read.daySeries(this.db, atOf(subject), first, last);
    const base = listBase(subject);
    const points = periods.map((p) => {
      const inside = days.filter((d) => d.day >= p.from && d.day <= p.to);
      const sum = (k: keyof read.DayTotals) => inside.reduce((a, d) => a + d[k], 0);
      return {
        period: p,
        registered: sum('registered'),
        closed: sum('closed'),
        becameOverdue: sum('becameOverdue'),
        escalated: sum('escalated'),
        lists: { registered: listQuery({ ...base, foundFrom: p.from, foundTo: p.to }), closed: listQuery({ ...base, status: 'closed', closedFrom: p.from, closedTo: p.to }) },
      };
    });
    return { ...about(subject), interval, points };
  }

  /** Open notices of the node; their lists are queries of `GET /api/notices`. */
  async notices(node: Node) {
    const f = await read.openNoticesAt(this.db, node.path, new Date(this.now));
    const region = node.id;
    return {
      computedAt: new Date(this.now).toISOString(),
      region: node,
      open: f.open,
      unsignedPastDue: f.unsignedPastDue,
      overdue: f.overdue,
      byInstrument: f.byInstrument.map((r) => ({ ...r, list: listQuery({ region, ladderLevel: r.level, instrument: r.instrument }) })),
      pendingDecisions: f.pendingDecisions.map((r) => ({ ...r, list: listQuery({ region, pendingDecision: r.kind, decider: r.deciderRole }) })),
      lists: { open: listQuery({ region, open: true }), overdue: listQuery({ region, overdue: true }), unsigned: listQuery({ region, signOverdue: true }) },
    };
  }
}

function figuresOf(s: OpenSummary) {
  return { open: s.open, rectifying: s.rectifying, underReview: s.underReview, overdue: s.overdue, overdueMajor: s.overdueMajor, major: s.major, ageing: s.ageing };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function byOverdueThenName(a: { overdue: number; open: number; label: string | null }, b: { overdue: number; open: number; label: string | null }) {
  return b.overdue - a.overdue || b.open - a.open || (a.label ?? '').localeCompare(b.label ?? '', 'zh');
}
