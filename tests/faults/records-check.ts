/**
 * What the fault tests count after the faults: every kind of record that must exist once is
 * checked for duplicates (by the key that makes it idempotent) and every numbered sequence for
 * gaps (audit chains by their seq, instruments by agency and year); every audit chain verifies.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { verifyAll } from '../../db/audit-verify';

export interface RecordCheck {
  duplicated: Record<string, number>;
  gaps: Record<string, number>;
  auditOk: boolean;
  auditBreak: string | null;
  chains: number;
}

const count = async (db: Database, query: ReturnType<typeof sql>) => Number((await db.execute<{ n: string }>(query)).rows[0]!.n);

export async function checkRecords(db: Database): Promise<RecordCheck> {
  const duplicated = {
    hazardEvents: await count(db, sql`select count(*) as n from (select 1 from hazard_events group by hazard_id, step_key having count(*) > 1) d`),
    caseEvents: await count(db, sql`select count(*) as n from (select 1 from case_events group by case_type, case_id, step_key having count(*) > 1) d`),
    notifications: await count(db, sql`select count(*) as n from (select 1 from notifications group by hazard_id, step_key having count(*) > 1) d`),
    noticeNotifications: await count(db, sql`select count(*) as n from (select 1 from notice_notifications group by notice_id, step_key having count(*) > 1) d`),
    deliveries: await count(db, sql`select count(*) as n from (select 1 from deliveries group by workflow_id, step_key, user_id, channel having count(*) > 1) d`),
    instrumentSteps: await count(db, sql`select count(*) as n from (select 1 from notice_instruments group by notice_id, step_key having count(*) > 1) d`),
    instrumentNumbers: await count(db, sql`select count(*) as n from (select 1 from instruments group by agency, year, number having count(*) > 1) d`),
  };
  const gaps = {
    hazardChains: await count(db, sql`select count(*) as n from (select hazard_id from hazard_events group by hazard_id having max(chain_seq) - min(chain_seq) + 1 <> count(*)) g`),
    caseChains: await count(db, sql`select count(*) as n from (select 1 from case_events group by case_type, case_id having max(chain_seq) - min(chain_seq) + 1 <> count(*)) g`),
    adminChain: await count(db, sql`select count(*) as n from (select 1 from admin_events having count(*) > 0 and max(chain_seq) - min(chain_seq) + 1 <> count(*)) g`),
    instrumentNumbers: await count(db, sql`select count(*) as n from (select 1 from instruments group by agency, year having min(number) <> 1 or max(number) <> count(*)) g`),
  };
  const report = await verifyAll(db);
  return {
    duplicated,
    gaps,
    auditOk: report.ok,
    auditBreak: report.firstBreak ? `${report.firstBreak.chain}: ${JSON.stringify(report.firstBreak)}` : null,
    chains: report.chainsChecked,
  };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * What is lost after a run that should have recorded `expected` hazards and notices and closed every
 * hazard: a case without its record or its closure, a step on a trail without the records it writes
 * (an escalation's notification; an instrument's number and notification), a record without its
 * step. (Which ladder steps a case reaches depends on when it closed, so cases are not compared.)
 */
export async function lostRecords(db: Database, expected: number) {
  const recorded = (await count(db, sql`select count(*) as n from hazards`)) + (await count(db, sql`select count(*) as n from notices`));
  const closures = await count(db, sql`select count(*) as n from hazards h where not exists (select 1 from hazard_events e where e.hazard_id = h.id and e.type = 'review_accepted')`);
  const hazardSteps = await count(db, sql`
    select count(*) as n from hazard_events e
    where e.type in ('escalated', 'reminder_sent') and not exists (select 1 from notifications x where x.hazard_id = e.hazard_id and x.step_key = e.step_key)`);
  const instruments =
    (await count(db, sql`
      select count(*) as n from case_events e
      where e.case_type = 'notice' and e.type = 'instrument_issued'
        and (not exists (select 1 from notice_instruments i where i.notice_id::text = e.case_id::text and i.step_key = e.step_key)
          or not exists (select 1 from notice_notifications x where x.notice_id::text = e.case_id::text and x.step_key = e.step_key))`)) +
    (await count(db, sql`
      select count(*) as n from notice_instruments i
      where not exists (select 1 from case_events e where e.case_type = 'notice' and e.case_id::text = i.notice_id::text and e.step_key = i.step_key)`));
  const unrecorded = expected - recorded;
  return { lost: unrecorded + closures + hazardSteps + instruments, why: `unrecorded ${unrecorded}, closures ${closures}, escalation notifications ${hazardSteps}, instruments ${instruments}` };
}

export interface FaultFigures {
  lifecycles: number;
  faults: number;
  closed: number;
  lost: number;
  duplicated: number;
  stuck: number;
  [more: string]: number | string;
}

