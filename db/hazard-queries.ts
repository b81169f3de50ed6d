/** Reads of the hazard read model: every list and record people see comes from here. */
import { and, asc, count, desc, eq, getTableColumns, gt, gte, inArray, isNotNull, isNull, like, lt, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Principal } from '../auth/principal';
import type { Database } from './client';
import { countedTotal, countUpToStatement, type ListTotal } from './list-count';
import { figuresTotal } from './figures/open-total';
import { enterprises, hazards } from './schema';
import type { HazardGrade } from '../domain/policy';
import type { HazardStatus } from '../domain/hazard-lifecycle';
import { addDays, shanghaiInstant, type IsoDate } from '../domain/shanghai-time';
import { instantOfIso } from '../domain/iso-instant';

export type HazardRow = typeof hazards.$inferSelect;

/**
 * What a list page shows of each hazard: everything but the long texts and the per-hazard
 * documents (policy, plan, acceptances, deadline rule), which only the record itself needs. A page
 * of a city's ledger then reads a few hundred bytes a row, not kilobytes.
 */
const {
  policy: _policy,
  plan: _plan,
  acceptances: _acceptances,
  deadlineRule: _deadlineRule,
  description: _description,
  legalBasis: _legalBasis,
  requiredMeasures: _requiredMeasures,
  ...listColumns
} = getTableColumns(hazards);
export type HazardListRow = Omit<HazardRow, 'policy' | 'plan' | 'acceptances' | 'deadlineRule' | 'description' | 'legalBasis' | 'requiredMeasures'>;

export interface HazardFilter {
  status?: HazardStatus;
  overdue?: boolean;
  enterpriseId?: string;
  grade?: HazardGrade;
  extensionPending?: boolean;
  /** Flagged as a repeat (repeat_of set) or not. */
  repeat?: boolean;
  /** Within this region's subtree (a path, already checked to be within reach). */
  regionPath?: string;
  /** Still open (being rectified or under review), or not. */
  open?: boolean;
  /** The enterprise's industry, responsible leader (user id) or the supervisor in charge (user name); null: none recorded. */
  industry?: string | null;
  leaderId?: string | null;
  supervisor?: string | null;
  /** Major hazards listed at this level (挂牌督办), or listed at any level. */
  listingLevel?: string;
  listed?: boolean;
  /** Deadline from/to (inclusive), e.g. the deadlines of an age bucket. */
  deadlineFrom?: IsoDate;
  deadlineTo?: IsoDate;
  /** Found (registered) and closed on Shanghai days from/to, inclusive. */
  foundFrom?: IsoDate;
  foundTo?: IsoDate;
  closedFrom?: IsoDate;
  closedTo?: IsoDate;
  /** A campaign's cohort: stock (found before the cut-off, still open at it) or new (found since). */
  cohort?: { kind: 'stock' | 'new'; cutoff: IsoDate; regionPath: string };
}


