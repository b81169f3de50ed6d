/**
 * Issues numbered instruments. The counter row for (agency, year) is created on first use and
 * incremented under its row lock inside the issuing transaction: concurrent issuers queue on the
 * lock, and a transaction that rolls back takes its number with it, so numbers have no gaps.
 */
import { and, eq, sql } from 'drizzle-orm';
import { formatInstrumentNumber } from '../domain/instrument-number';
import type { Tx } from './admin-audit';
import { hazardInstruments, hazards, instruments, suspensionInstruments, suspensions } from './schema';
import { agencyOf } from './notice-queries';
import { shanghaiDate } from '../domain/shanghai-time';
import { HAZARD_INSTRUMENT_OF_EVENT, SUSPENSION_INSTRUMENT_OF_EVENT } from '../domain/documents/hazard-instruments';
import { lockCase } from './case-events';

export interface InstrumentRequest {
  agency: string;
  year: number;
  kind: string;
  subjectType: string;
  subjectId: string;
  issuedBy: string;
}

const lastRegion = (regionPath: string) => regionPath.split('/').filter(Boolean).at(-1)!;

export async function issueInstrument(tx: Tx, r: InstrumentRequest) {
  const result = await tx.execute<{ last_number: number }>(sql`
    insert into instrument_counters (agency, year, last_number) values (${r.agency}, ${r.year}, 1)
    on conflict (agency, year) do update set last_number = instrument_counters.last_number + 1
    returning last_number`);
  const number = Number(result.rows[0]!.last_number);
  const [row] = await tx
    .insert(instruments)
    .values({ ...r, number, code: formatInstrumentNumber(r.agency, r.year, number) })
    .returning();
  return row!;
}

/**
 * The instrument a hazard's step issues, if its event is one served on paper (a review outcome,
 * an extension decision): numbered by the agency over the hazard's region, once per step.
 */
export async function issueHazardInstrument(tx: Tx, e: { hazardId: string; stepKey: string; type: string; actor: string; occurredAt: number }): Promise<string | null> {
  const kind = HAZARD_INSTRUMENT_OF_EVENT[e.type];
  if (!kind) return null;
  const [done] = await tx
    .select({ code: instruments.code })
    .from(hazardInstruments)
    .innerJoin(instruments, eq(instruments.id, hazardInstruments.instrumentId))
    .where(and(eq(hazardInstruments.hazardId, e.hazardId), eq(hazardInstruments.stepKey, e.stepKey)));
  if (done) return done.code;
  const [hazard] = await tx.select({ regionPath: hazards.regionPath }).from(hazards).where(eq(hazards.id, e.hazardId));
  if (!hazard) throw new Error(`hazard ${e.hazardId} has no record yet`);
  const row = await issueInstrument(tx, {
    agency: await agencyOf(tx, lastRegion(hazard.regionPath)),
    year: Number(shanghaiDate(e.occurredAt).slice(0, 4)),
    kind,
    subjectType: 'hazard',
    subjectId: e.hazardId,
    issuedBy: e.actor,
  });
  await tx.insert(hazardInstruments).values({ hazardId: e.hazardId, stepKey: e.stepKey, instrumentId: row.id });
  return row.code;
}

/**
 * The instrument a suspension's step issues, if its event is one the bureau numbers (a decision on
 * a resumption request): numbered by the agency over the suspension's region, once per step. It
 * takes the case's lock first, so a retry racing its first attempt finds that attempt's number.
 */
export async function issueSuspensionInstrument(tx: Tx, e: { suspensionId: string; stepKey: string; type: string; actor: string; occurredAt: number }): Promise<string | null> {
  const kind = SUSPENSION_INSTRUMENT_OF_EVENT[e.type];
  if (!kind) return null;
  await lockCase(tx, 'suspension', e.suspensionId);
  const [done] = await tx
    .select({ code: instruments.code })
    .from(suspensionInstruments)
    .innerJoin(instruments, eq(instruments.id, suspensionInstruments.instrumentId))
    .where(and(eq(suspensionInstruments.suspensionId, e.suspensionId), eq(suspensionInstruments.stepKey, e.stepKey)));
  if (done) return done.code;
  const [suspension] = await tx.select({ regionPath: suspensions.regionPath }).from(suspensions).where(eq(suspensions.id, e.suspensionId));
  if (!suspension) throw new Error(`suspension ${e.suspensionId} has no record yet`);
  const row = await issueInstrument(tx, {
    agency: await agencyOf(tx, lastRegion(suspension.regionPath)),
    year: Number(shanghaiDate(e.occurredAt).slice(0, 4)),
    kind,
    subjectType: 'suspension',
    subjectId: e.suspensionId,
    issuedBy: e.actor,
  });
  await tx.insert(suspensionInstruments).values({ suspensionId: e.suspensionId, stepKey: e.stepKey, instrumentId: row.id });
  return row.code;
}
