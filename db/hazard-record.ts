/**
 * A hazard's record as its page and every command's answer show it: the row, its timeline and
 * its notifications, and for readers inside the bureau whom each step reached, read in one
 * statement (prepared once per database: it runs on nearly every hazard request). Instants in the
 * timeline and notifications come as ISO strings, as answered. The timeline is as the reader may
 * see it (domain/hazard-event-disclosure): events naming records out of reach are hidden or bared.
 */
import { and, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from './client';
import { lookUpInReach, type HazardRow } from './hazard-queries';
import type { ReachedStep } from './deliveries';
import { hazardEvents, hazards, noticeHazards, notices, notifications, recipientResolutions, users } from './schema';
import { disclosedHazardTimeline } from '../domain/hazard-event-disclosure';

export interface TimelineEntry {
  type: string;
  actor: string;
  occurredAt: string;
  data: Record<string, unknown>;
  step: string;
}

export interface NotificationEntry {
  kind: string;
  recipientRole: string;
  level: number | null;
  message: string;
  scheduledAt: string;
  step: string;
}

export interface HazardRecord {
  row: HazardRow;
  timeline: TimelineEntry[];
  notifications: NotificationEntry[];
  /** Whom each step reached (reachedBySubject's rows), read for those who look by region (the bureau's people); null for an enterprise, which is not told. */
  reached: ReachedStep[] | null;
}

/** An instant as JavaScript's toISOString writes it (stored instants carry milliseconds at most). */
const iso = (column: unknown) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The outer row's id, qualified: drizzle writes a lone table's columns unqualified, and the subqueries' tables have an id too. */
const hazardId = sql.raw('"hazards"."id"');

function prepareRecordReads(db: Database) {
  const trail = {
    timeline: sql<TimelineEntry[]>`coalesce((
      select json_agg(json_build_object('type', e.type, 'actor', e.actor, 'occurredAt', ${iso(sql`e.occurred_at`)}, 'data', e.data, 'step', e.step_key) order by e.occurred_at, e.id)
      from ${hazardEvents} e where e.hazard_id = ${hazardId}), '[]'::json)`,
    notifications: sql<NotificationEntry[]>`coalesce((
      select json_agg(json_build_object('kind', n.kind, 'recipientRole', n.recipient_role, 'level', n.level, 'message', n.message, 'scheduledAt', ${iso(sql`n.scheduled_at`)}, 'step', n.step_key) order by n.scheduled_at, n.id)
      from ${notifications} n where n.hazard_id = ${hazardId}), '[]'::json)`,
  };
  // A person no longer a user is named by id, as reachedBySubject names them.
  const reached = sql<ReachedStep[] | null>`coalesce((
      select json_agg(json_build_object('stepKey', r.step_key, 'post', r.post, 'unresolved', r.unresolved, 'names', (
        select coalesce(json_agg(coalesce(u.display_name, p.id)), '[]'::json)
        from jsonb_array_elements_text(r.user_ids) p(id) left join ${users} u on u.id = p.id::uuid)))
      from ${recipientResolutions} r where r.subject_type = 'hazard' and r.subject_id = ${hazardId}), '[]'::json)`;
  // The notices holding the hazard that the reader may open, by noticeScope's rule for each kind of reader.
  const readableNotices = (reach: SQL) => sql<string[]>`coalesce((
      select json_agg(n.id) from ${noticeHazards} nh join ${notices} n on n.id = nh.notice_id
      where nh.hazard_id = ${hazardId} and ${reach}), '[]'::json)`;
  const byId = eq(hazards.id, sql.placeholder('id'));
  return {
    inRegion: db
      .select({ row: hazards, ...trail, reached, readableNotices: readableNotices(sql`n.region_path like ${sql.placeholder('prefix')}`) })
      .from(hazards)
      .where(and(byId, like(hazards.regionPath, sql.placeholder('prefix'))))
      .limit(1)
      .prepare('duban_hazard_record_in_region'),
    ofEnterprise: db
      .select({ row: hazards, ...trail, reached: sql<ReachedStep[] | null>`null`, readableNotices: readableNotices(sql`n.enterprise_id = ${sql.placeholder('enterpriseId')}`) })
      .from(hazards)
      .where(and(byId, eq(hazards.enterpriseId, sql.placeholder('enterpriseId'))))
      .limit(1)
      .prepare('duban_hazard_record_of_enterprise'),
  };
}

const recordReads = new WeakMap<Database, ReturnType<typeof prepareRecordReads>>();

/** The hazard's record if it exists and is within the principal's reach (findHazard's rule); out of reach and missing look the same. */
export async function findHazardRecord(db: Database, p: Principal, id: string): Promise<HazardRecord | null> {
  let reads = recordReads.get(db);
  if (!reads) recordReads.set(db, (reads = prepareRecordReads(db)));
  const found = await lookUpInReach(reads, p, id);
  if (!found) return null;
  const { readableNotices, ...record } = found;
  return { ...record, timeline: disclosedHazardTimeline(record.timeline, { role: p.role, readableNotices: new Set(readableNotices) }) };
}
