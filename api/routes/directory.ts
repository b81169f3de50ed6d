/**
 * The directory, managed by admins: regions, enterprises, users, API keys. Reads are scoped to
 * the caller's reach like everything else; every change lands in the administrative audit chain.
 */
import { and, asc, eq, gt, ilike, like, or, type SQL } from 'drizzle-orm';
import { anyKey, pageOf, queryCursor, type KeyCursor } from '../key-cursor';
import { hashPassword } from '../../auth/passwords';
import { createEnterprise, createOwnApiKey, createRegion, createServiceAccount, createServiceApiKey, createUser, DirectoryError, revokeApiKey, updateUser, type Role, type UserRow } from '../../db/directory';
import { enterpriseScope, findEnterprise, listEnterprises, prefixPattern } from '../../db/hazard-queries';
import { apiKeys, enterprises, regions, users } from '../../db/schema';
import type { Principal } from '../../auth/principal';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { createApiKeyBody, createEnterpriseBody, createRegionBody, createServiceAccountBody, createServiceApiKeyBody, createUserBody, enterpriseListQuery, listPageQuery, updateUserBody, userListQuery, uuidParams } from '../schemas/directory';
import type { AppDeps } from '../app';
import { forgetPrincipals } from '../middleware/authenticate';

/** A cursor from the query (empty: the first page), or a 400 naming it when it is not one of ours; keys are names and paths, any text. */
const cursorOf = (raw: string | undefined, idKind: 'uuid' | 'region' = 'uuid'): KeyCursor | undefined => queryCursor(raw, idKind, anyKey);

/** A LIKE pattern for text containing `q` (its own % and _ taken literally). */
const contains = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function refused(error: unknown): never {
  if (error instanceof DirectoryError) throw problems.unprocessable(error.message, [{ field: error.field, message: error.message }]);
  throw error;
}

/** A region as the directory answers it. */
export const regionJson = (r: typeof regions.$inferSelect) => ({ ...r, createdAt: r.createdAt.toISOString() });

export const enterpriseJson = (e: Awaited<ReturnType<typeof listEnterprises>>[number]) => ({ ...e, createdAt: e.createdAt.toISOString() });

/** A user as the admins' list shows one (GET /api/users). */
export const userListItemJson = (u: Pick<UserRow, 'id' | 'username' | 'displayName' | 'kind' | 'role' | 'regionId' | 'enterpriseId' | 'active'>) => u;

/** A user as admins see one: never the password hash, nor the generation its tokens are checked by. */
export const userJson = ({ passwordHash: _hash, sessionGeneration: _generation, ...visible }: UserRow) => ({ ...visible, createdAt: visible.createdAt.toISOString() });

