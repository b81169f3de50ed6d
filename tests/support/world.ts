/**
 * A small jurisdiction for access tests: one city, two counties (each with a township and a
 * grid), an enterprise in each county, and a user of every role at several levels.
 *
 *   city ── county A ── township A ── grid A   (enterprise A)
 *        └─ county B ── township B ── grid B   (enterprise B)
 */
import { hashPassword } from '../../auth/passwords';
import type { Database } from '../../db/client';
import { createUser, type Role } from '../../db/directory';
import { insertEnterprise, insertRegionChain, type RegionChain } from './fixtures';

export const PASSWORD = 'correct horse battery staple';

export interface World {
  a: RegionChain;
  b: RegionChain;
  enterpriseA: string;
  enterpriseB: string;
  /** username → user id */
  users: Record<WorldUser, string>;
}

export const WORLD_USERS = {
  admin: { role: 'admin', at: 'city' },
  'leader-city': { role: 'leader', at: 'city' },
  'leader-a': { role: 'leader', at: 'countyA' },
  'supervisor-a': { role: 'supervisor', at: 'countyA' },
  'supervisor-b': { role: 'supervisor', at: 'countyB' },
  'grid-a': { role: 'supervisor', at: 'gridA' },
  'enterprise-a': { role: 'enterprise', at: 'enterpriseA' },
  'enterprise-b': { role: 'enterprise', at: 'enterpriseB' },
} as const satisfies Record<string, { role: Role; at: string }>;
export type WorldUser = keyof typeof WORLD_USERS;

let hashed: Promise<string> | undefined;

export async function buildWorld(db: Database): Promise<World> {
  const a = await insertRegionChain(db);
  const b = await insertRegionChain(db, a.city);
  const enterpriseA = await insertEnterprise(db, '甲化工有限公司', a.grid.id);
  const enterpriseB = await insertEnterprise(db, '乙机械制造厂', b.grid.id);
  const passwordHash = await (hashed ??= hashPassword(PASSWORD));
  const place = {
    city: { regionId: a.city.id },
    countyA: { regionId: a.county.id },
    countyB: { regionId: b.county.id },
    gridA: { regionId: a.grid.id },
    enterpriseA: { regionId: a.grid.id, enterpriseId: enterpriseA },
    enterpriseB: { regionId: b.grid.id, enterpriseId: enterpriseB },
  };
  const users = {} as Record<WorldUser, string>;
  for (const [username, u] of Object.entries(WORLD_USERS) as [WorldUser, (typeof WORLD_USERS)[WorldUser]][]) {
    const row = await createUser(db, 'fixture', { username, displayName: username, role: u.role, passwordHash, ...place[u.at] });
    users[username] = row.id;
  }
  return { a, b, enterpriseA, enterpriseB, users };
}
