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
import { setUserPost } from '../../db/posts';
import type { Post } from '../../domain/posts';
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

/** Each person with the post they hold (domain/posts.ts): the county supervisors are its section chiefs. */
export const WORLD_USERS = {
  admin: { role: 'admin', at: 'city', post: null },
  'leader-city': { role: 'leader', at: 'city', post: 'city_leader' },
  'leader-a': { role: 'leader', at: 'countyA', post: 'county_leader' },
  'supervisor-a': { role: 'supervisor', at: 'countyA', post: 'section_chief' },
  'supervisor-b': { role: 'supervisor', at: 'countyB', post: 'section_chief' },
  'grid-a': { role: 'supervisor', at: 'gridA', post: 'grid_worker' },
  'enterprise-a': { role: 'enterprise', at: 'enterpriseA', post: 'safety_officer' },
  'enterprise-b': { role: 'enterprise', at: 'enterpriseB', post: 'safety_officer' },
} as const satisfies Record<string, { role: Role; at: string; post: Post | null }>;
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
    if (u.post) await setUserPost(db, 'fixture', row.id, u.post);
  }
  return { a, b, enterpriseA, enterpriseB, users };
}
