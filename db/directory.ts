/**
 * The directory: regions, enterprises, users and API keys. Every change is made together with
 * its record in the administrative audit chain, attributed to the person who made it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import { recordAdminChange, type Tx } from './admin-audit';
import { apiKeys, enterprises, regions, users, REGION_LEVELS, ROLES, SERVICE_DISPLAY_PREFIX, SERVICE_USERNAME_PREFIX, USER_KINDS } from './schema';

export type RegionLevel = (typeof REGION_LEVELS)[number];
export type Role = (typeof ROLES)[number];
export type UserKind = (typeof USER_KINDS)[number];

/** Each level sits directly under the one before it. */
const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = { city: null, county: 'city', township: 'county', grid: 'township' };

export class DirectoryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

export type RegionRow = typeof regions.$inferSelect;
export type EnterpriseRow = typeof enterprises.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export async function findRegion(db: Database, id: string): Promise<RegionRow | null> {
  const [row] = await db.select().from(regions).where(eq(regions.id, id));
  return row ?? null;
}

export async function createRegion(
  db: Database,
  actor: string,
  r: { id: string; name: string; level: RegionLevel; parentId?: string | null },
): Promise<RegionRow> {
  return db.transaction(async (tx) => {
    const expectedParent = PARENT_LEVEL[r.level];
    let path = `/${r.id}/`;
    if (expectedParent) {
      const [parent] = r.parentId ? await tx.select().from(regions).where(eq(regions.id, r.parentId)) : [];
      if (!parent) throw new DirectoryError('parentId', `a ${r.level} needs its ${expectedParent}`);
      if (parent.level !== expectedParent) throw new DirectoryError('parentId', `a ${r.level} belongs under a ${expectedParent}, not a ${parent.level}`);
      path = `${parent.path}${r.id}/`;
    } else if (r.parentId) {
      throw new DirectoryError('parentId', 'a city is the top of the tree');
    }
    const [row] = await tx
      .insert(regions)
      .values({ id: r.id, name: r.name, level: r.level, parentId: r.parentId ?? null, path })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DirectoryError('id', 'a region with this id exists');
    await recordAdminChange(tx, { actor, action: 'region.created', subjectType: 'region', subjectId: row.id, data: { ...r, path } });
    return row;
  });
}

export async function createEnterprise(
  db: Database,
  actor: string,
  e: { name: string; creditCode: string; regionId: string; industry?: string | null; responsibleLeaderId?: string | null; responsiblePerson?: string },
): Promise<EnterpriseRow> {
  return db.transaction(async (tx) => {
    const [region] = await tx.select().from(regions).where(eq(regions.id, e.regionId));
    if (!region) throw new DirectoryError('regionId', 'no such region');
    if (e.responsibleLeaderId) {
      const [leader] = await tx.select().from(users).where(eq(users.id, e.responsibleLeaderId));
      if (!leader || leader.role !== 'leader') throw new DirectoryError('responsibleLeaderId', 'must be a leader');
    }
    const [row] = await tx
      .insert(enterprises)
      .values({ ...e, regionPath: region.path })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DirectoryError('creditCode', 'an enterprise with this credit code exists');
    await recordAdminChange(tx, { actor, action: 'enterprise.created', subjectType: 'enterprise', subjectId: row.id, data: { ...e } });
    return row;
  });
}

type NewUser = { username: string; displayName: string; role: Role; regionId: string; enterpriseId?: string | null; passwordHash: string | null; kind?: UserKind };

async function insertUser(tx: Tx, u: NewUser): Promise<UserRow> {
  const [region] = await tx.select().from(regions).where(eq(regions.id, u.regionId));
  if (!region) throw new DirectoryError('regionId', 'no such region');
  if (u.role === 'enterprise') {
    const [enterprise] = u.enterpriseId ? await tx.select().from(enterprises).where(eq(enterprises.id, u.enterpriseId)) : [];
    if (!enterprise) throw new DirectoryError('enterpriseId', 'an enterprise user belongs to exactly one existing enterprise');
    if (enterprise.regionId !== u.regionId) throw new DirectoryError('regionId', "an enterprise user's region is its enterprise's region");
  } else if (u.enterpriseId) {
    throw new DirectoryError('enterpriseId', 'only enterprise users belong to an enterprise');
  }
  const [row] = await tx
    .insert(users)
    .values({ ...u, enterpriseId: u.enterpriseId ?? null })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new DirectoryError('username', 'this user name is taken');
  return row;
}

/** A person: signs in with a password (if given one) and acts for themself. */
export async function createUser(db: Database, actor: string, u: Omit<NewUser, 'kind'>): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const row = await insertUser(tx, { ...u, kind: 'person' });
    const { passwordHash: _secret, ...logged } = u;
    await recordAdminChange(tx, { actor, action: 'user.created', subjectType: 'user', subjectId: row.id, data: logged });
    return row;
  });
}

