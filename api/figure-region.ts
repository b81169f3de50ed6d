/** The region a figures request is about. */
import { and, eq, like } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import type { Node } from '../db/figures/answers';
import { prefixPattern } from '../db/hazard-queries';
import { regions } from '../db/schema';
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

