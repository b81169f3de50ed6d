/**
 * The urges a leader looks back on: each with the item's state now and whether it moved since
 * the urge — its first move, as domain/urge.ts `isMove` defines it (a change by a person after
 * the urge, not the clock's own steps and not another urge), found on the item's trail.
 */
import { sql, type SQL } from 'drizzle-orm';
import { SYSTEM_ACTOR, URGED_EVENT } from '../domain/urge';
import type { Database } from './client';
import { prefixPattern } from './hazard-queries';

export interface UrgeListRow {
  id: string;
  itemKind: 'hazard' | 'notice';
  itemId: string;
  urgedBy: string;
  urgedAt: Date;
  message: string;
  bulkUrgeId: string | null;
  title: string;
  code: string | null;
  status: string;
  deadline: string;
  dueAt: Date;
  moveType: string | null;
  moveActor: string | null;
  moveAt: Date | null;
}

export interface UrgeListQuery {
  /** The caller's jurisdiction: nothing outside it is listed. */
  reachPath: string;
  /** Only this person's urges (null: everyone's within reach). */
  urgedBy: string | null;
  itemKind?: 'hazard' | 'notice';
  /** Only those that moved since (true) or not (false). */
  moved?: boolean;
  after?: { urgedAt: Date; id: string };
  limit: number;
}

/** The list's statement, built apart from running it so its plan can be checked (tests/integration/list-plans.test.ts). */
export function urgeListStatement(q: UrgeListQuery): SQL {
  const where: SQL[] = [sql`u.region_path like ${prefixPattern(q.reachPath)}`];
  if (q.urgedBy !== null) where.push(sql`u.urged_by = ${q.urgedBy}`);
  if (q.itemKind) where.push(sql`u.item_kind = ${q.itemKind}`);
  if (q.moved !== undefined) where.push(q.moved ? sql`m.occurred_at is not null` : sql`m.occurred_at is null`);
  if (q.after) where.push(sql`(u.urged_at, u.id) < (${q.after.urgedAt.toISOString()}::timestamptz, ${q.after.id}::uuid)`);
  return sql`
    select u.id, u.item_kind, u.item_id, u.urged_by, u.urged_at, u.message, u.bulk_urge_id,
           coalesce(h.title, n.title) as title, n.code,
           coalesce(h.status, n.status) as status, coalesce(h.deadline, n.deadline)::text as deadline,
           coalesce(h.due_at, n.due_at) as due_at,
           m.type as move_type, m.actor as move_actor, m.occurred_at as move_at
      from urges u
      left join hazards h on u.item_kind = 'hazard' and h.id = u.item_id
      left join notices n on u.item_kind = 'notice' and n.id = u.item_id
      left join lateral (
        select t.type, t.actor, t.occurred_at from (
          select e.type, e.actor, e.occurred_at from hazard_events e
           where u.item_kind = 'hazard' and e.hazard_id = u.item_id and e.occurred_at > u.urged_at
             and e.actor <> ${SYSTEM_ACTOR} and e.type <> ${URGED_EVENT}
          union all
          select c.type, c.actor, c.occurred_at from case_events c
           where u.item_kind = 'notice' and c.case_type = 'notice' and c.case_id = u.item_id and c.occurred_at > u.urged_at
             and c.actor <> ${SYSTEM_ACTOR} and c.type <> ${URGED_EVENT}
        ) t order by t.occurred_at limit 1
      ) m on true
     where ${sql.join(where, sql` and `)}
     order by u.urged_at desc, u.id desc
     limit ${q.limit + 1}`;
}

/** Newest first; fetches limit + 1 rows so the caller can tell whether a page follows. */
export async function listUrges(db: Database, q: UrgeListQuery): Promise<UrgeListRow[]> {
  const { rows } = await db.execute<Record<string, unknown>>(urgeListStatement(q));
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return rows.map((r) => ({
    id: r.id as string,
    itemKind: r.item_kind as 'hazard' | 'notice',
    itemId: r.item_id as string,
    urgedBy: r.urged_by as string,
    urgedAt: at(r.urged_at)!,
    message: r.message as string,
    bulkUrgeId: (r.bulk_urge_id as string | null) ?? null,
    title: r.title as string,
    code: (r.code as string | null) ?? null,
    status: r.status as string,
    deadline: r.deadline as string,
    dueAt: at(r.due_at)!,
    moveType: (r.move_type as string | null) ?? null,
    moveActor: (r.move_actor as string | null) ?? null,
    moveAt: at(r.move_at),
  }));
}
