/** Policies as data: every version listed; an admin saves a new version (never edits one). */
import { and, asc, desc, eq, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { displayNames } from '../../db/directory-changes';
import { findPolicy, savePolicy } from '../../db/policies';
import { policies } from '../../db/schema';
import { ACCEPTANCE_PARTIES, DECISION_KINDS, INSTRUMENT_KINDS } from '../../domain/instruments';
import { DAY_UNITS, HAZARD_GRADES, MAX_OFFSET_DAYS, MAX_REPEAT_WINDOW_MONTHS, RECIPIENT_ROLES, hazardPolicySchema } from '../../domain/policy';
import { policyChanges } from '../../domain/policy-diff';
import { problems } from '../problem';
import { CITY_ADMINS, route, type RouteSpec } from '../route-spec';
import { HAZARD_SOURCES } from '../schemas/hazard';
import type { AppDeps } from '../app';
import { urlNumber } from '../schemas/url-number';

export const savePolicyBody = z.strictObject({
  grade: z.enum(HAZARD_GRADES),
  source: z.enum(HAZARD_SOURCES).nullable().default(null),
  industry: z.string().trim().min(1).max(100).nullable().default(null),
  policy: hazardPolicySchema,
  note: z.string().trim().max(500).default(''),
});

/** A version as answered: who saved it also by display name (the name people know them by). */
export const policyJson = (p: typeof policies.$inferSelect, names?: Map<string, string>) => ({
  ...p,
  createdAt: p.createdAt.toISOString(),
  ...(names ? { createdByName: names.get(p.createdBy) ?? p.createdBy } : {}),
});

/** The values each field of a policy may take, so a form offers exactly what a save accepts. */
const VOCABULARY = {
  grades: HAZARD_GRADES,
  sources: HAZARD_SOURCES,
  recipientRoles: RECIPIENT_ROLES,
  dayUnits: DAY_UNITS,
  instruments: INSTRUMENT_KINDS,
  decisionKinds: DECISION_KINDS,
  acceptanceParties: ACCEPTANCE_PARTIES,
  maxOffsetDays: MAX_OFFSET_DAYS,
  maxRepeatWindowMonths: MAX_REPEAT_WINDOW_MONTHS,
};

/** Every version (GET /api/policies), with the values each field may take. */
export const policyListJson = (rows: Array<typeof policies.$inferSelect>, names: Map<string, string>) => ({ items: rows.map((r) => policyJson(r, names)), vocabulary: VOCABULARY });

/** One version (GET /api/policies/:id), the version before it in its scope, and what changed between them. */
export const policyVersionJson = (row: typeof policies.$inferSelect, previous: typeof policies.$inferSelect | undefined, names: Map<string, string>) => ({
  ...policyJson(row, names),
  previous: previous ? policyJson(previous, names) : null,
  changes: previous ? policyChanges(previous.policy, row.policy) : [],
});

const policyParams = z.strictObject({ id: urlNumber(z.number().int().min(1).max(2 ** 31 - 1)) });

export function policyRoutes({ db }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/policies',
      operationId: 'listPolicies',
      summary: 'Every policy version, by scope and version; with the values each policy field may take (vocabulary)',
      tag: 'policies',
      access: ['admin', 'supervisor', 'leader'],
      responses: { 200: { description: 'policy versions' } },
      async handler({ res }) {
        const rows = await db.select().from(policies).orderBy(asc(policies.grade), asc(policies.source), asc(policies.industry), asc(policies.version));
        const names = await displayNames(db, rows.map((r) => r.createdBy));
        res.json(policyListJson(rows, names));
      },
    }),
    route({
      method: 'get',
      path: '/api/policies/:id',
      operationId: 'getPolicy',
      summary: 'One policy version, the version before it in the same scope, and what changed between them, field by field',
      tag: 'policies',
      access: ['admin', 'supervisor', 'leader'],
      params: policyParams,
      responses: { 200: { description: 'the version, `previous` (null for the first) and `changes` ({path, before, after})' }, 404: { description: 'no such version' } },
      async handler({ res, params }) {
        const row = await findPolicy(db, params.id);
        if (!row) throw problems.notFound('policy version');
        const sameScope = (column: typeof policies.source | typeof policies.industry, value: string | null) => (value === null ? isNull(column) : eq(column, value));
        const [previous] = await db
          .select()
          .from(policies)
          .where(and(eq(policies.grade, row.grade), sameScope(policies.source, row.source), sameScope(policies.industry, row.industry), lt(policies.version, row.version)))
          .orderBy(desc(policies.version))
          .limit(1);
        const names = await displayNames(db, [row.createdBy, ...(previous ? [previous.createdBy] : [])]);
        res.json(policyVersionJson(row, previous, names));
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
