/**
 * How a list page counts what matches: no further than TOTAL_CAP rows, so a page of a city-wide
 * list never counts the whole city; past it the answer says "at least" (`totalAtLeast`).
 */
import { and, count, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './client';

export const TOTAL_CAP = 10_000;

/** The statement counting rows of `table` matching `where`, stopping at `upTo` (TOTAL_CAP + 1: enough to know there are more). */
export function countUpToStatement(db: Database, table: PgTable, where: (SQL | undefined)[], upTo = TOTAL_CAP + 1) {
  const capped = db.select({ one: sql`1` }).from(table).where(and(...where)).limit(upTo).as('capped');
  return db.select({ n: count() }).from(capped);
}

/** Rows matching `where`, counted no further than `upTo`. */
export async function countUpTo(db: Database, table: PgTable, where: (SQL | undefined)[], upTo: number): Promise<number> {
  const [row] = await countUpToStatement(db, table, where, upTo);
  return row?.n ?? 0;
}

/** A list's total as answered: the count up to the cap, and whether more match. */
export function cappedTotal(counted: number | undefined): { total: number; totalAtLeast: boolean } {
  return { total: Math.min(counted ?? 0, TOTAL_CAP), totalAtLeast: (counted ?? 0) > TOTAL_CAP };
}

/**
 * A list's total as a page states it: counted (up to the cap) or read from the leaders' kept
 * figures; `asOf` is the moment it describes, `carried` when it came with the cursor from the
 * list's first page instead of being worked out for this one.
 */
export interface ListTotal {
  total: number;
  totalAtLeast: boolean;
  from: 'count' | 'figures';
  asOf: Date;
  carried: boolean;
}

/** A capped count taken at `now`, as a page's total. */
export function countedTotal(counted: number | undefined, now: Date): ListTotal {
  return { ...cappedTotal(counted), from: 'count', asOf: now, carried: false };
}
