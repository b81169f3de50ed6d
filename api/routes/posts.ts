/**
 * Posts (职务) as directory data: admins give people within their jurisdiction a post in their own
 * region or take it away (on the administrative chain, who and when), and list the holders by
 * region. The rules that name posts resolve them through these rows (domain/posts.ts).
 */
import { and, eq, like } from 'drizzle-orm';
import type { Principal } from '../../auth/principal';
import { DirectoryError } from '../../db/directory';
import { prefixPattern } from '../../db/hazard-queries';
import type { Database } from '../../db/client';
import { displayNamesOf } from '../../db/people';
import { clearUserPost, listPostHolders, setUserPost, type PostHolderRow } from '../../db/posts';
import { regions, users } from '../../db/schema';
import { POST_NAMES, POST_RANKS, POSTS_BY_ROLE, type Post } from '../../domain/posts';
import type { AppDeps } from '../app';
import { anyKey, pageAnswer, queryCursor } from '../key-cursor';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { uuidParams } from '../schemas/directory';
import { listPostHoldersQuery, setPostBody } from '../schemas/posts';

/** A post holder as the posts page lists one. */
export const holderJson = (h: PostHolderRow) => ({
  ...h,
  postName: POST_NAMES[h.post],
  rank: POST_RANKS[h.post].rank,
  line: POST_RANKS[h.post].line,
  assignedAt: h.assignedAt.toISOString(),
});

/**
 * A page of post holders, with `people` naming who assigned each post (login name → display name)
 * and `postsByRole`, the posts each role may hold (the form offers those: one source, the domain's).
 */
export async function holderPageJson(db: Database, rows: PostHolderRow[], limit: number) {
  const page = pageAnswer(rows, limit, (r) => ({ key: r.regionPath, id: r.userId }), holderJson);
  return { ...page, people: await displayNamesOf(db, page.items.map((x) => x.assignedBy)), postsByRole: POSTS_BY_ROLE };
}

export function postRoutes({ db }: AppDeps): RouteSpec[] {
  async function regionPathWithin(principal: Principal, regionId: string): Promise<string> {
    const [r] = await db.select({ path: regions.path }).from(regions).where(and(eq(regions.id, regionId), like(regions.path, prefixPattern(principal.regionPath))));
    if (!r) throw problems.notFound('region');
    return r.path;
  }

  return [
    route({
      method: 'get',
      path: '/api/posts',
      operationId: 'listPostHolders',
      summary: 'Who holds which post (网格员, 科长, 县级领导…) within the admin’s jurisdiction, by region; keyset-paginated',
      tag: 'directory',
      access: ['admin'],
      query: listPostHoldersQuery,
      responses: { 200: { description: 'holders, by region path; `people`: who assigned each post, by login name → display name; `postsByRole`: the posts each role may hold, in rank order' }, 404: { description: 'no such region within jurisdiction' } },
      async handler({ res, query, principal }) {
        const after = queryCursor(query.cursor, 'uuid', anyKey);
        const regionPath = query.regionId ? await regionPathWithin(principal, query.regionId) : undefined;
        const rows = await listPostHolders(db, { reachPath: principal.regionPath, regionPath, post: query.post, after, limit: query.limit });
        res.json(await holderPageJson(db, rows, query.limit));
      },
    }),
    route({
      method: 'put',
      path: '/api/users/:id/post',
      operationId: 'setUserPost',
      summary: 'Give a person within the jurisdiction a post in their own region (replacing the one held), or take it away with null',
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      body: setPostBody,
      responses: {
        200: { description: 'the person’s post now (post null: none)' },
        404: { description: 'no such user within jurisdiction' },
        422: { description: 'the post does not fit the person’s role (a supervisor cannot be a city leader), or a service account' },
      },
      async handler({ res, params, body, principal }) {
        const [user] = await db
          .select({ id: users.id })
          .from(users)
          .innerJoin(regions, eq(regions.id, users.regionId))
          .where(and(eq(users.id, params.id), like(regions.path, prefixPattern(principal.regionPath))));
        if (!user) throw problems.notFound('user');
        if (body.post === null) {
          const { cleared } = await clearUserPost(db, principal.username, user.id);
          res.json({ userId: user.id, post: null, cleared });
          return;
        }
        const post: Post = body.post;
        const row = await setUserPost(db, principal.username, user.id, post).catch((error: unknown) => {
          if (error instanceof DirectoryError) throw problems.unprocessable(error.message, [{ field: error.field === 'id' ? 'params.id' : error.field, message: error.message }]);
          throw error;
        });
        res.json(holderJson(row));
      },
    }),
  ];
}
