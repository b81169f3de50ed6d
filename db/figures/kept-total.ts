/**
 * A list's total read from the kept figures instead of counted: a sum over a node's few rows of a
 * figures table and the deltas not folded yet. Shared by the hazard and notice lists.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import type { ListTotal } from '../list-count';

/** How long after the last fold a list still reads its total from the figures (the fold runs every 5 s). */
export const FIGURES_FRESH_MS = 60_000;

/**
 * The sum of `table`'s rows of the node matching `where`, plus the deltas of `kinds` under the node
 * not folded yet (a few seconds' worth): read in one statement, so in one snapshot, the sum is
 * exact as of the statement, not of the last fold; `where` names columns both tables have.
 */
export function keptSumStatement(table: SQL, nodePath: string, where: SQL[], kinds: DeltaKind[]): SQL {
  const folded = sql.join([sql`node_path = ${nodePath}`, ...where], sql` and `);
  const pending = sql.join([sql`kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`, sql`left(region_path, length(${nodePath})) = ${nodePath}`, ...where], sql` and `);
  return sql`select (select coalesce(sum(n), 0) from ${table} where ${folded})
      + (select coalesce(sum(sign), 0) from figure_deltas where ${pending}) as n,
    (select folded_at from figure_folds where id = 1) as folded_at`;
}

/** What a kept table is folded from (db/figures/fold.ts). */
export type DeltaKind = 'open' | 'closed' | 'notice';

/**
 * The total `statement` (a keptSumStatement) reads; null when there is no statement (the figures
 * do not hold the filter) or the figures were not folded lately (the deltas left to fold could be
 * many), so the rows must be counted instead.
 */
export async function keptTotal(db: Database, statement: SQL | null, now: Date): Promise<ListTotal | null> {
  if (!statement) return null;
  const { rows } = await db.execute<{ n: string | number; folded_at: Date | string | null }>(statement);
  const foldedAt = rows[0]?.folded_at ? new Date(rows[0].folded_at) : null;
  if (!foldedAt || now.getTime() - foldedAt.getTime() > FIGURES_FRESH_MS) return null;
  return { total: Number(rows[0]?.n ?? 0), totalAtLeast: false, from: 'figures', asOf: now, carried: false };
}
