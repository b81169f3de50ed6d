/**
 * Who holds which post (domain/posts.ts): admins set and clear a person's post (on the
 * administrative chain, who and when), lists of holders by region, and the holders over an item's
 * region that the resolution rule picks from.
 */
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import { postFitsLevel, postFitsRole, type Post, type PostHolder } from '../domain/posts';
import { recordAdminChange, type Tx } from './admin-audit';
import type { Database } from './client';
import { DirectoryError } from './directory';
import { prefixPattern } from './hazard-queries';
import { regions, userPosts, users } from './schema';

export interface PostHolderRow {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  regionId: string;
  regionName: string;
  regionPath: string;
  post: Post;
  assignedBy: string;
  assignedAt: Date;
}

const holderColumns = {
  userId: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  regionId: regions.id,
  regionName: regions.name,
  regionPath: regions.path,
  post: userPosts.post,
  assignedBy: userPosts.assignedBy,
  assignedAt: userPosts.assignedAt,
};

/** Gives the person a post in their own region (replacing the one they held); refused when the post does not fit their role. */
export async function setUserPost(db: Database, actor: string, userId: string, post: Post): Promise<PostHolderRow> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ role: users.role, kind: users.kind, level: regions.level })
      .from(users)
      .innerJoin(regions, eq(regions.id, users.regionId))
      .where(eq(users.id, userId))
      .for('update', { of: users });
    if (!user) throw new DirectoryError('id', 'no such user');
    if (user.kind !== 'person') throw new DirectoryError('id', 'a service account holds no post');
    if (!postFitsRole(post, user.role)) throw new DirectoryError('post', `a ${user.role} cannot hold the post ${post}`);
    if (!postFitsLevel(post, user.level)) throw new DirectoryError('post', `the post ${post} is not held at a ${user.level}`);
    const [before] = await tx.select({ post: userPosts.post }).from(userPosts).where(eq(userPosts.userId, userId));
    const assignedAt = new Date();
    await tx
      .insert(userPosts)
      .values({ userId, post, assignedBy: actor, assignedAt })
      .onConflictDoUpdate({ target: userPosts.userId, set: { post, assignedBy: actor, assignedAt } });
    await recordAdminChange(tx, { actor, action: 'user.post_set', subjectType: 'user', subjectId: userId, data: { post, before: before?.post ?? null } });
    const [row] = await tx.select(holderColumns).from(userPosts).innerJoin(users, eq(users.id, userPosts.userId)).innerJoin(regions, eq(regions.id, users.regionId)).where(eq(userPosts.userId, userId));
    return row as PostHolderRow;
  });
}

/** Takes the person's post away; clearing one nobody holds changes nothing and records nothing. */
export async function clearUserPost(db: Database, actor: string, userId: string): Promise<{ cleared: Post | null }> {
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(userPosts).where(eq(userPosts.userId, userId)).returning({ post: userPosts.post });
    if (gone) await recordAdminChange(tx, { actor, action: 'user.post_cleared', subjectType: 'user', subjectId: userId, data: { before: gone.post } });
    return { cleared: (gone?.post as Post | undefined) ?? null };
  });
}

/** The post the person holds, if any, with the region it is held in. */
export async function postOfUser(db: Database | Tx, userId: string): Promise<{ post: Post; regionPath: string } | null> {
  const [row] = await db
    .select({ post: userPosts.post, regionPath: regions.path })
    .from(userPosts)
    .innerJoin(users, eq(users.id, userPosts.userId))
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(and(eq(userPosts.userId, userId), eq(users.active, true)));
  return row ? { post: row.post as Post, regionPath: row.regionPath } : null;
}

/** Holders within a region's subtree, by region path then name; keyset on (path, user id). */
export async function listPostHolders(
  db: Database,
  q: { reachPath: string; regionPath?: string; post?: Post; after?: { key: string; id: string }; limit: number },
): Promise<PostHolderRow[]> {
  const rows = await db
    .select(holderColumns)
    .from(userPosts)
    .innerJoin(users, eq(users.id, userPosts.userId))
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(
      and(
        like(regions.path, prefixPattern(q.reachPath)),
        q.regionPath ? like(regions.path, prefixPattern(q.regionPath)) : undefined,
        q.post ? eq(userPosts.post, q.post) : undefined,
        q.after ? sql`(${regions.path}, ${users.id}::text) > (${q.after.key}, ${q.after.id})` : undefined,
      ),
    )
    .orderBy(asc(regions.path), asc(sql`${users.id}::text`))
    .limit(q.limit + 1);
  return rows as PostHolderRow[];
}

/** Active holders of the posts whose region lies on the path from the root to `itemPath`. */
export async function holdersOver(db: Database | Tx, itemPath: string, posts: readonly Post[]): Promise<PostHolder[]> {
  if (!posts.length) return [];
  const rows = await db
    .select({ userId: userPosts.userId, post: userPosts.post, regionPath: regions.path })
    .from(userPosts)
    .innerJoin(users, eq(users.id, userPosts.userId))
    .innerJoin(regions, eq(regions.id, users.regionId))
    .where(and(eq(users.active, true), sql`starts_with(${itemPath}, ${regions.path})`, inArray(userPosts.post, [...posts])));
  return rows.map((r) => ({ userId: r.userId, post: r.post as Post, regionPath: r.regionPath }));
}
