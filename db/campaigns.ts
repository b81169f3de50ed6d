/**
 * Campaigns (专项行动) as admins define them. A campaign is seen by everyone whose jurisdiction
 * it covers or who oversees its region: a county leader sees the city's campaign (its own county's
 * part of it) and its county's own; never a campaign of another county.
 */
import { and, desc, eq, getTableColumns, like, or, sql, type SQL } from 'drizzle-orm';
import { recordAdminChange } from './admin-audit';
import type { Database } from './client';
import { prefixPattern } from './hazard-queries';
import { campaigns, regions } from './schema';

export type CampaignRow = typeof campaigns.$inferSelect;
/** A campaign with its region's name, as people read it. */
export type CampaignView = CampaignRow & { regionName: string };

export interface NewCampaign {
  name: string;
  regionId: string;
  cutoff: string;
  target: string;
}

/** Campaigns whose region covers the caller's (`regionPath` lies within it) or lies within reach. */
export function campaignScope(regionPath: string): SQL {
  return or(like(campaigns.regionPath, prefixPattern(regionPath)), sql`starts_with(${regionPath}, ${campaigns.regionPath})`)!;
}

/** Creates the campaign and its audit record together; null when the region is not within `withinPath`. */
export async function createCampaign(db: Database, actor: string, withinPath: string, c: NewCampaign): Promise<CampaignView | null> {
  return db.transaction(async (tx) => {
    const [region] = await tx
      .select({ path: regions.path, name: regions.name })
      .from(regions)
      .where(and(eq(regions.id, c.regionId), like(regions.path, prefixPattern(withinPath))));
    if (!region) return null;
    const [row] = await tx
      .insert(campaigns)
      .values({ ...c, regionPath: region.path, createdBy: actor })
      .returning();
    await recordAdminChange(tx, {
      actor,
      action: 'campaign.created',
      subjectType: 'campaign',
      subjectId: row!.id,
      data: { name: c.name, regionId: c.regionId, cutoff: c.cutoff, target: c.target },
    });
    return { ...row!, regionName: region.name };
  });
}

const viewColumns = { ...getTableColumns(campaigns), regionName: regions.name };

export async function listCampaigns(db: Database, regionPath: string): Promise<CampaignView[]> {
  return db
    .select(viewColumns)
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(campaignScope(regionPath))
    .orderBy(desc(campaigns.cutoff), desc(campaigns.createdAt));
}

export async function findCampaign(db: Database, regionPath: string, id: string): Promise<CampaignView | undefined> {
  const [row] = await db.select(viewColumns).from(campaigns).innerJoin(regions, eq(regions.id, campaigns.regionId)).where(and(eq(campaigns.id, id), campaignScope(regionPath)));
  return row;
}