/** Service accounts are shown as the system they stand for, whatever name an admin gives. */
export const serviceDisplayName = (system: string) => (system.startsWith(SERVICE_DISPLAY_PREFIX) ? system : `${SERVICE_DISPLAY_PREFIX}${system}`);

/**
 * Another system's account: a role and a jurisdiction like a person's, but no password (it never
 * signs in, it acts only by API key) and a name that says what it is — `system:<name>`, shown as
 * 系统对接：<system> — in every record it makes.
 */
export async function createServiceAccount(
  db: Database,
  actor: string,
  s: { name: string; system: string; role: Role; regionId: string; enterpriseId?: string | null },
): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const username = `${SERVICE_USERNAME_PREFIX}${s.name}`;
    const row = await insertUser(tx, { username, displayName: serviceDisplayName(s.system), role: s.role, regionId: s.regionId, enterpriseId: s.enterpriseId, passwordHash: null, kind: 'service' }).catch(
      (error: unknown) => {
        if (error instanceof DirectoryError && error.field === 'username') throw new DirectoryError('name', 'a service account of this name exists');
        throw error;
      },
    );
    await recordAdminChange(tx, { actor, action: 'service_account.created', subjectType: 'user', subjectId: row.id, data: { ...s, username } });
    return row;
  });
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

async function insertApiKey(tx: Tx, actor: string, userId: string, name: string): Promise<{ id: string; key: string }> {
  const key = `dbk_${randomBytes(32).toString('base64url')}`;
  const [row] = await tx.insert(apiKeys).values({ userId, name, keyHash: hashApiKey(key) }).returning({ id: apiKeys.id });
  await recordAdminChange(tx, { actor, action: 'api_key.created', subjectType: 'api_key', subjectId: row!.id, data: { userId, name } });
  return { id: row!.id, key };
}

/**
 * A key acts as whoever it belongs to, so a key is made only for the person asking or for a
 * service account: nobody can make a credential that acts as another person. Returns the key
 * once; only its hash is kept.
 */
export async function createOwnApiKey(db: Database, owner: { userId: string; username: string }, name: string): Promise<{ id: string; key: string }> {
  return db.transaction((tx) => insertApiKey(tx, owner.username, owner.userId, name));
}

export async function createServiceApiKey(db: Database, actor: string, serviceAccountId: string, name: string): Promise<{ id: string; key: string }> {
  return db.transaction(async (tx) => {
    const [account] = await tx.select({ kind: users.kind }).from(users).where(eq(users.id, serviceAccountId)).for('update');
    if (account?.kind !== 'service') throw new DirectoryError('id', 'no such service account');
    return insertApiKey(tx, actor, serviceAccountId, name);
  });
}

export async function updateUser(db: Database, actor: string, userId: string, change: { displayName?: string; active?: boolean }): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ kind: users.kind }).from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new DirectoryError('id', 'no such user');
    if (user.kind === 'service' && change.displayName !== undefined) change = { ...change, displayName: serviceDisplayName(change.displayName) };
    const [row] = await tx.update(users).set(change).where(eq(users.id, userId)).returning();
    if (!row) throw new DirectoryError('id', 'no such user');
    await recordAdminChange(tx, { actor, action: 'user.updated', subjectType: 'user', subjectId: userId, data: change });
    return row;
  });
}

/** Revoking twice is harmless: the first revocation time stays. */
export async function revokeApiKey(db: Database, actor: string, keyId: string, reason?: string): Promise<{ id: string; revokedAt: Date }> {
  return db.transaction(async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, keyId)).for('update');
    if (!key) throw new DirectoryError('id', 'no such API key');
    if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
    const revokedAt = new Date();
    await tx.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, keyId));
    await recordAdminChange(tx, { actor, action: 'api_key.revoked', subjectType: 'api_key', subjectId: keyId, data: { userId: key.userId, ...(reason ? { reason } : {}) } });
    return { id: key.id, revokedAt };
  });
}

/**
 * Keys made before keys belonged to people may act as a person other than the one who made them
 * (an admin could make one for anyone). Each such key still in use is revoked, on the record as
 * the system; a person's own keys and service accounts' keys stay. Run after every migration:
 * once none is left it changes nothing.
 */
export async function revokeKeysActingForOthers(db: Database): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    select k.id from api_keys k join users u on u.id = k.user_id
    where k.revoked_at is null and u.kind = 'person'
      and not exists (
        select 1 from admin_events e
        where e.action = 'api_key.created' and e.subject_id = k.id::text and e.actor = u.username)`);
  for (const { id } of rows) await revokeApiKey(db, 'system', id, 'made by someone other than the person it acts as');
  return rows.map((r) => r.id);
}