export function directoryRoutes({ db }: AppDeps): RouteSpec[] {
  /** An admin manages only what lies within their own jurisdiction. */
  async function regionWithinReach(principal: Principal, regionId: string | null, field: string) {
    if (regionId === null) {
      if (principal.regionPath.split('/').length > 3) throw problems.unprocessable('only a city-wide admin creates a city', [{ field, message: 'outside your jurisdiction' }]);
      return;
    }
    const [region] = await db.select().from(regions).where(and(eq(regions.id, regionId), like(regions.path, prefixPattern(principal.regionPath))));
    if (!region) throw problems.unprocessable('no such region within your jurisdiction', [{ field, message: 'no such region within your jurisdiction' }], 'unknown-region');
  }

  /** Whether the user (of the given role, if named) is placed within the caller's jurisdiction. */
  async function userWithinReach(principal: Principal, userId: string, role?: Role): Promise<boolean> {
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .innerJoin(regions, eq(regions.id, users.regionId))
      .where(and(eq(users.id, userId), role ? eq(users.role, role) : undefined, like(regions.path, prefixPattern(principal.regionPath))));
    return Boolean(user);
  }

  return [
    route({
      method: 'get',
      path: '/api/regions',
      operationId: 'listRegions',
      summary: 'Regions within reach (the jurisdiction tree below the caller)',
      tag: 'directory',
      access: 'authenticated',
      query: listPageQuery,
      responses: { 200: { description: 'regions' } },
      async handler({ res, query, principal }) {
        const after = cursorOf(query.cursor, 'region');
        const rows = await db
          .select()
          .from(regions)
          .where(and(like(regions.path, prefixPattern(principal.regionPath)), after ? gt(regions.path, after.key) : undefined))
          .orderBy(asc(regions.path))
          .limit(query.limit + 1);
        const page = pageOf(rows, query.limit, (r) => ({ key: r.path, id: r.id }));
        res.json({ items: page.items.map(regionJson), nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'post',
      path: '/api/regions',
      operationId: 'createRegion',
      summary: 'Add a region under its parent (county under city, township under county, grid under township)',
      tag: 'directory',
      access: ['admin'],
      body: createRegionBody,
      responses: { 201: { description: 'created' }, 422: { description: 'wrong parent, duplicate id, or outside jurisdiction' } },
      async handler({ res, body, principal }) {
        await regionWithinReach(principal, body.parentId, 'parentId');
        const row = await createRegion(db, principal.username, body).catch(refused);
        res.status(201).location(`/api/regions/${row.id}`).json(regionJson(row));
      },
    }),
    route({
      method: 'get',
      path: '/api/enterprises',
      operationId: 'listEnterprises',
      summary: 'Enterprises within reach (an enterprise user sees only its own); q: part of the name or the beginning of the credit code',
      tag: 'directory',
      access: 'authenticated',
      query: enterpriseListQuery,
      responses: { 200: { description: 'enterprises' } },
      async handler({ res, query, principal }) {
        const search: SQL | undefined = query.q ? or(ilike(enterprises.name, contains(query.q)), like(enterprises.creditCode, prefixPattern(query.q.toUpperCase()))) : undefined;
        const rows = await listEnterprises(db, and(enterpriseScope(principal), search)!, query.limit + 1, cursorOf(query.cursor));
        const page = pageOf(rows, query.limit, (e) => ({ key: e.name, id: e.id }));
        res.json({ items: page.items.map(enterpriseJson), nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'get',
      path: '/api/enterprises/:id',
      operationId: 'getEnterprise',
      summary: 'One enterprise within reach',
      tag: 'directory',
      access: 'authenticated',
      params: uuidParams,
      responses: { 200: { description: 'the enterprise' }, 404: { description: 'no such enterprise within reach' } },
      async handler({ res, params, principal }) {
        const row = await findEnterprise(db, enterpriseScope(principal), params.id);
        if (!row) throw problems.notFound('enterprise');
        res.json(enterpriseJson(row));
      },
    }),
    route({
      method: 'post',
      path: '/api/enterprises',
      operationId: 'createEnterprise',
      summary: 'Register an enterprise under supervision, with its responsible leader (包联领导)',
      tag: 'directory',
      access: ['admin'],
      body: createEnterpriseBody,
      responses: { 201: { description: 'created' }, 422: { description: 'unknown region or leader, duplicate credit code' } },
      async handler({ res, body, principal }) {
        await regionWithinReach(principal, body.regionId, 'regionId');
        if (body.responsibleLeaderId && !(await userWithinReach(principal, body.responsibleLeaderId, 'leader'))) {
          // The same answer whether the id is no user, no leader, or a leader out of reach.
          throw problems.unprocessable('must be a leader within your jurisdiction', [{ field: 'responsibleLeaderId', message: 'must be a leader within your jurisdiction' }]);
        }
        const row = await createEnterprise(db, principal.username, body).catch(refused);
        res.status(201).location(`/api/enterprises/${row.id}`).json(enterpriseJson(row));
      },
    }),
    route({
      method: 'get',
      path: '/api/users',
      operationId: 'listUsers',
      summary: 'Users within the admin’s jurisdiction; narrowed by role, kind (person or service account), or q in the user name or display name',
      tag: 'directory',
      access: ['admin'],
      query: userListQuery,
      responses: { 200: { description: 'users' } },
      async handler({ res, query, principal }) {
        const after = cursorOf(query.cursor);
        const rows = await db
          .select({ id: users.id, username: users.username, displayName: users.displayName, kind: users.kind, role: users.role, regionId: users.regionId, enterpriseId: users.enterpriseId, active: users.active })
          .from(users)
          .innerJoin(regions, eq(regions.id, users.regionId))
          .where(
            and(
              like(regions.path, prefixPattern(principal.regionPath)),
              after ? gt(users.username, after.key) : undefined,
              query.role ? eq(users.role, query.role) : undefined,
              query.kind ? eq(users.kind, query.kind) : undefined,
              query.q ? or(ilike(users.username, contains(query.q)), ilike(users.displayName, contains(query.q))) : undefined,
            ),
          )
          .orderBy(asc(users.username))
          .limit(query.limit + 1);
        const page = pageOf(rows, query.limit, (u) => ({ key: u.username, id: u.id }));
        res.json({ items: page.items.map(userListItemJson), nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'post',
      path: '/api/users',
      operationId: 'createUser',
      summary: 'Create a user with a role and a jurisdiction (enterprise users: exactly one enterprise)',
      tag: 'directory',
      access: ['admin'],
      body: createUserBody,
      responses: { 201: { description: 'created (the password is never returned)' }, 422: { description: 'invalid role/enterprise/region combination or taken name' } },
      async handler({ res, body, principal }) {
        await regionWithinReach(principal, body.regionId, 'regionId');
        const { password, ...user } = body;
        const row = await createUser(db, principal.username, { ...user, passwordHash: password ? await hashPassword(password) : null }).catch(refused);
        res.status(201).location(`/api/users/${row.id}`).json(userJson(row));
      },
    }),
    route({
      method: 'patch',
      path: '/api/users/:id',
      operationId: 'updateUser',
      summary: 'Rename a user or (de)activate the account; a deactivated account stops working at once, and its sign-ins stay ended once it is active again',
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      body: updateUserBody,
      responses: { 200: { description: 'the user' }, 404: { description: 'no such user within jurisdiction' }, 422: { description: 'an admin cannot deactivate themself' } },
      async handler({ res, params, body, principal }) {
        if (!(await userWithinReach(principal, params.id))) throw problems.notFound('user');
        if (params.id === principal.userId && body.active === false) {
          throw problems.unprocessable('an admin cannot deactivate their own account', [{ field: 'active', message: 'not your own account' }]);
        }
        const row = await updateUser(db, principal.username, params.id, body).catch(refused);
        // A deactivated account is refused from its next request on, not after the memo's bound.
        forgetPrincipals(db);
        res.json(userJson(row));
      },
    }),
    route({
      method: 'post',
      path: '/api/api-keys/:id/revocation',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key at once (revoking again changes nothing)',
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      responses: { 200: { description: 'revoked' }, 404: { description: 'no such key within jurisdiction' } },
      async handler({ res, params, principal }) {
        const [key] = await db
          .select({ id: apiKeys.id })
          .from(apiKeys)
          .innerJoin(users, eq(users.id, apiKeys.userId))
          .innerJoin(regions, eq(regions.id, users.regionId))
          .where(and(eq(apiKeys.id, params.id), like(regions.path, prefixPattern(principal.regionPath))));
        if (!key) throw problems.notFound('API key');
        const revoked = await revokeApiKey(db, principal.username, params.id);
        res.json({ id: revoked.id, revokedAt: revoked.revokedAt.toISOString() });
      },
    }),
    route({
      method: 'post',
      path: '/api/api-keys',
      operationId: 'createApiKey',
      summary: 'Issue an API key that acts as the caller (shown once; only its hash is kept). For another system: a service account and its key',
      tag: 'directory',
      access: ['admin'],
      body: createApiKeyBody,
      responses: { 201: { description: 'the key, once' }, 422: { description: 'a userId was named: a key never acts as another person' } },
      secretAnswer: true,
      async handler({ res, body, principal }) {
        if (body.userId !== undefined) {
          const message = 'a key acts as whoever makes it: for another system, create a service account and a key for it (POST /api/service-accounts)';
          throw problems.unprocessable(message, [{ field: 'userId', message }]);
        }
        res.status(201).json(await createOwnApiKey(db, principal, body.name));
      },
    }),
    route({
      method: 'post',
      path: '/api/service-accounts',
      operationId: 'createServiceAccount',
      summary: 'Create a service account for another system: a role and jurisdiction, no password (it never signs in), named system:<name> in every record it makes',
      tag: 'directory',
      access: ['admin'],
      body: createServiceAccountBody,
      responses: { 201: { description: 'created' }, 422: { description: 'invalid role/enterprise/region combination, outside jurisdiction, or taken name' } },
      async handler({ res, body, principal }) {
        await regionWithinReach(principal, body.regionId, 'regionId');
        const row = await createServiceAccount(db, principal.username, body).catch(refused);
        res.status(201).location(`/api/users/${row.id}`).json(userJson(row));
      },
    }),
    route({
      method: 'post',
      path: '/api/service-accounts/:id/api-keys',
      operationId: 'createServiceApiKey',
      summary: 'Issue an API key for a service account within jurisdiction (shown once; only its hash is kept)',
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      body: createServiceApiKeyBody,
      responses: { 201: { description: 'the key, once' }, 404: { description: 'no such service account within jurisdiction (a person is none)' } },
      secretAnswer: true,
      async handler({ res, params, body, principal }) {
        if (!(await userWithinReach(principal, params.id))) throw problems.notFound('service account');
        const created = await createServiceApiKey(db, principal.username, params.id, body.name).catch((error: unknown) => {
          if (error instanceof DirectoryError) throw problems.notFound('service account');
          throw error;
        });
        res.status(201).json(created);
      },
    }),
  ];
}
