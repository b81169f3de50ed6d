/**
 * Issues numbered instruments. The counter row for (agency, year) is created on first use and
 * incremented under its row lock inside the issuing transaction: concurrent issuers queue on the
 * lock, and a transaction that rolls back takes its number with it, so numbers have no gaps.
 */
import { sql } from 'drizzle-orm';
import { formatInstrumentNumber } from '../domain/instrument-number';
import type { Tx } from './admin-audit';
import { instruments } from './schema';

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
