/**
 * 催办: a leader urges one hazard or notice within reach (through the item's own workflow, so the
 * urge lands on its trail and tells the enterprise and the supervisor), or every overdue item of
 * an enterprise or a region (a bulk urge: 202, and it goes on in its own workflow); and looks back
 * on what was urged and whether it moved since.
 */
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { findRegion } from '../../db/directory';
import { enterpriseScope, findEnterprise, findHazard } from '../../db/hazard-queries';
import { findNotice } from '../../db/notice-queries';
import { listUrges, type UrgeListRow } from '../../db/urge-queries';
import { findBulkUrge } from '../../db/urges';
import type { BulkUrgeScope } from '../../domain/bulk-urge';
import { URGE_QUIET_HOURS } from '../../domain/urge';
import { BulkUrger } from '../../temporal/bulk-urge';
import { BULK_URGE_PREFIX } from '../../workflows/urge.messages';
import type { AppDeps } from '../app';
import { pageAnswer, queryInstantCursor } from '../key-cursor';
import { peopleIn } from '../people';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { hazardIdParams } from '../schemas/hazard';
import { noticeIdParams } from '../schemas/notice';
import { bulkUrgeBody, bulkUrgeParams, listUrgesQuery, urgeBody } from '../schemas/urge';

const urgeAnswer = z.object({
  itemKind: z.enum(['hazard', 'notice']),
  itemId: z.uuid(),
  urgedBy: z.string(),
  urgedAt: z.string(),
  message: z.string(),
});

const urgeItem = z.object({
  id: z.uuid(),
  itemKind: z.enum(['hazard', 'notice']),
  itemId: z.uuid(),
  urgedBy: z.string(),
  urgedAt: z.string(),
  message: z.string(),
  bulkUrgeId: z.string().nullable(),
  item: z.object({ title: z.string(), code: z.string().nullable(), status: z.string(), deadline: z.string(), overdue: z.boolean() }).describe('the item as it stands now'),
  movedSince: z.boolean().describe('a person changed the item after the urge (a submission, signature, review, extension asked or decided, decision, reassignment, closure); the clock’s own steps and other urges do not count'),
  firstMove: z.object({ type: z.string(), by: z.string(), at: z.string() }).nullable(),
});
const urgePage = z.object({ items: z.array(urgeItem), nextCursor: z.string().nullable() });

/** What a bulk urge answers when begun (POST /api/urges). */
export const bulkAccepted = z.object({ bulkUrgeId: z.string(), concerned: z.number().int(), asOf: z.string(), progressUrl: z.string() });
/** How far a bulk urge has got (GET /api/bulk-urges/:id). */
export const bulkProgress = z.object({
  bulkUrgeId: z.string(),
  scope: z.object({ kind: z.enum(['enterprise', 'region']), id: z.string() }),
  message: z.string(),
  urgedBy: z.string(),
  asOf: z.string().describe('overdue was judged at this instant for the whole bulk urge'),
  startedAt: z.string(),
  doneAt: z.string().nullable(),
  phase: z.enum(['hazards', 'notices', 'done']),
  concerned: z.number().int().describe('overdue hazards and notices in scope and reach when the bulk urge began'),
  told: z.number().int(),
  urged: z.number().int().describe('urges recorded under this bulk urge'),
  passedOver: z.number().int().describe('told but not urged: settled meanwhile, or urged within the quiet window'),
  alreadyEnded: z.number().int(),
  failed: z.number().int(),
  remaining: z.number().int(),
  done: z.boolean(),
});

const refusals = {
  404: { description: 'no such item within reach' },
  409: { description: `closed or void, or urged by anyone within the last ${URGE_QUIET_HOURS} hours (so an enterprise is not told twice a day)` },
};

/** One urge of the list (GET /api/urges): what was urged, its item as it stands now, and whether a person moved it since. */
export function urgeListItemJson(r: UrgeListRow, now: number) {
  return {
    id: r.id,
    itemKind: r.itemKind,
    itemId: r.itemId,
    urgedBy: r.urgedBy,
    urgedAt: r.urgedAt.toISOString(),
    message: r.message,
    bulkUrgeId: r.bulkUrgeId,
    item: { title: r.title, code: r.code, status: r.status, deadline: r.deadline, overdue: r.status !== 'closed' && r.status !== 'void' && r.status !== 'under_review' && now >= r.dueAt.getTime() },
    movedSince: r.moveAt !== null,
    firstMove: r.moveAt ? { type: r.moveType!, by: r.moveActor!, at: r.moveAt.toISOString() } : null,
  };
}

/** An urge just recorded: what was urged, by whom, when, with which words. */
export function urgeJson(itemKind: 'hazard' | 'notice', itemId: string, urgedBy: string, urgedAt: number, message: string) {
  return { itemKind, itemId, urgedBy, urgedAt: new Date(urgedAt).toISOString(), message };
}

