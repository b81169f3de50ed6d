/** People's display names by login name: what answers show wherever a record names a person. */
import { inArray } from 'drizzle-orm';
import type { Database } from './client';
import { users } from './schema';

/** The display name of each of these login names that is a user (others are left out). */
export async function displayNamesOf(db: Database, usernames: Iterable<string>): Promise<Record<string, string>> {
  const wanted = [...new Set([...usernames].filter((u) => u && u !== 'system'))];
  if (!wanted.length) return {};
  const rows = await db.select({ username: users.username, displayName: users.displayName }).from(users).where(inArray(users.username, wanted));
  return Object.fromEntries(rows.map((r) => [r.username, r.displayName]));
}
