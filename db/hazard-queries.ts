/** Reads of the hazard read model: every list and record people see comes from here. */
import { and, asc, count, desc, eq, gt, isNotNull, isNull, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from './client';
import { enterprises, hazardEvents, hazards, notifications } from './schema';
import type { HazardGrade } from '../domain/policy';
import type { HazardStatus } from '../domain/hazard-lifecycle';

export type HazardRow = typeof hazards.$inferSelect;

export interface HazardFilter {
  status?: HazardStatus;
  overdue?: boolean;
  enterpriseId?: string;
  grade?: HazardGrade;
  extensionPending?: boolean;
  /** Flagged as a repeat (repeat_of set) or not. */
  repeat?: boolean;
}

/** Position after the last row of a page: newest first, ties broken by id. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string): Cursor | null {
  const [at, id, ...rest] = Buffer.from(raw, 'base64url').toString().split('|');
  if (rest.length || !at || !id || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at)) return null;
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return { createdAt, id };
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

/** Overdue is computed from the clock at query time, never from a stored flag. */
function overdueCondition(now: Date): SQL {
  return and(eq(hazards.status, 'rectifying'), lte(hazards.dueAt, now))!;
}

function filterConditions(f: HazardFilter, now: Date): SQL[] {
  const where: SQL[] = [];
  if (f.status) where.push(eq(hazards.status, f.status));
  if (f.enterpriseId) where.push(eq(hazards.enterpriseId, f.enterpriseId));
  if (f.grade) where.push(eq(hazards.grade, f.grade));
  if (f.extensionPending !== undefined) where.push(eq(hazards.extensionPending, f.extensionPending));
  if (f.repeat === true) where.push(isNotNull(hazards.repeatOf));
  if (f.repeat === false) where.push(isNull(hazards.repeatOf));
  if (f.overdue === true) where.push(overdueCondition(now));
  if (f.overdue === false) where.push(sql`not (${overdueCondition(now)})`);
  return where;
}

export async function listHazards(db: Database, scope: SQL, f: HazardFilter, page: { limit: number; after?: Cursor }, now: Date) {
  const where = [scope, ...filterConditions(f, now)];
  const total = await db
    .select({ n: count() })
    .from(hazards)
    .where(and(...where));
  const after = page.after;
  const rows = await db
    .select()
    .from(hazards)
    .where(
      and(
        ...where,
        after
          ? or(lt(hazards.createdAt, after.createdAt), and(eq(hazards.createdAt, after.createdAt), lt(hazards.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(hazards.createdAt), desc(hazards.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items,
    total: total[0]?.n ?? 0,
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

/**
 * The hazard if it exists and is within the principal's reach (the same rule as hazardScope);
 * out of reach and missing look the same.
 */
export async function findHazard(db: Database, p: Principal, id: string): Promise<HazardRow | null> {
  let lookups = hazardLookups.get(db);
  if (!lookups) hazardLookups.set(db, (lookups = prepareHazardLookups(db)));
  const rows =
    p.role === 'enterprise'
      ? p.enterpriseId
        ? await lookups.ofEnterprise.execute({ id, enterpriseId: p.enterpriseId })
        : []
      : await lookups.inRegion.execute({ id, prefix: prefixPattern(p.regionPath) });
  return rows[0] ?? null;
}

/**
 * The two reads behind every hazard page and command answer: built once per database and
 * prepared on the server, since they run on nearly every request.
 */
function prepareDetailQueries(db: Database) {
  return {
    timeline: db
      .select({
        type: hazardEvents.type,
        actor: hazardEvents.actor,
        occurredAt: hazardEvents.occurredAt,
        data: hazardEvents.data,
        step: hazardEvents.stepKey,
      })
      .from(hazardEvents)
      .where(eq(hazardEvents.hazardId, sql.placeholder('id')))
      .orderBy(asc(hazardEvents.occurredAt), asc(hazardEvents.id))
      .prepare('duban_hazard_timeline'),
    notifications: db
      .select({
        kind: notifications.kind,
        recipientRole: notifications.recipientRole,
        level: notifications.level,
        message: notifications.message,
        scheduledAt: notifications.scheduledAt,
        step: notifications.stepKey,
      })
      .from(notifications)
      .where(eq(notifications.hazardId, sql.placeholder('id')))
      .orderBy(asc(notifications.scheduledAt), asc(notifications.id))
      .prepare('duban_hazard_notifications'),
  };
}

const detailQueries = new WeakMap<Database, ReturnType<typeof prepareDetailQueries>>();

function detailQueriesOf(db: Database) {
  let queries = detailQueries.get(db);
  if (!queries) detailQueries.set(db, (queries = prepareDetailQueries(db)));
  return queries;
}

export function hazardTimeline(db: Database, id: string) {
  return detailQueriesOf(db).timeline.execute({ id });
}

export function hazardNotifications(db: Database, id: string) {
  return detailQueriesOf(db).notifications.execute({ id });
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
