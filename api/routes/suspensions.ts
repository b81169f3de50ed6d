/** Suspensions for rectification (停产整顿): order (starts the workflow), read, list, and the commands on its clock. */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal';
import { decodeCursor, enterpriseScope, findEnterprise, findHazard } from '../../db/hazard-queries';
import { currentPolicy } from '../../db/policies';
import { findNotice } from '../../db/notice-queries';
import { noticeDecisions, noticeHazards, hazards as hazardRows } from '../../db/schema';
import { claimDecision, openableOrigins, releaseDecisionUnlessRecorded, unrecordedHolder } from '../../db/suspension-origins';
import { startHoldingClaim, takeClaim, type ClaimBook } from '../claimed-start';
import { and, eq } from 'drizzle-orm';
import { listSuspensions, suspensionScope, type SuspensionRow } from '../../db/suspension-queries';
import type { Refusal } from '../../domain/hazard-lifecycle';
import { DEFAULT_MAJOR_POLICY, type HazardPolicy } from '../../domain/policy';
import { checkOrder, isOpen } from '../../domain/suspension';
import { suspensionJson, suspensionPageSchema, suspensionSchema } from '../suspension-json';
import { suspensionReader } from '../suspension-reader';
import { queryCursorOf } from '../key-cursor';
import { totalAnswer, totalCarrier, totalContext } from '../list-total';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import {
  createSuspensionBody,
  extendSuspensionBody,
  liftSuspensionBody,
  listSuspensionsQuery,
  resumptionRequestBody,
  resumptionReviewBody,
  suspensionIdParams,
} from '../schemas/suspension';
import type { AppDeps } from '../app';

/** A refusal of the domain rules as the API answers it (422 naming the field and the limit). */
function refused(r: Refusal): never {
  if (r.kind === 'not_allowed') throw problems.conflict(r.message, [], r.code);
  throw problems.unprocessable(r.message, [{ field: r.field ?? 'body', message: r.message, code: r.code ?? 'invalid', ...(r.limit ? { limit: r.limit } : {}) }], r.code);
}

