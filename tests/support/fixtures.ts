/** Records tests need before a hazard can exist: a region tree, enterprises, people. */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import { createEnterprise, createRegion, type RegionRow } from '../../db/directory';

const suffix = () => randomBytes(3).toString('hex');

export interface RegionChain {
  city: RegionRow;
  county: RegionRow;
  township: RegionRow;
  grid: RegionRow;
}

/** A city with one county, township and grid, under fresh ids. */
export async function insertRegionChain(db: Database, city?: RegionRow): Promise<RegionChain> {
  const s = suffix();
  const c = city ?? (await createRegion(db, 'fixture', { id: `city-${s}`, name: `测试市${s}`, level: 'city' }));
  const county = await createRegion(db, 'fixture', { id: `county-${s}`, name: `测试县${s}`, level: 'county', parentId: c.id });
  const township = await createRegion(db, 'fixture', { id: `town-${s}`, name: `测试镇${s}`, level: 'township', parentId: county.id });
  const grid = await createRegion(db, 'fixture', { id: `grid-${s}`, name: `测试网格${s}`, level: 'grid', parentId: township.id });
  return { city: c, county, township, grid };
}

export async function insertEnterprise(db: Database, name = '测试化工有限公司', regionId?: string): Promise<string> {
  const region = regionId ?? (await insertRegionChain(db)).grid.id;
  const row = await createEnterprise(db, 'fixture', {
    name,
    creditCode: `91${randomBytes(8).toString('hex').toUpperCase()}`,
    regionId: region,
    industry: '危险化学品',
  });
  return row.id;
}
