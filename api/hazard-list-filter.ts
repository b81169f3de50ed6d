/**
 * The hazard list's query turned into the database's filter: the region and campaign looked up
 * within reach, an age bucket turned into the deadlines it covers on today's calendar.
 */
import { and, eq, like } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { loadCalendar } from '../db/calendar';
import { campaignScope } from '../db/campaigns';
import { prefixPattern, type HazardFilter } from '../db/hazard-queries';
import { campaigns, regions } from '../db/schema';
import { bucketByKey, deadlinesInBucket } from '../domain/figures/ageing';
import { shanghaiDate } from '../domain/shanghai-time';
import { problems } from './problem';
import type { HazardListFilters } from './schemas/hazard';

/** The path of a region a list is filtered to: one within the caller's reach, or a 400 naming the field. */
export async function regionPathWithinReach(db: Database, p: Principal, regionId: string): Promise<string> {
  const [row] = await db.select({ path: regions.path }).from(regions).where(and(eq(regions.id, regionId), like(regions.path, prefixPattern(p.regionPath))));
  if (!row) throw problems.invalid([{ field: 'query.region', message: 'no such region within reach' }]);
  return row.path;
}

const noneAsNull = (v: string | undefined) => (v === undefined ? undefined : v === 'none' ? null : v);

/** Also takes a list page's or an export's query whole: its paging and language are not filters. */
export async function hazardFilterOf(db: Database, p: Principal, q: HazardListFilters & { limit?: number; cursor?: string; lang?: string }, now: number): Promise<HazardFilter> {
  const { region, industry, leader, supervisor, age, campaign, cohort, limit: _limit, cursor: _cursor, lang: _lang, ...plain } = q;
  const filter: HazardFilter = { ...plain, industry: noneAsNull(industry), leaderId: noneAsNull(leader), supervisor: noneAsNull(supervisor) };
  if (region) filter.regionPath = await regionPathWithinReach(db, p, region);
  if (age) {
    const range = deadlinesInBucket(await loadCalendar(db), shanghaiDate(now), bucketByKey(age)!);
    // No deadline falls in the bucket today: nothing can match.
    filter.status = 'rectifying';
    filter.deadlineFrom = range?.from ?? undefined;
    filter.deadlineTo = range?.to ?? '0001-01-01';
  }
  if (campaign && cohort) {
    // A campaign the caller cannot see is as missing as one that does not exist.
    const [row] = await db.select({ cutoff: campaigns.cutoff, regionPath: campaigns.regionPath }).from(campaigns).where(and(eq(campaigns.id, campaign), campaignScope(p.regionPath)));
    if (!row) throw problems.invalid([{ field: 'query.campaign', message: 'no such campaign' }]);
    filter.cohort = { kind: cohort, cutoff: row.cutoff, regionPath: row.regionPath };
  }
  return filter;
}
