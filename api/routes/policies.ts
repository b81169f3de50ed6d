/** Policies as data: every version listed; an admin saves a new version (never edits one). */
import { asc } from 'drizzle-orm';
import { z } from 'zod';
import { savePolicy } from '../../db/policies';
import { policies } from '../../db/schema';
import { HAZARD_GRADES, hazardPolicySchema } from '../../domain/policy';
import { CITY_ADMINS, route, type RouteSpec } from '../route-spec';
import { HAZARD_SOURCES } from '../schemas/hazard';
import type { AppDeps } from '../app';

const savePolicyBody = z.strictObject({
  grade: z.enum(HAZARD_GRADES),
  source: z.enum(HAZARD_SOURCES).nullable().default(null),
  industry: z.string().trim().min(1).max(100).nullable().default(null),
  policy: hazardPolicySchema,
  note: z.string().trim().max(500).default(''),
});

const policyJson = (p: typeof policies.$inferSelect) => ({ ...p, createdAt: p.createdAt.toISOString() });

export function policyRoutes({ db }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/policies',
      operationId: 'listPolicies',
      summary: 'Every policy version, by scope and version',
      tag: 'policies',
      access: ['admin', 'supervisor', 'leader'],
      responses: { 200: { description: 'policy versions' } },
      async handler({ res }) {
        const rows = await db.select().from(policies).orderBy(asc(policies.grade), asc(policies.source), asc(policies.industry), asc(policies.version));
        res.json({ items: rows.map(policyJson) });
      },
    }),
    route({
      method: 'post',
      path: '/api/policies',
      operationId: 'savePolicy',
      summary: 'Save a new policy version for a grade (optionally narrowed to a source or industry); running hazards keep theirs',
      tag: 'policies',
      access: CITY_ADMINS,
      body: savePolicyBody,
      responses: { 201: { description: 'the new version' } },
      async handler({ res, body, principal }) {
        const { policy, note, ...scope } = body;
        const row = await savePolicy(db, principal.username, scope, policy, note);
        res.status(201).json(policyJson(row));
      },
    }),
  ];
}
