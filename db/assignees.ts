/**
 * Who can take a place on a hazard: its supervisor (an active supervisor whose jurisdiction covers
 * the hazard's region, also for a delegation) or its enterprise contact (an active person of the
 * hazard's enterprise). The check on a reassignment and the list a page offers are the same rule.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from './client';
import type { HazardRow } from './hazard-queries';
import { regions, userPosts, users } from './schema';

export type AssigneePlace = 'supervisor' | 'enterprise_contact';

type Placed = Pick<HazardRow, 'enterpriseId' | 'regionPath'>;

function placeCondition(row: Placed, place: AssigneePlace): SQL {
  const person = and(eq(users.active, true), eq(users.kind, 'person'))!;
  return place === 'enterprise_contact'
    ? and(person, eq(users.role, 'enterprise'), eq(users.enterpriseId, row.enterpriseId))!
    : and(person, eq(users.role, 'supervisor'), sql`starts_with(${row.regionPath}, ${regions.path})`)!;
}

export interface Assignee {
  username: string;
  displayName: string;
  post: string | null;
  regionName: string;
}

/** The people who can take the place, nearest jurisdiction first, then by name. */
export async function assigneesFor(db: Database, row: Placed, place: AssigneePlace, limit: number): Promise<Assignee[]> {
  return db
    .select({ username: users.username, displayName: users.displayName, post: userPosts.post, regionName: regions.name })
    .from(users)
    .innerJoin(regions, eq(regions.id, users.regionId))
    .leftJoin(userPosts, eq(userPosts.userId, users.id))
    .where(placeCondition(row, place))
    .orderBy(sql`length(${regions.path}) desc`, asc(users.displayName), asc(users.username))
    .limit(limit);
}

export async function canTakePlace(db: Database, row: Placed, username: string, place: AssigneePlace): Promise<boolean> {
  const [found] = await db
    .select({ one: sql`1` })
    .from(users)
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(and(eq(users.username, username), placeCondition(row, place)))
    .limit(1);
  return found !== undefined;
}
