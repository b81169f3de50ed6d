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
