/** Reads of the notice read model: lists, the record with its hazards, instruments, decisions and timeline. */
import { and, asc, count, desc, eq, getTableColumns, inArray, like, lte, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Principal } from '../auth/principal';
import { caseTimeline } from './case-events';
import type { Database } from './client';
import { countedTotal, countUpToStatement, type ListTotal } from './list-count';
import { keptNoticeTotal } from './figures/notice-total';
import type { Tx } from './admin-audit';
import { beforeCursor, encodeCursor, prefixPattern, type Cursor } from './hazard-queries';
import { hazards, instruments, noticeDecisions, noticeHazards, noticeInstruments, noticeNotifications, notices, regions } from './schema';
import { issuingAgency } from '../domain/instrument-number';

export type NoticeRow = typeof notices.$inferSelect;

/**
 * What a list page shows of each notice: everything but the policy it keeps (a document only its
 * workflow reads) and the bookkeeping no list item states (workflow id, projection sequence,
 * region path, policy and addressee region ids).
 */
const {
  policy: _policy,
  policyId: _policyId,
  workflowId: _workflowId,
  projectionSeq: _projectionSeq,
  regionPath: _regionPath,
  addresseeRegionId: _addresseeRegionId,
  ...listColumns
} = getTableColumns(notices);
export type NoticeListRow = Omit<NoticeRow, 'policy' | 'policyId' | 'workflowId' | 'projectionSeq' | 'regionPath' | 'addresseeRegionId'>;

/** What a principal may see of notices: their region's subtree, or those addressed to their own enterprise. */
export function noticeScope(p: Principal): SQL {
  return p.role === 'enterprise'
    ? eq(notices.enterpriseId, p.enterpriseId ?? '00000000-0000-0000-0000-000000000000')
    : like(notices.regionPath, prefixPattern(p.regionPath));
}

export interface NoticeFilter {
  status?: NoticeRow['status'];
  overdue?: boolean;
  enterpriseId?: string;
  /** Within this region's subtree (a path already checked to be within reach). */
  regionPath?: string;
  open?: boolean;
  signOverdue?: boolean;
  ladderLevel?: number;
  instrument?: string;
  pendingDecision?: string;
  decider?: string;
}

function overdueCondition(now: Date): SQL {
  return and(ne(notices.status, 'closed'), lte(notices.dueAt, now))!;
}

/** Reach and filters as conditions: the one definition behind the list and the ledger export. */
export function noticeConditions(scope: SQL, f: NoticeFilter, now: Date): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [scope];
  if (f.status) where.push(eq(notices.status, f.status));
  if (f.enterpriseId) where.push(eq(notices.enterpriseId, f.enterpriseId));
  if (f.overdue === true) where.push(overdueCondition(now));
  if (f.overdue === false) where.push(sql`not (${overdueCondition(now)})`);
  if (f.regionPath) where.push(like(notices.regionPath, prefixPattern(f.regionPath)));
  if (f.open !== undefined) where.push(f.open ? ne(notices.status, 'closed') : eq(notices.status, 'closed'));
  if (f.signOverdue !== undefined) {
    const late = and(eq(notices.status, 'issued'), lte(notices.signDueAt, now))!;
    where.push(f.signOverdue ? late : sql`not coalesce(${late}, false)`);
  }
  if (f.ladderLevel !== undefined) where.push(and(ne(notices.status, 'closed'), eq(notices.ladderLevel, f.ladderLevel)));
  if (f.instrument !== undefined) {
    where.push(and(ne(notices.status, 'closed'), sql`exists (select 1 from ${instruments} i where i.code = ${notices.lastInstrumentCode} and i.kind = ${f.instrument})`));
  }
  if (f.pendingDecision !== undefined || f.decider !== undefined) {
    where.push(sql`exists (select 1 from ${noticeDecisions} d where d.notice_id = ${notices.id} and d.status = 'pending'
      ${f.pendingDecision ? sql`and d.kind = ${f.pendingDecision}` : sql``} ${f.decider ? sql`and d.decider_role = ${f.decider}` : sql``})`);
  }
  return where;
}

/**
 * The two statements a list page runs, its capped count and its page of rows, built apart from
 * running them so their plans can be checked (tests/integration/list-plans.test.ts).
 */
export function noticeListStatements(db: Database, scope: SQL, f: NoticeFilter, page: { limit: number; after?: Cursor }, now: Date) {
  const where = noticeConditions(scope, f, now);
  const after = page.after;
  return {
    count: countUpToStatement(db, notices, where),
    rows: db
      .select(listColumns)
      .from(notices)
      .where(
        and(
          ...where,
          // A row comparison, so the index on (issued_at, id) starts the page where the last ended.
          beforeCursor(notices.issuedAt, notices.id, after),
        ),
      )
      .orderBy(desc(notices.issuedAt), desc(notices.id))
      .limit(page.limit + 1),
  };
}

