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
