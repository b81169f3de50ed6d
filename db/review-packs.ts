/**
 * Review packs kept: one per region and period (assembled again, it is replaced in place, so a
 * retried activity or a second request leaves one pack), and the meeting rhythm of each
 * jurisdiction (review_pack_policies; by default the city and every county, every two months).
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, like, lt, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { recordAdminChange } from './admin-audit';
import { prefixPattern } from './hazard-queries';
import { regions, reviewPackPolicies, reviewPacks } from './schema';
import { DEFAULT_REVIEW_INTERVAL } from '../domain/figures/review-pack';
import type { ReviewPackContent } from '../domain/figures/review-pack-content';

/** The pack of a region and period has one id, whoever assembles it and however often. */
export function reviewPackId(regionId: string, from: string, to: string): string {
  const h = createHash('sha256').update(`review-pack\n${regionId}\n${from}\n${to}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function storeReviewPack(db: Database, content: ReviewPackContent, assembledBy: string, assembledAt: Date): Promise<string> {
  const id = reviewPackId(content.region.id, content.period.from, content.period.to);
  await db
    .insert(reviewPacks)
    .values({ id, regionId: content.region.id, regionPath: content.region.path, periodFrom: content.period.from, periodTo: content.period.to, assembledAt, assembledBy, content })
    .onConflictDoUpdate({ target: [reviewPacks.regionId, reviewPacks.periodFrom, reviewPacks.periodTo], set: { assembledAt, assembledBy, content } });
  return id;
}

export interface PackCursor {
  assembledAt: Date;
  id: string;
}

/** Packs of regions within `path`, newest first, after the cursor. */
export async function listReviewPacks(db: Database, path: string, limit: number, after?: PackCursor) {
  return db
    .select({
      id: reviewPacks.id,
      regionId: reviewPacks.regionId,
      regionName: regions.name,
      regionLevel: regions.level,
      periodFrom: reviewPacks.periodFrom,
      periodTo: reviewPacks.periodTo,
      assembledAt: reviewPacks.assembledAt,
      assembledBy: reviewPacks.assembledBy,
    })
    .from(reviewPacks)
    .innerJoin(regions, eq(regions.id, reviewPacks.regionId))
    .where(
      and(
        like(reviewPacks.regionPath, prefixPattern(path)),
        after ? or(lt(reviewPacks.assembledAt, after.assembledAt), and(eq(reviewPacks.assembledAt, after.assembledAt), lt(reviewPacks.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(reviewPacks.assembledAt), desc(reviewPacks.id))
    .limit(limit + 1);
}

/** The pack, if its region is within `path` (otherwise as if missing). */
export async function reviewPackWithin(db: Database, id: string, path: string) {
  const [row] = await db
    .select()
    .from(reviewPacks)
    .where(and(eq(reviewPacks.id, id), like(reviewPacks.regionPath, prefixPattern(path))))
    .limit(1);
  return row;
}

export interface ReviewPolicy {
  regionId: string;
  regionName: string;
  /** `/city/county/…/`: whose jurisdiction it lies in. */
  regionPath: string;
  level: string;
  everyMonths: number;
  active: boolean;
  /** False: no row, the default applies. */
  configured: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

/**
 * Every jurisdiction that holds a review meeting or has a rule saying it does not: the defaults
 * (city, counties) and the rows; within `path`'s subtree when given (a region path prefix, as
 * every reach), else the whole city.
 */
export async function reviewPolicies(db: Database, path?: string): Promise<ReviewPolicy[]> {
  const rows = await db
    .select({ region: regions, policy: reviewPackPolicies })
    .from(regions)
    .leftJoin(reviewPackPolicies, eq(reviewPackPolicies.regionId, regions.id))
    .where(and(or(inArray(regions.level, ['city', 'county']), sql`${reviewPackPolicies.regionId} is not null`), path === undefined ? undefined : like(regions.path, prefixPattern(path))))
    .orderBy(regions.path);
  return rows.map(({ region, policy }) => ({
    regionId: region.id,
    regionName: region.name,
    regionPath: region.path,
    level: region.level,
    everyMonths: policy?.everyMonths ?? DEFAULT_REVIEW_INTERVAL,
    active: policy?.active ?? true,
    configured: policy !== null,
    updatedBy: policy?.updatedBy ?? null,
    updatedAt: policy?.updatedAt.toISOString() ?? null,
  }));
}

/** The rhythm of one region (the default for the city and counties, none elsewhere without a row). */
export async function reviewPolicyOf(db: Database, regionId: string): Promise<{ everyMonths: number; active: boolean } | null> {
  const [row] = await db
    .select({ level: regions.level, policy: reviewPackPolicies })
    .from(regions)
    .leftJoin(reviewPackPolicies, eq(reviewPackPolicies.regionId, regions.id))
    .where(eq(regions.id, regionId))
    .limit(1);
  if (!row) return null;
  if (row.policy) return { everyMonths: row.policy.everyMonths, active: row.policy.active };
  return { everyMonths: DEFAULT_REVIEW_INTERVAL, active: row.level === 'city' || row.level === 'county' };
}

/** Saves a region's rhythm and its record in the administrative chain, together. */
export async function saveReviewPolicy(db: Database, actor: string, regionId: string, everyMonths: number, active: boolean) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reviewPackPolicies)
      .values({ regionId, everyMonths, active, updatedBy: actor, updatedAt: new Date() })
      .onConflictDoUpdate({ target: reviewPackPolicies.regionId, set: { everyMonths, active, updatedBy: actor, updatedAt: new Date() } })
      .returning();
    await recordAdminChange(tx, { actor, action: 'review-pack-policy.saved', subjectType: 'region', subjectId: regionId, data: { everyMonths, active } });
    return row!;
  });
}
