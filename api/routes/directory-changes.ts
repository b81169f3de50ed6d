/**
 * What admins change in the directory after creating it: a region's name and agency short name,
 * an enterprise's particulars (region, industry, 包联 leader, responsible person), a person's
 * password; and the API keys they oversee. Everything within the admin's own jurisdiction: an
 * object outside it answers 404 as a missing one, a region or leader outside it named in a body 422.
 */
import { and, eq, like } from 'drizzle-orm';
import { hashPassword } from '../../auth/passwords';
import type { Principal } from '../../auth/principal';
import { DirectoryError, type UserRow } from '../../db/directory';
import { listApiKeys, resetPassword, updateEnterprise, updateRegion } from '../../db/directory-changes';
import { enterpriseScope, findEnterprise, prefixPattern } from '../../db/hazard-queries';
import { regions, users } from '../../db/schema';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { uuidParams } from '../schemas/directory';
import { apiKeyListQuery, regionParams, resetPasswordBody, updateEnterpriseBody, updateRegionBody } from '../schemas/directory-changes';
import type { AppDeps } from '../app';
import { forgetPrincipals } from '../middleware/authenticate';
import { regionJson, userJson } from './directory';

function refused(error: unknown): never {
  if (error instanceof DirectoryError) throw problems.unprocessable(error.message, [{ field: error.field, message: error.message }]);
  throw error;
}

/** An enterprise as changed (its record as stored, not the list's joined names). */
export const changedEnterpriseJson = (row: Awaited<ReturnType<typeof updateEnterprise>>) => ({ ...row, createdAt: row.createdAt.toISOString() });

export function directoryChangeRoutes({ db }: AppDeps): RouteSpec[] {
  const regionInReach = async (p: Principal, id: string) => {
    const [row] = await db.select({ id: regions.id }).from(regions).where(and(eq(regions.id, id), like(regions.path, prefixPattern(p.regionPath))));
    return Boolean(row);
  };
  const userInReach = async (p: Principal, id: string, role?: UserRow['role']) => {
    const [row] = await db
      .select({ id: users.id })
      .from(users)
      .innerJoin(regions, eq(regions.id, users.regionId))
      .where(and(eq(users.id, id), role ? eq(users.role, role) : undefined, like(regions.path, prefixPattern(p.regionPath))));
    return Boolean(row);
  };

  return [
    route({
      method: 'patch',
      path: '/api/regions/:id',
      operationId: 'updateRegion',
      summary: 'Rename a region within jurisdiction, or set the short name its agency signs instruments with (机构简称; null: none)',
      tag: 'directory',
      access: ['admin'],
      params: regionParams,
      body: updateRegionBody,
      responses: { 200: { description: 'the region' }, 404: { description: 'no such region within jurisdiction' } },
      async handler({ res, params, body, principal }) {
        if (!(await regionInReach(principal, params.id))) throw problems.notFound('region');
        const row = await updateRegion(db, principal.username, params.id, body).catch(refused);
        res.json(regionJson(row));
      },
    }),
    route({
      method: 'patch',
      path: '/api/enterprises/:id',
      operationId: 'updateEnterprise',
      summary: "Change an enterprise's name, credit code, region (only while nothing is on record for it), industry, responsible leader (包联) or responsible person",
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      body: updateEnterpriseBody,
      responses: {
        200: { description: 'the enterprise' },
        404: { description: 'no such enterprise within jurisdiction' },
        422: { description: 'region or leader outside jurisdiction, credit code taken, or a region change for an enterprise with records' },
      },
      async handler({ res, params, body, principal }) {
        if (!(await findEnterprise(db, enterpriseScope(principal), params.id))) throw problems.notFound('enterprise');
        if (body.regionId !== undefined && !(await regionInReach(principal, body.regionId))) {
          throw problems.unprocessable('no such region within your jurisdiction', [{ field: 'regionId', message: 'no such region within your jurisdiction' }]);
        }
        if (body.responsibleLeaderId && !(await userInReach(principal, body.responsibleLeaderId, 'leader'))) {
          throw problems.unprocessable('must be a leader within your jurisdiction', [{ field: 'responsibleLeaderId', message: 'must be a leader within your jurisdiction' }]);
        }
        const row = await updateEnterprise(db, principal.username, params.id, body).catch(refused);
        // Its people may have moved region with it (which ends their sign-ins): read them again.
        forgetPrincipals(db);
        res.json(changedEnterpriseJson(row));
      },
    }),
    route({
      method: 'post',
      path: '/api/users/:id/password',
      operationId: 'resetPassword',
      summary: "Set a new password for a person within jurisdiction (the admin tells them; it is never returned or recorded); the person's sign-ins end, their API keys stay",
      tag: 'directory',
      access: ['admin'],
      params: uuidParams,
      body: resetPasswordBody,
      responses: { 200: { description: 'the user (without the password)' }, 404: { description: 'no such user within jurisdiction' }, 422: { description: 'a service account has no password' } },
      async handler({ res, params, body, principal }) {
        if (!(await userInReach(principal, params.id))) throw problems.notFound('user');
        const row = await resetPassword(db, principal.username, params.id, await hashPassword(body.password)).catch(refused);
        // The new password ends the person's sign-ins (an admin's own, if they reset their own):
        // through this process from the next request on, not after the memo's bound.
        forgetPrincipals(db);
        res.json(userJson(row));
      },
    }),
    route({
      method: 'get',
      path: '/api/api-keys',
      operationId: 'listApiKeys',
      summary: 'API keys of the people and service accounts within jurisdiction, newest first (names and dates only: a key is shown once, when made)',
      tag: 'directory',
      access: ['admin'],
      query: apiKeyListQuery,
      responses: { 200: { description: 'keys' } },
      async handler({ res, query, principal }) {
        res.json({ items: await listApiKeys(db, principal.regionPath, query) });
      },
    }),
  ];
}
