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