/** Position after the last row of a page: newest first, ties broken by id. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

/** The cursor, or null when it is not exactly one encodeCursor wrote: a real instant and a uuid, nothing more. */
export function decodeCursor(raw: string): Cursor | null {
  const [at, id, ...rest] = Buffer.from(raw, 'base64url').toString().split('|');
  const createdAt = at === undefined ? null : instantOfIso(at);
  if (rest.length || !createdAt || !id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return encodeCursor({ createdAt, id }) === raw ? { createdAt, id } : null;
}

/**
 * Rows after the cursor in a list ordered newest first by (time, id): a row comparison, so an index
 * on (time, id) starts the page where the last one ended. No cursor: no condition.
 */
export function beforeCursor(time: AnyPgColumn, id: AnyPgColumn, after: Cursor | undefined): SQL | undefined {
  return after ? sql`(${time}, ${id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)` : undefined;
}

/** Escapes LIKE wildcards so a region path matches only as a literal prefix. */
export function prefixPattern(path: string): string {
  return `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What a principal may see of hazards: their region's subtree, or their own enterprise. */
export function hazardScope(p: Principal): SQL {
  return p.role === 'enterprise'
    ? eq(hazards.enterpriseId, p.enterpriseId ?? '00000000-0000-0000-0000-000000000000')
    : like(hazards.regionPath, prefixPattern(p.regionPath));
}

export function enterpriseScope(p: Principal): SQL {
  return p.role === 'enterprise'
    ? eq(enterprises.id, p.enterpriseId ?? '00000000-0000-0000-0000-000000000000')
    : like(enterprises.regionPath, prefixPattern(p.regionPath));
}

const OPEN = ['rectifying', 'under_review'] as const satisfies readonly HazardStatus[];

/** Enterprises of the industry and/or responsible leader asked for. */
function enterprisesOf(f: Pick<HazardFilter, 'industry' | 'leaderId'>): SQL {
  const by = (value: string | null | undefined, column: typeof enterprises.industry | typeof enterprises.responsibleLeaderId) =>
    value === undefined ? undefined : value === null ? isNull(column) : eq(column, value);
  return sql`${hazards.enterpriseId} in (select ${enterprises.id} from ${enterprises} where ${and(by(f.industry, enterprises.industry), by(f.leaderId, enterprises.responsibleLeaderId))})`;
}

/**
 * Stock: found before the cut-off and not closed or voided before it; new: found on or after it.
 * (A hazard closed before the cut-off and reopened after it counts as new work here.)
 */
function cohortCondition(c: NonNullable<HazardFilter['cohort']>): SQL {
  const cutoff = new Date(shanghaiInstant(c.cutoff));
  const inCampaign = like(hazards.regionPath, prefixPattern(c.regionPath));
  if (c.kind === 'new') return and(inCampaign, gte(hazards.createdAt, cutoff))!;
  return and(
    inCampaign,
    lt(hazards.createdAt, cutoff),
    or(isNull(hazards.closedAt), gte(hazards.closedAt, cutoff)),
    sql`not (${hazards.status} = 'void' and ${hazards.updatedAt} < ${cutoff})`,
  )!;
}

/** Overdue is computed from the clock at query time, never from a stored flag. */
function overdueCondition(now: Date): SQL {
  return and(eq(hazards.status, 'rectifying'), lte(hazards.dueAt, now))!;
}

/** The list's filters as conditions: the one definition behind the page, the counts and the ledger export. */
export function hazardFilterConditions(f: HazardFilter, now: Date): SQL[] {
  const where: SQL[] = [];
  if (f.status) where.push(eq(hazards.status, f.status));
  if (f.enterpriseId) where.push(eq(hazards.enterpriseId, f.enterpriseId));
  if (f.grade) where.push(eq(hazards.grade, f.grade));
  if (f.extensionPending !== undefined) where.push(eq(hazards.extensionPending, f.extensionPending));
  if (f.repeat === true) where.push(isNotNull(hazards.repeatOf));
  if (f.repeat === false) where.push(isNull(hazards.repeatOf));
  if (f.overdue === true) where.push(overdueCondition(now));
  if (f.overdue === false) where.push(sql`not (${overdueCondition(now)})`);
  if (f.regionPath) where.push(like(hazards.regionPath, prefixPattern(f.regionPath)));
  if (f.open !== undefined) where.push(f.open ? inArray(hazards.status, [...OPEN]) : notInArray(hazards.status, [...OPEN]));
  if (f.industry !== undefined || f.leaderId !== undefined) where.push(enterprisesOf(f));
  if (f.supervisor !== undefined) where.push(f.supervisor === null ? isNull(hazards.assignedSupervisor) : eq(hazards.assignedSupervisor, f.supervisor));
  if (f.listingLevel) where.push(eq(hazards.listingLevel, f.listingLevel as NonNullable<HazardRow['listingLevel']>));
  if (f.listed !== undefined) where.push(f.listed ? isNotNull(hazards.listingLevel) : isNull(hazards.listingLevel));
  if (f.deadlineFrom) where.push(gte(hazards.deadline, f.deadlineFrom));
  if (f.deadlineTo) where.push(lte(hazards.deadline, f.deadlineTo));
  if (f.foundFrom) where.push(gte(hazards.createdAt, new Date(shanghaiInstant(f.foundFrom))));
  if (f.foundTo) where.push(lt(hazards.createdAt, new Date(shanghaiInstant(addDays(f.foundTo, 1)))));
  if (f.closedFrom) where.push(gte(hazards.closedAt, new Date(shanghaiInstant(f.closedFrom))));
  if (f.closedTo) where.push(lt(hazards.closedAt, new Date(shanghaiInstant(addDays(f.closedTo, 1)))));
  if (f.cohort) where.push(cohortCondition(f.cohort));
  return where;
}

/**
 * The two statements a list page runs, its capped count and its page of rows, built apart from
 * running them so their plans can be checked (tests/integration/list-plans.test.ts).
 */
export function hazardListStatements(db: Database, scope: SQL, f: HazardFilter, page: { limit: number; after?: Cursor }, now: Date) {
  const where = [scope, ...hazardFilterConditions(f, now)];
  const matching = and(...where, beforeCursor(hazards.createdAt, hazards.id, page.after));
  return {
    count: countUpToStatement(db, hazards, where),
    rows: f.overdue === true ? overduePage(db, matching, page.limit) : db
      .select(listColumns)
      .from(hazards)
      .where(matching)
      // Closed in a period: the period's closures are few, but the planner, taking closing and
      // registering times as unrelated, would walk the whole ledger back by creation time to fill
      // a deep page; ordering by an expression sends it to the closures' index and a sort instead.
      .orderBy(f.closedFrom ? desc(sql`${hazards.createdAt} + interval '0 seconds'`) : desc(hazards.createdAt), desc(hazards.id))
      .limit(page.limit + 1),
  };
}

/**
 * The overdue page, in two steps: the page's ids from `hazards_rectifying_due_idx` alone (every
 * overdue hazard of the scope read from the index and the newest kept), then the rows of those
 * ids. Overdue hazards are the old open ones, so walking the open ones back from the newest (the
 * planner's choice, as if overdue were spread evenly over time) reads most of them first, and
 * reading each candidate's whole row cost a city's page 100 ms at 1M hazards (3.8 ms this way).
 */
function overduePage(db: Database, matching: SQL | undefined, limit: number) {
  const ids = db
    .select({ id: hazards.id })
    .from(hazards)
    .where(matching)
    // An expression, so the planner sorts the index's matches instead of walking creation order.
    .orderBy(desc(sql`${hazards.createdAt} + interval '0 seconds'`), desc(hazards.id))
    .limit(limit + 1);
  return db.select(listColumns).from(hazards).where(inArray(hazards.id, ids)).orderBy(desc(hazards.createdAt), desc(hazards.id));
}

/** The total of a page that carries none: the kept figures' where they hold it (db/figures/open-total.ts), else a capped count. */
async function hazardTotal(db: Database, count: ReturnType<typeof hazardListStatements>['count'], f: HazardFilter, figuresAt: string | undefined, now: Date): Promise<ListTotal> {
  const kept = figuresAt === undefined ? null : await figuresTotal(db, f.regionPath ?? figuresAt, f, now);
  return kept ?? countedTotal((await count)[0]?.n, now);
}

/**
 * One page and its total: the total the cursor carried from the first page (nothing counted
 * again), else the figures' or a capped count (hazardTotal), beside the page's rows.
 */
export async function listHazards(
  db: Database,
  scope: SQL,
  f: HazardFilter,
  page: { limit: number; after?: Cursor },
  now: Date,
  o: { carried?: ListTotal; figuresAt?: string } = {},
) {
  const statements = hazardListStatements(db, scope, f, page, now);
  const [total, rows] = await Promise.all([o.carried ?? hazardTotal(db, statements.count, f, o.figuresAt, now), statements.rows]);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items,
    total,
    nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** Looking a hazard up within reach runs on nearly every request: prepared once per database. */
function prepareHazardLookups(db: Database) {
  const byId = eq(hazards.id, sql.placeholder('id'));
  return {
    inRegion: db
      .select()
      .from(hazards)
      .where(and(byId, like(hazards.regionPath, sql.placeholder('prefix'))))
      .limit(1)
      .prepare('duban_hazard_in_region'),
    ofEnterprise: db
      .select()
      .from(hazards)
      .where(and(byId, eq(hazards.enterpriseId, sql.placeholder('enterpriseId'))))
      .limit(1)
      .prepare('duban_hazard_of_enterprise'),
  };
}

const hazardLookups = new WeakMap<Database, ReturnType<typeof prepareHazardLookups>>();

/** A hazard looked up by id within reach: by region prefix, or for an enterprise user by enterprise. */
export interface ReachLookups<T> {
  inRegion: { execute(v: { id: string; prefix: string }): Promise<T[]> };
  ofEnterprise: { execute(v: { id: string; enterpriseId: string }): Promise<T[]> };
}

/** Runs the lookup the principal's reach calls for (the same rule as hazardScope). */
export async function lookUpInReach<T>(lookups: ReachLookups<T>, p: Principal, id: string): Promise<T | null> {
  const rows =
    p.role === 'enterprise'
      ? p.enterpriseId
        ? await lookups.ofEnterprise.execute({ id, enterpriseId: p.enterpriseId })
        : []
      : await lookups.inRegion.execute({ id, prefix: prefixPattern(p.regionPath) });
  return rows[0] ?? null;
}

/**
 * The hazard if it exists and is within the principal's reach (the same rule as hazardScope);
 * out of reach and missing look the same.
 */
export async function findHazard(db: Database, p: Principal, id: string): Promise<HazardRow | null> {
  let lookups = hazardLookups.get(db);
  if (!lookups) hazardLookups.set(db, (lookups = prepareHazardLookups(db)));
  return lookUpInReach(lookups, p, id);
}

export async function findEnterprise(db: Database, scope: SQL, id: string) {
  const [row] = await db.select().from(enterprises).where(and(eq(enterprises.id, id), scope)).limit(1);
  return row ?? null;
}

/** Enterprises in name order; `after` continues past a (name, id) position. */
export function listEnterprises(db: Database, scope: SQL, limit: number, after?: { key: string; id: string }) {
  const past = after ? or(gt(enterprises.name, after.key), and(eq(enterprises.name, after.key), gt(enterprises.id, after.id))) : undefined;
  return db
    .select()
    .from(enterprises)
    .where(and(scope, past))
    .orderBy(asc(enterprises.name), asc(enterprises.id))
    .limit(limit);
}
