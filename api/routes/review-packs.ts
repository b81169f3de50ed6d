/**
 * Review packs (双月督办会): the packs of regions within reach, newest first; one pack with its
 * tables; a pack assembled now for the period so far (ahead of a meeting); and each
 * jurisdiction's meeting rhythm, set by the city's administrators, which moves its Schedule.
 */
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../app';
import { listReviewPacks, reviewPackId, reviewPackWithin, reviewPolicies, reviewPolicyOf, saveReviewPolicy, type ReviewPolicy } from '../../db/review-packs';
import { displayNames } from '../../db/directory-changes';
import { displayNamesOf } from '../../db/people';
import { regions } from '../../db/schema';
import { periodSoFar, REVIEW_INTERVALS, type PackPeriod } from '../../domain/figures/review-pack';
import { reviewPackContentSchema } from '../../domain/figures/review-pack-content';
import { shanghaiDate } from '../../domain/shanghai-time';
import { applyReviewPolicy, startReviewPack } from '../../temporal/review-pack-schedules';
import { nodeOf } from '../figure-region';
import { regionPathWithinReach } from '../hazard-list-filter';
import { pageAnswer, queryInstantCursor } from '../key-cursor';
import { Problem, problems } from '../problem';
import { CITY_ADMINS, route, type RouteSpec } from '../route-spec';
import { assemblePackBody, listReviewPacksQuery, packIdParams, packPageSchema, packSchema, policyParams, savePolicyBody } from '../schemas/review-pack';

const READERS = ['leader', 'supervisor', 'admin'] as const;

/** A pack whose assembly has begun: where it will be read, for which region and period, and the workflow assembling it. */
export function assemblyJson(node: { id: string; name: string; level: string }, period: PackPeriod, workflowId: string) {
  const id = reviewPackId(node.id, period.from, period.to);
  return { id, location: `/api/review-packs/${id}`, region: { id: node.id, name: node.name, level: node.level }, period, workflowId };
}

/** Every jurisdiction's meeting rhythm (GET /api/review-packs/policies), who set it by display name, and the rhythms a save accepts. */
export function reviewPoliciesJson(items: ReviewPolicy[], names: Map<string, string>) {
  return { items: items.map((p) => ({ ...p, updatedByName: p.updatedBy ? (names.get(p.updatedBy) ?? p.updatedBy) : null })), intervals: [...REVIEW_INTERVALS] };
}

export function reviewPackRoutes({ db, temporal, hazards, clock, log }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/review-packs',
      operationId: 'listReviewPacks',
      summary: 'Review packs of regions within reach (or within a given region), newest first; cursor-paginated',
      tag: 'review-packs',
      access: READERS,
      query: listReviewPacksQuery,
      responses: { 200: { description: 'one page', schema: packPageSchema } },
      async handler({ res, query: q, principal }) {
        const c = queryInstantCursor(q.cursor, 'uuid');
        const after = c && { assembledAt: c.at, id: c.id };
        const path = q.region ? await regionPathWithinReach(db, principal, q.region) : principal.regionPath;
        const rows = await listReviewPacks(db, path, q.limit, after);
        const page = pageAnswer(rows, q.limit, (r) => ({ key: r.assembledAt.toISOString(), id: r.id }), (r) => ({
          id: r.id,
          region: { id: r.regionId, name: r.regionName, level: r.regionLevel },
          period: { from: r.periodFrom, to: r.periodTo },
          assembledAt: r.assembledAt.toISOString(),
          assembledBy: r.assembledBy,
        }));
        res.json({ ...page, people: await displayNamesOf(db, page.items.map((p) => p.assembledBy)) });
      },
    }),
    // Before /api/review-packs/:id, which would take "policies" for a pack id.
    route({
      method: 'get',
      path: '/api/review-packs/policies',
      operationId: 'listReviewPackPolicies',
      summary: 'The review-meeting rhythm of every jurisdiction within reach (the default where none was set); the city’s administrators set them',
      tag: 'review-packs',
      access: ['admin'],
      responses: { 200: { description: '`items` by region path (configured false: the default applies) and `intervals`, the rhythms a save accepts' } },
      async handler({ res, principal }) {
        const items = await reviewPolicies(db, principal.regionPath);
        res.json(reviewPoliciesJson(items, await displayNames(db, items.flatMap((p) => (p.updatedBy ? [p.updatedBy] : [])))));
      },
    }),
    route({
      method: 'get',
      path: '/api/review-packs/:id',
      operationId: 'getReviewPack',
      summary: 'One review pack of a region within reach, with its tables; every count carries the hazard-list query behind it',
      tag: 'review-packs',
      access: READERS,
      params: packIdParams,
      responses: { 200: { description: 'the pack', schema: packSchema }, 404: { description: 'no such pack within reach (or not assembled yet)' } },
      async handler({ res, params, principal }) {
        const row = await reviewPackWithin(db, params.id, principal.regionPath);
        if (!row) throw problems.notFound('review pack');
        const content = reviewPackContentSchema.parse(row.content);
        res.json({
          id: row.id,
          region: { id: content.region.id, name: content.region.name, level: content.region.level },
          period: { from: row.periodFrom, to: row.periodTo },
          assembledAt: row.assembledAt.toISOString(),
          assembledBy: row.assembledBy,
          people: await displayNamesOf(db, [row.assembledBy]),
          content,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/review-packs',
      operationId: 'assembleReviewPack',
      summary: 'Assemble a pack now for a region within reach, for its meeting window so far (ahead of a meeting); poll the location given',
      tag: 'review-packs',
      access: ['leader', 'admin'],
      body: assemblePackBody,
      responses: { 202: { description: 'assembling: the pack id and where it will be' }, 422: { description: 'no such region within reach' } },
      async handler({ res, body, principal }) {
        const node = await nodeOf(db, principal, body.regionId).catch((err: unknown) => {
          if (err instanceof Problem && err.status === 404) throw problems.unprocessable('no such region within reach', [{ field: 'regionId', message: 'no such region within reach' }], 'unknown-region');
          throw err;
        });
        const policy = await reviewPolicyOf(db, node.id);
        const everyMonths = policy?.everyMonths ?? 2;
        const period = periodSoFar(shanghaiDate(clock()), everyMonths);
        const workflowId = await startReviewPack(temporal, hazards.taskQueue, node.id, everyMonths, period, principal.username);
        const started = assemblyJson(node, period, workflowId);
        res.status(202).location(started.location).json(started);
      },
    }),
    route({
      method: 'put',
      path: '/api/review-packs/policies/:regionId',
      operationId: 'saveReviewPackPolicy',
      summary: "Set whether and how often a jurisdiction holds its review meeting; its Schedule follows",
      tag: 'review-packs',
      access: CITY_ADMINS,
      params: policyParams,
      body: savePolicyBody,
      responses: { 200: { description: 'the policy as saved, and what became of the schedule' }, 404: { description: 'no such region' } },
      async handler({ res, params, body, principal }) {
        const [region] = await db.select({ id: regions.id }).from(regions).where(eq(regions.id, params.regionId));
        if (!region) throw problems.notFound('region');
        const row = await saveReviewPolicy(db, principal.username, region.id, body.everyMonths, body.active);
        let schedule: string;
        try {
          schedule = await applyReviewPolicy(temporal, hazards.taskQueue, row);
        } catch (err) {
          // The policy stands; the next worker start brings the schedule to it.
          log.warn({ err, regionId: region.id }, 'review pack schedule not updated');
          schedule = 'deferred';
        }
        res.json({ regionId: row.regionId, everyMonths: row.everyMonths, active: row.active, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString(), schedule });
      },
    }),
  ];
}
