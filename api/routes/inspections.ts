/** Inspections (执法检查/排查): record one with its checklist, read them, turn a failed finding into a hazard. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { caseTimeline } from '../../db/case-events';
import { enterpriseScope, findEnterprise, findHazard } from '../../db/hazard-queries';
import {
  createInspection,
  findFinding,
  findingsWithHazards,
  findInspection,
  inspectionScope,
  inspectorsWithin,
  coInspectorCandidates,
  inspectorsByName,
  linkFindingToHazard,
  listInspections,
  type InspectionRow,
} from '../../db/inspections';
import { inspectionBreaches } from '../../domain/inspection-checklist';
import type { Database } from '../../db/client';
import type { AppDeps } from '../app';
import { pageAnswer, queryInstantCursor } from '../key-cursor';
import { totalAnswer, totalCarrier, totalContext } from '../list-total';
import { listTotalSchema } from '../schemas/list-total';
import type { ListTotal } from '../../db/list-count';
import { idFromKey } from '../middleware/idempotency';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { createInspectionBody, findingHazardBody, findingParams, inspectionIdParams, listInspectionsQuery } from '../schemas/inspection';
import { registerHazard } from './hazards';
import { hazardJson, hazardSchema } from '../hazard-json';
import { namedTimelineEntrySchema, peopleIn, withPeople } from '../people';

export function inspectionJson(row: InspectionRow) {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    location: row.location,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt.toISOString(),
    inspectors: row.inspectors,
    findingsCount: row.findingsCount,
    failedCount: row.failedCount,
    hazardsCount: row.hazardsCount,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

const peopleSchema = z.record(z.string(), z.string()).describe('display names of the people named, by login name');
const inspectionSchema = z.object({
  id: z.uuid(),
  enterpriseId: z.uuid(),
  location: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  inspectors: z.array(z.uuid()).describe('user ids, the recording supervisor first'),
  findingsCount: z.number().int(),
  failedCount: z.number().int(),
  hazardsCount: z.number().int().describe('failed findings that have become hazards'),
  createdBy: z.string(),
  createdAt: z.string(),
});
const findingSchema = z.object({
  n: z.number().int(),
  item: z.string(),
  result: z.enum(['pass', 'fail', 'not_applicable']),
  hazard: z.object({ id: z.uuid(), status: z.string().nullable() }).nullable(),
});
const inspectionDetail = inspectionSchema.extend({
  inspectorNames: z.array(z.object({ id: z.uuid(), displayName: z.string() })).describe('the inspectors by name, in the same order'),
  findings: z.array(findingSchema),
  timeline: z.array(namedTimelineEntrySchema),
  people: peopleSchema,
});
const coInspectorsAnswer = z.object({
  items: z.array(z.object({ id: z.uuid(), displayName: z.string(), post: z.string().nullable(), regionName: z.string() })),
});
const inspectionPage = z.object({ items: z.array(inspectionSchema), ...listTotalSchema('inspections'), nextCursor: z.string().nullable(), people: peopleSchema });

/** The hazard id a finding's registration always uses: a retry, with or without its key, finds the same hazard. */
export function findingHazardId(inspectionId: string, n: number): string {
  return idFromKey(inspectionId, `inspection-finding:${n}`);
}

/** A page of inspections, newest first, with how many there are in all and `people` naming who recorded each. */
export async function inspectionPageJson(db: Database, rows: InspectionRow[], total: ListTotal, limit: number) {
  const page = pageAnswer(rows, limit, (r) => ({ key: r.createdAt.toISOString(), id: r.id }), inspectionJson);
  return { items: page.items, ...totalAnswer(total), nextCursor: page.nextCursor, people: await peopleIn(db, page.items) };
}

/** The supervisors who can be recorded as inspecting beside the caller. */
export const coInspectorsJson = (items: Awaited<ReturnType<typeof coInspectorCandidates>>) => ({ items });

