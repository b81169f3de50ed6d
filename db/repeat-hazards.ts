/** The read behind repeat detection: the latest closure of a category at an enterprise since a given instant. */
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import type { ClosedHazard } from '../domain/repeat-hazard';
import type { Database } from './client';
import { hazards } from './schema';

export async function latestClosedHazard(
  db: Database,
  q: { enterpriseId: string; category: string; from: number; to: number },
): Promise<ClosedHazard | null> {
  const [row] = await db
    .select({ id: hazards.id, closedAt: hazards.closedAt })
    .from(hazards)
    .where(
      and(
        eq(hazards.enterpriseId, q.enterpriseId),
        eq(hazards.category, q.category),
        eq(hazards.status, 'closed'),
        gte(hazards.closedAt, new Date(q.from)),
        lte(hazards.closedAt, new Date(q.to)),
      ),
    )
    .orderBy(desc(hazards.closedAt), desc(hazards.id))
    .limit(1);
  return row?.closedAt ? { id: row.id, closedAt: row.closedAt.getTime() } : null;
}
