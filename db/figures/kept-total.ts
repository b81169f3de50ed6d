/**
 * A list's total read from the kept figures instead of counted: a sum over a node's few rows of a
 * figures table, stated as of the figures' last fold. Shared by the hazard and notice lists.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import type { ListTotal } from '../list-count';

/** How long after the last fold a list still reads its total from the figures (the fold runs every 5 s). */
export const FIGURES_FRESH_MS = 60_000;

/** The sum of `table`'s rows of the node matching `where`, with the last fold's time: the moment the sum describes. */
export function keptSumStatement(table: SQL, nodePath: string, where: SQL[]): SQL {
  return sql`select coalesce(sum(n), 0)::bigint as n, (select folded_at from figure_folds where id = 1) as folded_at
    from ${table} where ${sql.join([sql`node_path = ${nodePath}`, ...where], sql` and `)}`;
}

/**
 * The total `statement` (a keptSumStatement) reads, as of the last fold; null when there is no
 * statement (the figures do not hold the filter) or the figures were not folded lately, so the
 * rows must be counted instead.
 */
export async function keptTotal(db: Database, statement: SQL | null, now: Date): Promise<ListTotal | null> {
  if (!statement) return null;
  const { rows } = await db.execute<{ n: string | number; folded_at: Date | string | null }>(statement);
  const foldedAt = rows[0]?.folded_at ? new Date(rows[0].folded_at) : null;
  if (!foldedAt || now.getTime() - foldedAt.getTime() > FIGURES_FRESH_MS) return null;
  return { total: Number(rows[0]?.n ?? 0), totalAtLeast: false, from: 'figures', asOf: foldedAt, carried: false };
}
