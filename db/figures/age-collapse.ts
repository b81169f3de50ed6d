/**
 * How open rows collapse on a day: those not overdue to the day itself, and the overdue ones to the
 * last deadline of their age bucket (each bucket's deadlines worked out from the calendar for that
 * day: domain/figures/ageing.ts ageCollapse). Every deadline of a bucket has that bucket's age, so
 * the figures are the same, and a city's node reads a few rows per key instead of one per deadline.
 * Collapsing twice gives what collapsing once gave, so reads apply it to rows aged already too.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AgeCollapse } from '../../domain/figures/ageing';

/** A row's deadline (columns `status`, `deadline`) as the figures need it; a deadline no bucket holds is kept. */
export function collapsedDeadline(c: AgeCollapse): SQL {
  const toBucket = c.buckets.map((b) =>
    b.from === null ? sql`when deadline <= ${b.to}::date then ${b.to}::date` : sql`when deadline between ${b.from}::date and ${b.to}::date then ${b.to}::date`,
  );
  const overdue = toBucket.length ? sql`case ${sql.join(toBucket, sql` `)} else deadline end` : sql`deadline`;
  return sql`case when status = 'rectifying' and deadline < ${c.today}::date then ${overdue} else ${c.today}::date end`;
}

/** Whether two collapses put every deadline in the same place (the same day and the same buckets). */
export function sameCollapse(a: AgeCollapse | null | undefined, b: AgeCollapse): boolean {
  // Field by field: a collapse read back from jsonb has its keys in jsonb's order, not ours.
  return (
    !!a &&
    a.today === b.today &&
    a.buckets.length === b.buckets.length &&
    a.buckets.every((x, i) => x.from === b.buckets[i]!.from && x.to === b.buckets[i]!.to)
  );
}