/** The figures a fault test prints, in one line that CI logs keep. */
export function printFigures(test: string, figures: FaultFigures, check?: RecordCheck): void {
  const more = check ? { ...figures, duplicated: figures.duplicated + sum(check.duplicated), gaps: sum(check.gaps), auditChains: check.chains, auditOk: String(check.auditOk) } : figures;
  console.log(`[faults] ${test}: ${Object.entries(more).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (check && (sum(check.duplicated) || sum(check.gaps))) console.log(`[faults] ${test}: duplicated ${JSON.stringify(check.duplicated)} gaps ${JSON.stringify(check.gaps)}`);
}

export const duplicatesOf = (check: RecordCheck) => sum(check.duplicated);
export const gapsOf = (check: RecordCheck) => sum(check.gaps);

/**
 * How long a closure's recording transaction may take to commit after it began (its recorded_at):
 * a dispatcher's claim that began meanwhile still read the item open, rightly. A try started later
 * than this after the closure was recorded went out after closure.
 */
export const CLOSURE_COMMIT_MARGIN_MS = 3_000;

export interface DeliveryCheck {
  /** Notification steps whose people were never resolved; people resolved without their inbox row or the row of a channel they chose. */
  missing: number;
  /** Deliveries on the channel still waiting, or failed for good. */
  unsent: number;
  /** Deliveries recorded sent that the endpoint never accepted; keys the endpoint accepted for no delivery recorded (sent, or skipped after an unfinished try), or more than once. */
  unmatched: number;
  /** Notifications recorded after their hazard or notice closed; tries started on the channel after it (beyond the commit margin). */
  afterClosure: number;
  sent: number;
  skipped: number;
  /** Posts the endpoint saw again under a key it had accepted (a try whose worker died before recording it, sent again with its key). */
  resent: number;
  why: string;
}

/**
 * The outbox after a run, against the endpoint that stood for `channel`: every notification step
 * reached each person it resolved to, in the inbox and on the channel they chose; each channel
 * delivery left once (by its idempotency key) or was skipped; nothing was recorded or tried after
 * its item closed.
 */
export async function checkDeliveries(
  db: Database,
  channel: string,
  endpoint: { accepted: ReadonlyMap<string, number>; posts: ReadonlyArray<{ outcome: string }> },
): Promise<DeliveryCheck> {
  const unresolved =
    (await count(db, sql`
      select count(*) as n from notifications x
      where not exists (select 1 from recipient_resolutions r where r.subject_type = 'hazard' and r.subject_id = x.hazard_id and r.step_key = x.step_key)`)) +
    (await count(db, sql`
      select count(*) as n from notice_notifications x
      where not exists (select 1 from recipient_resolutions r where r.subject_type = 'notice' and r.subject_id = x.notice_id and r.step_key = x.step_key)`));
  const rowsMissing = await count(db, sql`
    select count(*) as n
    from recipient_resolutions r
    cross join lateral jsonb_array_elements_text(r.user_ids) as u(id)
    cross join lateral (values ('inbox'), (${channel})) as c(channel)
    where (c.channel = 'inbox' or exists (select 1 from notification_preferences p where p.user_id = u.id::uuid and p.channels ? ${channel}))
      and not exists (select 1 from deliveries d where d.workflow_id = r.workflow_id and d.step_key = r.step_key and d.user_id = u.id::uuid and d.channel = c.channel)`);
  const unsent = await count(db, sql`select count(*) as n from deliveries where channel = ${channel} and state in ('pending', 'failed')`);
  const rows = (
    await db.execute<{ key: string; state: string; unfinished: boolean }>(sql`
      select d.workflow_id || '/' || d.step_key || '/' || d.user_id || '/' || d.channel as key, d.state,
             exists (select 1 from delivery_attempts a where a.delivery_id = d.id and a.outcome = 'sending') as unfinished
      from deliveries d where d.channel = ${channel}`)
  ).rows;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const sentNotAccepted = rows.filter((r) => r.state === 'sent' && !endpoint.accepted.has(r.key)).length;
  const acceptedUnrecorded = [...endpoint.accepted.entries()].filter(([key, times]) => {
    const r = byKey.get(key);
    return times !== 1 || !r || !(r.state === 'sent' || (r.state === 'skipped' && r.unfinished));
  }).length;
  const closure = (table: 'hazard' | 'notice') =>
    table === 'hazard'
      ? sql`select hazard_id as id, recorded_at from hazard_events where type = 'review_accepted'`
      : sql`select case_id as id, recorded_at from case_events where case_type = 'notice' and type = 'closed'`;
  const notifiedAfter =
    (await count(db, sql`select count(*) as n from notifications x join (${closure('hazard')}) c on c.id = x.hazard_id where x.created_at > c.recorded_at`)) +
    (await count(db, sql`select count(*) as n from notice_notifications x join (${closure('notice')}) c on c.id = x.notice_id where x.created_at > c.recorded_at`));
  const triedAfter = await count(db, sql`
    select count(*) as n
    from delivery_attempts a
    join deliveries d on d.id = a.delivery_id
    join (${closure('hazard')} union all ${closure('notice')}) c on c.id = d.subject_id
    where d.channel = ${channel} and a.started_at > c.recorded_at + make_interval(secs => ${CLOSURE_COMMIT_MARGIN_MS / 1000})`);
  const states = (await db.execute<{ state: string; n: string }>(sql`select state, count(*) as n from deliveries where channel = ${channel} group by state`)).rows;
  const of = (s: string) => Number(states.find((r) => r.state === s)?.n ?? 0);
  return {
    missing: unresolved + rowsMissing,
    unsent,
    unmatched: sentNotAccepted + acceptedUnrecorded,
    afterClosure: notifiedAfter + triedAfter,
    sent: of('sent'),
    skipped: of('skipped'),
    resent: endpoint.posts.filter((p) => p.outcome === 'repeat').length,
    why: `unresolved steps ${unresolved}, rows missing ${rowsMissing}, unsent ${unsent}, sent not accepted ${sentNotAccepted}, accepted unrecorded or twice ${acceptedUnrecorded}, notified after closure ${notifiedAfter}, tried after closure ${triedAfter}`,
  };
}