export function suspensionRoutes({ db, suspensions: gateway, clock, tokens }: AppDeps): RouteSpec[] {
  const { load, detail } = suspensionReader(db, clock);
  const totals = totalCarrier(() => tokens.secret);

  function refuseIfEnded(row: SuspensionRow) {
    if (!isOpen(row)) throw problems.conflict(`the suspension has ended (${row.status})`, [], 'suspension-ended');
  }

  /**
   * The longest a suspension may last: the linked hazard's own policy when it has a major
   * section, else the newest stored major policy for the enterprise's industry, else the default.
   */
  async function maxDaysFor(industry: string | null, hazardPolicy: HazardPolicy | null): Promise<number> {
    if (hazardPolicy?.major) return hazardPolicy.major.suspensionMaxDays;
    const stored = await currentPolicy(db, { grade: 'major', industry });
    return (stored?.policy as HazardPolicy | undefined)?.major?.suspensionMaxDays ?? DEFAULT_MAJOR_POLICY.suspensionMaxDays;
  }

  /**
   * A notice's decision an order says it carries out: a 停产整顿 decision taken on a notice within
   * the caller's reach that concerns the enterprise ordered to suspend (422 naming `origin.id` otherwise).
   */
  async function refuseUnlessCarriesOut(principal: Principal, decisionId: string, enterpriseId: string): Promise<void> {
    const [decision] = await db.select().from(noticeDecisions).where(eq(noticeDecisions.id, decisionId));
    const notice = decision ? await findNotice(db, principal, decision.noticeId) : null;
    if (!decision || !notice) {
      throw problems.unprocessable('unknown decision', [{ field: 'origin.id', message: 'no such decision of a notice within your jurisdiction' }], 'unknown-decision');
    }
    const wrong = (message: string) => problems.unprocessable('the decision cannot be carried out by this order', [{ field: 'origin.id', message }], 'decision-not-carried-out');
    if (decision.kind !== 'suspension') throw wrong(`the decision is a ${decision.kind}, not a suspension (停产整顿)`);
    if (decision.status !== 'taken') throw wrong(`the decision is ${decision.status}, not taken`);
    const concerns =
      notice.enterpriseId === enterpriseId ||
      (await db
        .select({ id: noticeHazards.hazardId })
        .from(noticeHazards)
        .innerJoin(hazardRows, eq(hazardRows.id, noticeHazards.hazardId))
        .where(and(eq(noticeHazards.noticeId, notice.id), eq(hazardRows.enterpriseId, enterpriseId)))
        .limit(1)).length > 0;
    if (!concerns) throw wrong('the decision’s notice does not concern this enterprise');
  }

  const changed = { 200: { description: 'done; the suspension as it now stands', schema: suspensionSchema }, 404: { description: 'no such suspension within reach' } };

  return [
    route({
      method: 'post',
      path: '/api/suspensions',
      operationId: 'orderSuspension',
      summary: 'Order a suspension for rectification (停产整顿) of an enterprise (starts its clock)',
      tag: 'suspensions',
      access: ['supervisor', 'leader'],
      body: createSuspensionBody,
      responses: {
        201: { description: 'ordered; Location names the new suspension', schema: suspensionSchema },
        409: { description: 'the notice decision named as its origin is already carried out by another suspension' },
        422: {
          description:
            'no such enterprise (or hazard of it) within reach, a start before today, a planned end past the maximum (errors[].limit names it), or an origin that is not a taken 停产整顿 decision concerning the enterprise',
        },
      },
      async handler({ req, res, body, principal }) {
        const enterprise = await findEnterprise(db, enterpriseScope(principal), body.enterpriseId);
        if (!enterprise) {
          throw problems.unprocessable('unknown enterprise', [{ field: 'enterpriseId', message: 'no such enterprise within your jurisdiction' }], 'unknown-enterprise');
        }
        let hazardPolicy: HazardPolicy | null = null;
        if (body.hazardId) {
          const hazard = await findHazard(db, principal, body.hazardId);
          if (!hazard || hazard.enterpriseId !== enterprise.id) {
            throw problems.unprocessable('unknown hazard', [{ field: 'hazardId', message: 'no such hazard of that enterprise within your jurisdiction' }], 'unknown-hazard');
          }
          hazardPolicy = hazard.policy as HazardPolicy;
        }
        const maxDays = await maxDaysFor(enterprise.industry, hazardPolicy);
        const refusal = checkOrder(body, maxDays, clock());
        if (refusal) refused(refusal);
        if (body.origin) await refuseUnlessCarriesOut(principal, body.origin.id, enterprise.id);
        const suspensionId = req.idempotentId ?? randomUUID();
        const origin = body.origin;
        const claims: ClaimBook<string> | undefined = origin && {
          take: async () => {
            const holder = await claimDecision(db, origin.id, suspensionId, principal.username);
            return holder === suspensionId ? null : holder;
          },
          unrecordedHolders: (_holder, before) => unrecordedHolder(db, origin.id, before),
          release: (id) => releaseDecisionUnlessRecorded(db, id),
          running: (id) => gateway.running(id),
        };
        if (claims) {
          const holder = await takeClaim(claims, clock());
          if (holder) {
            throw problems.conflict(`the decision is already carried out by suspension ${holder}`, [{ field: 'origin.id', message: `already carried out by suspension ${holder}` }], 'decision-already-carried-out');
          }
        }
        const order = {
          suspension: {
            suspensionId,
            enterpriseId: enterprise.id,
            hazardId: body.hazardId ?? null,
            origin: body.origin ?? null,
            documentNumber: body.documentNumber,
            reason: body.reason,
            scope: body.scope,
            scopeNote: body.scopeNote,
            startsOn: body.startsOn,
            plannedEnd: body.plannedEnd,
            maxDays,
            orderedBy: principal.username,
          },
        };
        if (claims) await startHoldingClaim(claims, suspensionId, () => gateway.start(order));
        else await gateway.start(order);
        res.status(201).location(`/api/suspensions/${suspensionId}`).json(await detail(await load(principal, suspensionId), principal));
      },
    }),
    route({
      method: 'get',
      path: '/api/suspensions',
      operationId: 'listSuspensions',
      summary: 'Suspensions within reach, newest first, filtered by status or enterprise; cursor-paginated',
      tag: 'suspensions',
      access: 'authenticated',
      query: listSuspensionsQuery,
      responses: { 200: { description: 'one page', schema: suspensionPageSchema } },
      async handler({ res, query: q, principal }) {
        const context = totalContext('suspensions', principal, q);
        const { position, carried } = totals.open(q.cursor, context);
        const after = queryCursorOf(position, decodeCursor);
        const now = clock();
        const page = await listSuspensions(db, suspensionScope(principal), q, { limit: q.limit, after }, { carried, now: new Date(now) });
        const openable = await openableOrigins(db, principal, page.items);
        res.json({
          items: page.items.map((r) => suspensionJson(r, now, openable)),
          ...totalAnswer(page.total),
          nextCursor: page.nextCursor && totals.seal(page.nextCursor, page.total, context),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/suspensions/:id',
      operationId: 'getSuspension',
      summary: 'A suspension with its timeline, notifications and the days left to its planned and maximum end',
      tag: 'suspensions',
      access: 'authenticated',
      params: suspensionIdParams,
      responses: { 200: { description: 'the suspension', schema: suspensionSchema }, 404: { description: 'no such suspension within reach' } },
      async handler({ res, params, principal }) {
        res.json(await detail(await load(principal, params.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/suspensions/:id/resumption-requests',
      operationId: 'requestResumption',
      summary: 'Ask to resume production (复产申请) after a passing self-check (the enterprise)',
      tag: 'suspensions',
      access: ['enterprise'],
      params: suspensionIdParams,
      body: resumptionRequestBody,
      responses: { ...changed, 409: { description: 'a request already awaits review, or the suspension has ended' }, 422: { description: 'the self-check did not pass' } },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfEnded(row);
          await gateway.applyResumption(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/suspensions/:id/resumption-review',
      operationId: 'reviewResumption',
      summary: 'Approve the resumption (the suspension ends) or reject it with reasons, optionally with a new planned end',
      tag: 'suspensions',
      access: ['supervisor', 'leader'],
      params: suspensionIdParams,
      body: resumptionReviewBody,
      responses: { ...changed, 409: { description: 'no resumption request awaits review' }, 422: { description: 'the new planned end is past, or beyond the maximum (errors[].limit names it)' } },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfEnded(row);
          await gateway.reviewResumption(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/suspensions/:id/extend',
      operationId: 'extendSuspension',
      summary: 'Move the planned end later, within the maximum, with a reason',
      tag: 'suspensions',
      access: ['supervisor', 'leader'],
      params: suspensionIdParams,
      body: extendSuspensionBody,
      responses: { ...changed, 409: { description: 'the suspension has ended' }, 422: { description: 'not later than the planned end, past, or beyond the maximum (errors[].limit names it)' } },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfEnded(row);
          await gateway.extend(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/suspensions/:id/lift',
      operationId: 'liftSuspension',
      summary: 'End a suspension early by a decision with a document number (a leader), e.g. the order withdrawn',
      tag: 'suspensions',
      access: ['leader'],
      params: suspensionIdParams,
      body: liftSuspensionBody,
      responses: { ...changed, 409: { description: 'the suspension has ended' } },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfEnded(row);
          await gateway.lift(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
  ];
}