export function urgeRoutes({ db, temporal, hazards, notices, clock, bulkUrger }: AppDeps): RouteSpec[] {
  // Built on first use: the route table is also read without servers (OpenAPI, policy checks).
  let urger = bulkUrger;

  async function bulkScope(principal: Principal, body: z.infer<typeof bulkUrgeBody>): Promise<BulkUrgeScope> {
    if (body.enterpriseId) {
      const enterprise = await findEnterprise(db, enterpriseScope(principal), body.enterpriseId);
      if (!enterprise) throw problems.unprocessable('unknown enterprise', [{ field: 'enterpriseId', message: 'no such enterprise within your jurisdiction' }], 'unknown-enterprise');
      return { kind: 'enterprise', enterpriseId: enterprise.id, reachPath: principal.regionPath };
    }
    const region = await findRegion(db, body.regionId!);
    if (!region || !region.path.startsWith(principal.regionPath)) {
      throw problems.unprocessable('unknown region', [{ field: 'regionId', message: 'no such region within your jurisdiction' }], 'unknown-region');
    }
    return { kind: 'region', regionId: region.id, regionPath: region.path, reachPath: principal.regionPath };
  }

  return [
    route({
      method: 'post',
      path: '/api/hazards/:id/urge',
      operationId: 'urgeHazard',
      summary: 'Urge (催办) an open hazard: recorded on its trail and timeline, told to the enterprise and the supervisor in charge',
      tag: 'urges',
      access: ['leader'],
      params: hazardIdParams,
      body: urgeBody,
      responses: { 200: { description: 'urged', schema: urgeAnswer }, ...refusals },
      async handler({ req, res, params, body, principal }) {
        const row = await findHazard(db, principal, params.id);
        if (!row) throw problems.notFound('hazard');
        if (!(await hazards.sentBefore(row.id, req.command)) && (row.status === 'closed' || row.status === 'void')) {
          throw problems.conflict(`the hazard is ${row.status}: there is nothing left to urge`, [], 'hazard-settled');
        }
        const message = body.message ?? '';
        const { urgedAt } = await hazards.urge(row.id, { by: principal.username, message }, req.command);
        res.json(urgeJson('hazard', row.id, principal.username, urgedAt, message));
      },
    }),
    route({
      method: 'post',
      path: '/api/notices/:id/urge',
      operationId: 'urgeNotice',
      summary: 'Urge (催办) an open supervision notice: recorded on its trail and timeline, told to the enterprise and the supervisor',
      tag: 'urges',
      access: ['leader'],
      params: noticeIdParams,
      body: urgeBody,
      responses: { 200: { description: 'urged', schema: urgeAnswer }, ...refusals },
      async handler({ req, res, params, body, principal }) {
        const row = await findNotice(db, principal, params.id);
        if (!row) throw problems.notFound('notice');
        if (!(await notices.sentBefore(row.id, req.command)) && row.status === 'closed') {
          throw problems.conflict('the notice is closed: there is nothing left to urge', [], 'notice-closed');
        }
        const message = body.message ?? '';
        const { urgedAt } = await notices.urge(row.id, { by: principal.username, message }, req.command);
        res.json(urgeJson('notice', row.id, principal.username, urgedAt, message));
      },
    }),
    route({
      method: 'post',
      path: '/api/urges',
      operationId: 'bulkUrge',
      summary: 'Urge every overdue hazard and notice of an enterprise or a region (county, township, grid) within reach; goes on in its own workflow',
      tag: 'urges',
      access: ['leader'],
      body: bulkUrgeBody,
      responses: {
        202: { description: 'begun: each overdue item is urged in its own workflow (items urged lately are passed over). Location (and progressUrl) is where its progress reads', schema: bulkAccepted },
        422: { description: 'no such enterprise or region within reach' },
      },
      async handler({ req, res, body, principal }) {
        const scope = await bulkScope(principal, body);
        urger ??= new BulkUrger(temporal, hazards.taskQueue);
        const id = req.idempotentId;
        // A retry under the same key after its bulk urge finished: the one begun then is the answer.
        const started = (await urger.start({ by: principal.username, message: body.message ?? '', scope, id })) ?? (id ? await findBulkUrge(db, `${BULK_URGE_PREFIX}${id}`, principal.regionPath) : null);
        if (!started) throw problems.conflict('this bulk urge has already run');
        const concerned = started.concerned;
        const asOf = typeof started.asOf === 'number' ? new Date(started.asOf).toISOString() : started.asOf;
        const progressUrl = `/api/bulk-urges/${started.bulkUrgeId}`;
        res.status(202).location(progressUrl).json({ bulkUrgeId: started.bulkUrgeId, concerned, asOf, progressUrl });
      },
    }),
    route({
      method: 'get',
      path: '/api/bulk-urges/:id',
      operationId: 'getBulkUrge',
      summary: 'How far a bulk urge has got: items told, urged, passed over, already ended, failed, remaining, done',
      tag: 'urges',
      access: ['leader'],
      params: bulkUrgeParams,
      responses: { 200: { description: 'the bulk urge', schema: bulkProgress }, 404: { description: 'no such bulk urge within reach' } },
      async handler({ res, params, principal }) {
        const found = await findBulkUrge(db, params.id, principal.regionPath);
        if (!found) throw problems.notFound('bulk urge');
        res.json(found);
      },
    }),
    route({
      method: 'get',
      path: '/api/urges',
      operationId: 'listUrges',
      summary: 'What was urged, newest first: the caller’s own (by=me, the default) or everyone’s within reach (by=all), each with its item now and whether it moved since',
      tag: 'urges',
      access: ['leader'],
      query: listUrgesQuery,
      responses: { 200: { description: 'one page', schema: urgePage } },
      async handler({ res, query: q, principal }) {
        const c = queryInstantCursor(q.cursor, 'uuid');
        const after = c && { urgedAt: c.at, id: c.id };
        const rows = await listUrges(db, {
          reachPath: principal.regionPath,
          urgedBy: q.by === 'me' ? principal.username : null,
          itemKind: q.kind,
          moved: q.moved,
          after,
          limit: q.limit,
        });
        const now = clock();
        const page = pageAnswer(rows, q.limit, (r) => ({ key: r.urgedAt.toISOString(), id: r.id }), (r) => urgeListItemJson(r, now));
        res.json({ ...page, people: await peopleIn(db, page.items) });
      },
    }),
  ];
}
