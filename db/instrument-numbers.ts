/**
 * Issues numbered instruments. The counter row for (agency, year) is created on first use and
 * incremented under its row lock inside the issuing transaction: concurrent issuers queue on the
 * lock, and a transaction that rolls back takes its number with it, so numbers have no gaps.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
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

/** The agency's next number of the year: the counter is created on first use, then advanced under its row lock. */
async function nextNumber(tx: Tx, agency: string, year: number): Promise<number> {
  const result = await tx.execute<{ last_number: number }>(sql`
    insert into instrument_counters (agency, year, last_number) values (${agency}, ${year}, 1)
    on conflict (agency, year) do update set last_number = instrument_counters.last_number + 1
    returning last_number`);
  return Number(result.rows[0]!.last_number);
}

export async function issueInstrument(tx: Tx, r: InstrumentRequest) {
  const number = await nextNumber(tx, r.agency, r.year);
  const [row] = await tx
    .insert(instruments)
    .values({ ...r, number, code: formatInstrumentNumber(r.agency, r.year, number) })
    .returning();
  return row!;
}

/**
 * The instrument a hazard's step issues, if its event is one served on paper (a review outcome,
 * an extension decision): numbered by the agency over the hazard's region, once per step.
 * `recording`: what the step's recording already knows — the hazard's region, and whether it
 * appended the step's event just now (under the hazard's lock); an instrument is issued only in
 * the transaction that records its step's event, so then none can exist yet.
 */
export async function issueHazardInstrument(
  tx: Tx,
  e: { hazardId: string; stepKey: string; type: string; actor: string; occurredAt: number },
  recording?: { regionPath: string; eventAppended: boolean },
): Promise<string | null> {
  const kind = HAZARD_INSTRUMENT_OF_EVENT[e.type];
  if (!kind) return null;
  if (!recording?.eventAppended) {
    const [done] = await tx
      .select({ code: instruments.code })
      .from(hazardInstruments)
      .innerJoin(instruments, eq(instruments.id, hazardInstruments.instrumentId))
      .where(and(eq(hazardInstruments.hazardId, e.hazardId), eq(hazardInstruments.stepKey, e.stepKey)));
    if (done) return done.code;
  }
  const regionPath = recording?.regionPath ?? (await tx.select({ regionPath: hazards.regionPath }).from(hazards).where(eq(hazards.id, e.hazardId)))[0]?.regionPath;
  if (!regionPath) throw new Error(`hazard ${e.hazardId} has no record yet`);
  const agency = await agencyOf(tx, lastRegion(regionPath));
  const year = Number(shanghaiDate(e.occurredAt).slice(0, 4));
  const number = await nextNumber(tx, agency, year);
  const code = formatInstrumentNumber(agency, year, number);
  // The instrument and its link to the step in one statement.
  const issued = tx.$with('issued').as(
    tx.insert(instruments).values({ agency, year, number, code, kind, subjectType: 'hazard', subjectId: e.hazardId, issuedBy: e.actor }).returning({ id: instruments.id }),
  );
  await tx.with(issued).insert(hazardInstruments).select(sql`select ${e.hazardId}::uuid, ${e.stepKey}, ${issued.id} from ${issued}` as SQL);
  return code;
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
