/**
 * The escalations addressed to one person, oldest first: the hazards' escalation notifications
 * (the overdue ladder and the review overdue) and the notices' (the sign escalation, each
 * instrument of the ladder, each decision opened), matched by domain/escalation-recipients.ts
 * clauses (by the post the person holds, or their relation to the item), within reach, each with its item's state now. Keyset by (scheduled at, source id).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { RecipientClause } from '../domain/escalation-recipients';
import type { Database } from './client';
import { prefixPattern } from './hazard-queries';

export interface EscalationRow {
  /** `h` + the hazard notification's id, or `n` + the notice notification's, zero-padded: the list's tie-breaker. */
  sid: string;
  itemKind: 'hazard' | 'notice';
  itemId: string;
  kind: string;
  recipientRole: string;
  level: number | null;
  message: string;
  scheduledAt: Date;
  title: string;
  code: string | null;
  enterpriseId: string | null;
  status: string;
  deadline: string;
  dueAt: Date;
  escalationLevel: number;
}

/** A hazard's escalation (h: hazards, e: enterprises, n: notifications) addressed by the clause. */
const namesPost = (c: Extract<RecipientClause, { role: 'post' }>) => (c.recipientRoles.length ? sql`n.recipient_role in ${c.recipientRoles}` : sql`false`);

function hazardClause(c: RecipientClause): SQL {
  const role = sql`n.recipient_role = ${c.role}`;
  switch (c.role) {
    case 'post':
      return c.notInCharge === null
        ? namesPost(c)
        : sql`(${namesPost(c)} and h.assigned_supervisor is distinct from ${c.notInCharge} and h.delegate is distinct from ${c.notInCharge})`;
    case 'responsible_leader':
      return sql`(${role} and e.responsible_leader_id = ${c.leaderId}::uuid)`;
    case 'supervisor':
      return sql`(${role} and (h.assigned_supervisor = ${c.username} or h.delegate = ${c.username} or (h.assigned_supervisor is null and h.delegate is null)))`;
  }
}

/** A notice's escalation (o: notices, e: enterprises, n: notice notifications); nobody is named in charge of a notice. */
function noticeClause(c: RecipientClause): SQL {
  const role = sql`n.recipient_role = ${c.role}`;
  switch (c.role) {
    case 'post':
      return namesPost(c);
    case 'supervisor':
      return role;
    case 'responsible_leader':
      return sql`(${role} and e.responsible_leader_id = ${c.leaderId}::uuid)`;
  }
}

const anyOf = (parts: SQL[]) => (parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`);

export interface EscalationQuery {
  reachPath: string;
  clauses: RecipientClause[];
  after?: { scheduledAt: Date; sid: string };
  limit: number;
}

/** The list's statement, built apart from running it so its plan can be checked (tests/integration/list-plans.test.ts). */
export function escalationListStatement(q: EscalationQuery): SQL {
  const reach = prefixPattern(q.reachPath);
  const after = q.after ? sql`where (x.scheduled_at, x.sid) > (${q.after.scheduledAt.toISOString()}::timestamptz, ${q.after.sid})` : sql``;
  return sql`
    select * from (
      select 'h' || lpad(n.id::text, 19, '0') as sid, 'hazard' as item_kind, h.id as item_id, n.kind, n.recipient_role, n.level,
             n.message, n.scheduled_at, h.title, null::text as code, h.enterprise_id, h.status, h.deadline::text as deadline,
             h.due_at, h.escalation_level
        from notifications n
        join hazards h on h.id = n.hazard_id
        join enterprises e on e.id = h.enterprise_id
       where n.kind = 'escalation' and h.region_path like ${reach} and ${anyOf(q.clauses.map(hazardClause))}
      union all
      select 'n' || lpad(n.id::text, 19, '0'), 'notice', o.id, n.kind, n.recipient_role, null::int,
             n.message, n.scheduled_at, o.title, o.code, o.enterprise_id, o.status, o.deadline::text,
             o.due_at, o.ladder_level
        from notice_notifications n
        join notices o on o.id = n.notice_id
        left join enterprises e on e.id = o.enterprise_id
       where n.kind <> 'urge' and o.region_path like ${reach} and ${anyOf(q.clauses.map(noticeClause))}
    ) x
    ${after}
    order by x.scheduled_at, x.sid
    limit ${q.limit + 1}`;
}

export async function listEscalations(db: Database, q: EscalationQuery): Promise<EscalationRow[]> {
  const { rows } = await db.execute<Record<string, unknown>>(escalationListStatement(q));
  const at = (v: unknown) => new Date(v as string);
  return rows.map((r) => ({
    sid: r.sid as string,
    itemKind: r.item_kind as 'hazard' | 'notice',
    itemId: r.item_id as string,
    kind: r.kind as string,
    recipientRole: r.recipient_role as string,
    level: (r.level as number | null) ?? null,
    message: r.message as string,
    scheduledAt: at(r.scheduled_at),
    title: r.title as string,
    code: (r.code as string | null) ?? null,
    enterpriseId: (r.enterprise_id as string | null) ?? null,
    status: r.status as string,
    deadline: r.deadline as string,
    dueAt: at(r.due_at),
    escalationLevel: Number(r.escalation_level),
  }));
}