/**
 * One page and its total: the one the cursor carried from the first page, else the kept figures'
 * for a jurisdiction (`figuresAt`, the person's region) where they hold the filter, else a capped count.
 */
export async function listNotices(
  db: Database,
  scope: SQL,
  f: NoticeFilter,
  page: { limit: number; after?: Cursor },
  now: Date,
  o: { carried?: ListTotal; figuresAt?: string } = {},
) {
  const statements = noticeListStatements(db, scope, f, page, now);
  const firstPageTotal = async () =>
    (o.figuresAt === undefined ? null : await keptNoticeTotal(db, f.regionPath ?? o.figuresAt, f, now)) ?? countedTotal((await statements.count)[0]?.n, now);
  const [total, rows] = await Promise.all([o.carried ?? firstPageTotal(), statements.rows]);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, total, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.issuedAt, id: last.id }) : null };
}

/** The notice if it exists and is within reach; out of reach and missing look the same. */
export async function findNotice(db: Database, p: Principal, id: string): Promise<NoticeRow | null> {
  const [row] = await db.select().from(notices).where(and(eq(notices.id, id), noticeScope(p))).limit(1);
  return row ?? null;
}

export async function noticeDetailParts(db: Database, id: string) {
  const [hz, issued, decisions, timeline, told] = await Promise.all([
    db
      .select({ id: hazards.id, title: hazards.title, grade: hazards.grade, status: hazards.status, deadline: hazards.deadline, outcome: noticeHazards.outcome })
      .from(noticeHazards)
      .innerJoin(hazards, eq(hazards.id, noticeHazards.hazardId))
      .where(eq(noticeHazards.noticeId, id))
      .orderBy(asc(hazards.createdAt), asc(hazards.id)),
    db
      .select({ code: instruments.code, kind: instruments.kind, recipientRole: noticeInstruments.recipientRole, issuedAt: instruments.issuedAt, step: noticeInstruments.stepKey })
      .from(noticeInstruments)
      .innerJoin(instruments, eq(instruments.id, noticeInstruments.instrumentId))
      .where(eq(noticeInstruments.noticeId, id))
      .orderBy(asc(instruments.issuedAt), asc(instruments.number)),
    db.select().from(noticeDecisions).where(eq(noticeDecisions.noticeId, id)).orderBy(asc(noticeDecisions.openedAt), asc(noticeDecisions.id)),
    caseTimeline(db, 'notice', id),
    db.select().from(noticeNotifications).where(eq(noticeNotifications.noticeId, id)).orderBy(asc(noticeNotifications.scheduledAt), asc(noticeNotifications.id)),
  ]);
  return { hazards: hz, instruments: issued, decisions, timeline, notifications: told };
}

/** The open notices a hazard belongs to, as a reopened hazard must tell them (workflows/notice-link.ts). */
export async function openNoticesOf(db: Database, hazardId: string): Promise<Array<{ noticeId: string; workflowId: string }>> {
  return db
    .select({ noticeId: notices.id, workflowId: notices.workflowId })
    .from(noticeHazards)
    .innerJoin(notices, eq(notices.id, noticeHazards.noticeId))
    .where(and(eq(noticeHazards.hazardId, hazardId), ne(notices.status, 'closed')));
}

/**
 * The agency that signs a notice issued by someone placed at `regionId`: the nearest region up
 * the tree with a short name; else the nearest county (or the city) by name + 应急.
 */
export async function agencyOf(db: Database | Tx, regionId: string): Promise<string> {
  // The region and every region on its path, in one read.
  const own = alias(regions, 'own');
  const rows = await db
    .select({ region: regions, ownPath: own.path })
    .from(own)
    .innerJoin(regions, sql`${regions.id} = any(string_to_array(${own.path}, '/'))`)
    .where(eq(own.id, regionId));
  if (!rows.length) throw new Error(`region ${regionId} does not exist`);
  const ids = rows[0]!.ownPath.split('/').filter(Boolean);
  return issuingAgency(ids.map((id) => rows.find((r) => r.region.id === id)!.region).reverse());
}

/** Open notices holding a provisional date: those a newly published calendar year is told to. */
export async function provisionalOpenNotices(db: Database): Promise<string[]> {
  const rows = await db.select({ id: notices.id }).from(notices).where(and(eq(notices.provisional, true), ne(notices.status, 'closed')));
  return rows.map((r) => r.id);
}