/** An inspection with its inspectors by name, its findings (with the hazards they became), its trail and `people` naming its recorder and actors. */
export async function inspectionDetailJson(db: Database, row: InspectionRow) {
  const [findings, timeline, inspectors] = await Promise.all([findingsWithHazards(db, row.id), caseTimeline(db, 'inspection', row.id), inspectorsByName(db, row.inspectors)]);
  return withPeople(db, {
    ...inspectionJson(row),
    inspectorNames: inspectors,
    findings: findings.map(({ finding: f, hazardStatus, hazardTitle, hazardDeadline }) => ({
      n: f.n,
      item: f.item,
      result: f.result,
      note: f.note,
      category: f.category,
      grade: f.grade,
      legalBasis: f.legalBasis,
      requiredMeasures: f.requiredMeasures,
      hazard: f.hazardId ? { id: f.hazardId, status: hazardStatus, title: hazardTitle, deadline: hazardDeadline } : null,
    })),
    timeline: timeline.map((e) => ({ type: e.type, actor: e.actor, occurredAt: e.occurredAt.toISOString(), data: e.data, step: e.stepKey })),
  });
}

export function inspectionRoutes(deps: AppDeps): RouteSpec[] {
  const { db, clock } = deps;
  const totals = totalCarrier(() => deps.tokens.secret);

  async function load(principal: Principal, id: string): Promise<InspectionRow> {
    const row = await findInspection(db, principal, id);
    if (!row) throw problems.notFound('inspection');
    return row;
  }

  const detail = (row: InspectionRow) => inspectionDetailJson(db, row);

  return [
    route({
      method: 'post',
      path: '/api/inspections',
      operationId: 'recordInspection',
      summary: 'Record an inspection with its checklist findings (the signed-in supervisor inspected, with any co-inspectors)',
      tag: 'inspections',
      access: ['supervisor'],
      body: createInspectionBody,
      responses: {
        201: { description: 'recorded; Location names it', schema: inspectionDetail },
        422: { description: 'a time in the future or out of order, an empty checklist, a failed item without category, or an enterprise or co-inspector not within reach' },
      },
      async handler({ req, res, body, principal }) {
        const now = clock();
        const startedAt = Date.parse(body.startedAt);
        const endedAt = Date.parse(body.endedAt);
        const breaches = inspectionBreaches({ startedAt, endedAt, coInspectors: body.coInspectors, findings: body.findings }, principal.userId, now);
        if (breaches.length) throw problems.unprocessable('the inspection record breaks a rule', breaches);
        const enterprise = await findEnterprise(db, enterpriseScope(principal), body.enterpriseId);
        if (!enterprise) {
          throw problems.unprocessable('unknown enterprise', [{ field: 'enterpriseId', message: 'no such enterprise within your jurisdiction' }], 'unknown-enterprise');
        }
        const known = await inspectorsWithin(db, principal.regionPath, body.coInspectors);
        const unknown = body.coInspectors.flatMap((id, i) => (known.has(id) ? [] : [{ field: `coInspectors.${i}`, message: 'no such supervisor within your jurisdiction' }]));
        if (unknown.length) throw problems.unprocessable('unknown co-inspector', unknown);
        const id = req.idempotentId ?? randomUUID();
        await createInspection(db, {
          id,
          enterpriseId: enterprise.id,
          regionPath: enterprise.regionPath,
          location: body.location,
          startedAt,
          endedAt,
          inspectors: [principal.userId, ...body.coInspectors],
          createdBy: principal.username,
          createdAt: now,
          findings: body.findings,
        });
        res.status(201).location(`/api/inspections/${id}`).json(await detail(await load(principal, id)));
      },
    }),
    route({
      method: 'get',
      path: '/api/inspections',
      operationId: 'listInspections',
      summary: 'Inspections within reach, newest first; cursor-paginated',
      tag: 'inspections',
      access: 'authenticated',
      query: listInspectionsQuery,
      responses: { 200: { description: 'one page', schema: inspectionPage } },
      async handler({ res, query: q, principal }) {
        const context = totalContext('inspections', principal, q);
        const { position, carried } = totals.open(q.cursor, context);
        const c = queryInstantCursor(position, 'uuid');
        const after = c && { createdAt: c.at, id: c.id };
        const { rows, total } = await listInspections(db, inspectionScope(principal), q, { limit: q.limit, after }, { carried, now: new Date(clock()) });
        const page = await inspectionPageJson(db, rows, total, q.limit);
        res.json({ ...page, nextCursor: page.nextCursor && totals.seal(page.nextCursor, total, context) });
      },
    }),
    route({
      method: 'get',
      path: '/api/inspectors',
      operationId: 'listCoInspectors',
      summary: 'The supervisors who can be recorded as inspecting beside the caller (active, within the caller’s jurisdiction)',
      tag: 'inspections',
      access: ['supervisor'],
      responses: { 200: { description: 'nearest jurisdiction first', schema: coInspectorsAnswer } },
      async handler({ res, principal }) {
        res.json(coInspectorsJson(await coInspectorCandidates(db, principal.regionPath, principal.userId)));
      },
    }),
    route({
      method: 'get',
      path: '/api/inspections/:id',
      operationId: 'getInspection',
      summary: 'An inspection with its findings (and the status of the hazards they became) and its audit trail',
      tag: 'inspections',
      access: 'authenticated',
      params: inspectionIdParams,
      responses: { 200: { description: 'the inspection', schema: inspectionDetail }, 404: { description: 'no such inspection within reach' } },
      async handler({ res, params, principal }) {
        res.json(await detail(await load(principal, params.id)));
      },
    }),
    route({
      method: 'post',
      path: '/api/inspections/:id/findings/:n/hazard',
      operationId: 'registerFindingHazard',
      summary: 'Register a failed finding as a hazard in one step (starts its workflow; the hazard and the finding stay linked)',
      tag: 'inspections',
      access: ['supervisor'],
      params: findingParams,
      body: findingHazardBody,
      responses: {
        201: { description: 'registered; Location names the hazard (its `inspection` names the finding)', schema: hazardSchema },
        404: { description: 'no such inspection within reach, or no such finding' },
        409: { description: 'the finding has already become a hazard (the detail names it)' },
        422: { description: 'the finding did not fail, or the deadline is in the past or too far' },
      },
      async handler({ res, params, body, principal }) {
        const inspection = await load(principal, params.id);
        const finding = await findFinding(db, inspection.id, params.n);
        if (!finding) throw problems.notFound('finding');
        if (finding.hazardId) throw problems.conflict(`finding ${finding.n} has already become hazard ${finding.hazardId}`);
        if (finding.result !== 'fail' || !finding.category) {
          throw problems.unprocessable('only a failed finding becomes a hazard', [{ field: 'n', message: `finding ${finding.n} is ${finding.result}` }]);
        }
        const hazardId = findingHazardId(inspection.id, finding.n);
        // A hazard already registered from this finding (an earlier attempt that did not get to
        // link it) is linked now rather than started again.
        let row = await findHazard(db, principal, hazardId);
        if (!row) {
          const grade = body.grade ?? finding.grade ?? 'general';
          if (grade === 'major' && !body.listingLevel) {
            throw problems.unprocessable('a major hazard is listed for supervision', [{ field: 'listingLevel', message: 'required for a major hazard: province, city, county or township' }]);
          }
          ({ row } = await registerHazard(
            deps,
            principal,
            {
              enterpriseId: inspection.enterpriseId,
              title: body.title ?? [...finding.item].slice(0, 200).join(''),
              description: body.description ?? finding.note,
              category: finding.category,
              source: 'inspection',
              location: inspection.location,
              legalBasis: finding.legalBasis,
              requiredMeasures: finding.requiredMeasures,
              grade,
              deadline: body.deadline,
              ...(grade === 'major' ? { listingLevel: body.listingLevel } : {}),
            },
            hazardId,
            { inspectionId: inspection.id, inspectionFinding: finding.n },
          ));
        }
        const linked = await linkFindingToHazard(db, { inspectionId: inspection.id, n: finding.n, hazardId, actor: principal.username, occurredAt: clock() });
        if (linked !== hazardId) throw problems.conflict(`finding ${finding.n} has already become hazard ${linked}`);
        res.status(201).location(`/api/hazards/${hazardId}`).json(hazardJson(row, clock()));
      },
    }),
  ];
}
