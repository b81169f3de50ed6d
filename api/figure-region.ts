/** The region (or, for an enterprise's own people, the enterprise) a figures request is about. */
import { and, eq, like } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import type { Node, Subject } from '../db/figures/subjects';
import { prefixPattern } from '../db/hazard-queries';
import { enterprises, regions } from '../db/schema';
import { problems } from './problem';

/** The region a caller asks about: their own by default, or one within their reach (others look missing). */
export async function nodeOf(db: Database, p: Principal, regionId: string | undefined): Promise<Node> {
  const [row] = await db
    .select({ id: regions.id, name: regions.name, level: regions.level, path: regions.path })
    .from(regions)
    .where(and(eq(regions.id, regionId ?? p.regionId), like(regions.path, prefixPattern(p.regionPath))))
    .limit(1);
  if (!row) throw problems.notFound('region');
  return row;
}


/**
 * Whose figures a caller asks for: an enterprise's people get their own enterprise's (no region
 * is theirs to name: any looks missing); everyone else a region within reach.
 */
export async function subjectOf(db: Database, p: Principal, regionId: string | undefined): Promise<Subject> {
  if (p.role !== 'enterprise') return { node: await nodeOf(db, p, regionId) };
  if (regionId !== undefined || !p.enterpriseId) throw problems.notFound('region');
  const [row] = await db
    .select({ id: enterprises.id, name: enterprises.name, regionPath: enterprises.regionPath })
    .from(enterprises)
    .where(eq(enterprises.id, p.enterpriseId))
    .limit(1);
  if (!row) throw problems.notFound('enterprise');
  return { enterprise: row };
}
