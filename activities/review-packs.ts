/** Assembling a review pack: its figures read now, stored under its region and period (again: replaced). */
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assembleReviewPack } from '../db/figures/review-pack-assembly';
import { storeReviewPack } from '../db/review-packs';
import { regions } from '../db/schema';
import type { PackPeriod } from '../domain/figures/review-pack';

export function createReviewPackActivities(db: Database) {
  return {
    async assembleReviewPack(p: { regionId: string; period: PackPeriod; previous: PackPeriod; assembledBy: string }): Promise<string> {
      const [node] = await db.select({ id: regions.id, name: regions.name, level: regions.level, path: regions.path }).from(regions).where(eq(regions.id, p.regionId));
      if (!node) throw ApplicationFailure.nonRetryable(`no region ${p.regionId}`, 'UnknownRegion');
      const now = Date.now();
      const content = await assembleReviewPack(db, node, p.period, p.previous, now);
      return storeReviewPack(db, content, p.assembledBy, new Date(now));
    },
  };
}
