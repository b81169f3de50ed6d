/**
 * Changes admins make to what the directory already holds: a region renamed or given the short
 * name its agency signs with, an enterprise's particulars, a person's password reset; and the
 * API keys an admin oversees. Each change lands with its record in the administrative chain.
 */
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Database } from './client';
import { recordAdminChange } from './admin-audit';
import { DirectoryError, type EnterpriseRow, type RegionRow, type UserRow } from './directory';
import { apiKeys, enterprises, hazards, inspections, notices, regions, suspensions, users } from './schema';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Only what changed goes on the record, as before → after. */
function changed<T extends Record<string, unknown>>(row: T, change: Partial<T>): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const [key, after] of Object.entries(change)) {
    if (after !== undefined && row[key] !== after) out[key] = { before: row[key] ?? null, after };
  }
  return out;
}

export async function updateRegion(db: Database, actor: string, id: string, change: { name?: string; agencyShortName?: string | null }): Promise<RegionRow> {
  return db.transaction(async (tx) => {
    const [region] = await tx.select().from(regions).where(eq(regions.id, id)).for('update');
    if (!region) throw new DirectoryError('id', 'no such region');
    const diff = changed(region, change);
    if (!Object.keys(diff).length) return region;
    const [row] = await tx.update(regions).set(change).where(eq(regions.id, id)).returning();
    await recordAdminChange(tx, { actor, action: 'region.updated', subjectType: 'region', subjectId: id, data: diff });
    return row!;
  });
}

export interface EnterpriseChange {
  name?: string;
  creditCode?: string;
  regionId?: string;
  industry?: string | null;
  responsibleLeaderId?: string | null;
  responsiblePerson?: string;
}

/**
 * Updates an enterprise. Its region moves only while nothing is on record for it (hazards,
 * notices, inspections, suspensions carry the region they were made in); its users move with it,
 * which ends their sign-ins (users_end_sessions).
 */
export async function updateEnterprise(db: Database, actor: string, id: string, change: EnterpriseChange): Promise<EnterpriseRow> {
  return db.transaction(async (tx) => {
    const [enterprise] = await tx.select().from(enterprises).where(eq(enterprises.id, id)).for('update');
    if (!enterprise) throw new DirectoryError('id', 'no such enterprise');
    const diff = changed(enterprise, change);
    if (!Object.keys(diff).length) return enterprise;
    const set: Partial<EnterpriseRow> = { ...change };
    if (diff.regionId) {
      const [region] = await tx.select().from(regions).where(eq(regions.id, change.regionId!));
      if (!region) throw new DirectoryError('regionId', 'no such region');
      const [records] = await tx.execute<{ n: number }>(sql`
        select (select count(*) from ${hazards} where ${hazards.enterpriseId} = ${id})
             + (select count(*) from ${notices} where ${notices.enterpriseId} = ${id})
             + (select count(*) from ${inspections} where ${inspections.enterpriseId} = ${id})
             + (select count(*) from ${suspensions} where ${suspensions.enterpriseId} = ${id}) as n`).then((r) => r.rows);
      if (Number(records?.n ?? 0) > 0) throw new DirectoryError('regionId', 'an enterprise with hazards, notices, inspections or suspensions on record keeps its region');
      set.regionPath = region.path;
      await tx.update(users).set({ regionId: region.id }).where(eq(users.enterpriseId, id));
    }
    if (diff.responsibleLeaderId && change.responsibleLeaderId) {
      const [leader] = await tx.select().from(users).where(eq(users.id, change.responsibleLeaderId));
      if (!leader || leader.role !== 'leader') throw new DirectoryError('responsibleLeaderId', 'must be a leader');
    }
    if (diff.creditCode) {
      const [taken] = await tx.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.creditCode, change.creditCode!));
      if (taken) throw new DirectoryError('creditCode', 'an enterprise with this credit code exists');
    }
    const [row] = await tx.update(enterprises).set(set).where(eq(enterprises.id, id)).returning();
    await recordAdminChange(tx, { actor, action: 'enterprise.updated', subjectType: 'enterprise', subjectId: id, data: diff });
    return row!;
  });
}

/**
 * A new password for a person (never a service account); the hash is stored, nothing of it
 * recorded. Their sign-ins end with it (users_end_sessions); their API keys stay.
 */
export async function resetPassword(db: Database, actor: string, userId: string, passwordHash: string): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new DirectoryError('id', 'no such user');
    if (user.kind !== 'person') throw new DirectoryError('password', 'a service account never signs in: it has no password');
    const [row] = await tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).returning();
    await recordAdminChange(tx, { actor, action: 'user.password_reset', subjectType: 'user', subjectId: userId, data: {} });
    return row!;
  });
}

/** API keys of the people and service accounts placed within `regionPath`, newest first; never a hash. */
export async function listApiKeys(db: Database, regionPath: string, opts: { userId?: string; limit: number }) {
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      userId: apiKeys.userId,
      username: users.username,
      displayName: users.displayName,
      kind: users.kind,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(and(like(regions.path, `${escapeLike(regionPath)}%`), opts.userId ? eq(apiKeys.userId, opts.userId) : undefined))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(opts.limit);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), revokedAt: r.revokedAt?.toISOString() ?? null }));
}

/** The display names of the people (or systems) named by user name, for records that keep only the name. */
export async function displayNames(db: Database, usernames: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(usernames)];
  if (!wanted.length) return new Map();
  const rows = await db.select({ username: users.username, displayName: users.displayName }).from(users).where(inArray(users.username, wanted));
  return new Map(rows.map((r) => [r.username, r.displayName]));
}
