/**
 * Issues numbered instruments. The counter row for (agency, year) is created on first use and
 * incremented under its row lock inside the issuing transaction: concurrent issuers queue on the
 * lock, and a transaction that rolls back takes its number with it, so numbers have no gaps.
 */
import { and, eq, sql } from 'drizzle-orm';
import { formatInstrumentNumber } from '../domain/instrument-number';
import type { Tx } from './admin-audit';
import { hazardInstruments, hazards, instruments } from './schema';
import { agencyOf } from './notice-queries';
import { shanghaiDate } from '../domain/shanghai-time';
import { HAZARD_INSTRUMENT_OF_EVENT } from '../domain/documents/hazard-instruments';

export interface InstrumentRequest {
  agency: string;
  year: number;
  kind: string;
  subjectType: string;
  subjectId: string;
  issuedBy: string;
}

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
  const regionId = hazard.regionPath.split('/').filter(Boolean).at(-1)!;
  const row = await issueInstrument(tx, {
    agency: await agencyOf(tx, regionId),
    year: Number(shanghaiDate(e.occurredAt).slice(0, 4)),
    kind,
    subjectType: 'hazard',
    subjectId: e.hazardId,
    issuedBy: e.actor,
  });
  await tx.insert(hazardInstruments).values({ hazardId: e.hazardId, stepKey: e.stepKey, instrumentId: row.id });
  return row.code;
}
