/** Supervision notices: issue (starts the workflow), read, list, sign, decide, extend, confirm completion. */
import { regionPathWithinReach } from '../hazard-list-filter';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../auth/principal';
import { decodeCursor } from '../../db/hazard-queries';
import { claimHazards, releaseClaimsUnlessOpen, unrecordedClaimants } from '../../db/notice-claims';
import { startHoldingClaim, takeClaim, type ClaimBook } from '../claimed-start';
import { agencyOf, listNotices, noticeScope, type NoticeRow } from '../../db/notice-queries';
import { noticeDecisions, enterprises } from '../../db/schema';
import { decisionRefusal, POST_NAMES } from '../../domain/posts';
import type { NoticePolicy } from '../../domain/policy-types';
import { postOfUser } from '../../db/posts';
import { MAX_OFFSET_DAYS } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { AppDeps } from '../app';
import { planNotice, refuseSettledHazards } from '../notice-plan';
import { noticeJsonFor, noticePageSchema, noticeSchema } from '../notice-json';
import { noticeReader } from '../notice-reader';
import { refuseInternalNoticeFilters } from '../notice-filters';
import { queryCursorOf } from '../key-cursor';
import { totalAnswer, totalCarrier, totalContext } from '../list-total';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { confirmCompletionBody, createNoticeBody, decisionBody, extendNoticeBody, listNoticesQuery, noticeDecisionParams, noticeIdParams } from '../schemas/notice';

export function noticeRoutes({ db, notices: gateway, clock, tokens }: AppDeps): RouteSpec[] {
  const totals = totalCarrier(() => tokens.secret);
  const { load, detail } = noticeReader(db, clock);

  /** 403 naming the post unless the caller holds what the decision's policy step names (or higher, where it says so). */
  async function refuseUnlessDecider(principal: Principal, row: NoticeRow, decision: { kind: string; deciderRole: string }) {
    const steps = (row.policy as Partial<NoticePolicy> | null)?.decisions ?? [];
    const orHigher = steps.find((d) => d.kind === decision.kind)?.orHigher === true;
    const mine = await postOfUser(db, principal.userId);
    let responsibleLeaderId: string | null = null;
    if (row.enterpriseId) {
      const [e] = await db.select({ leader: enterprises.responsibleLeaderId }).from(enterprises).where(eq(enterprises.id, row.enterpriseId));
      responsibleLeaderId = e?.leader ?? null;
    }
    const refusal = decisionRefusal(
      decision.deciderRole,
      orHigher,
      { userId: principal.userId, post: mine?.post ?? null, regionPath: mine?.regionPath ?? principal.regionPath },
      { regionPath: row.regionPath, inCharge: [], responsibleLeaderId },
    );
    if (!refusal) return;
    const named = refusal.post ? `the ${POST_NAMES[refusal.post].en.toLowerCase()} (${POST_NAMES[refusal.post].zh})` : `the ${decision.deciderRole.replaceAll('_', ' ')}`;
    const where = refusal.reason === 'outside_region' ? ' over this notice’s region' : '';
    throw new Problem(403, 'forbidden', 'Not permitted', `this decision is for ${named}${where} to take${orHigher ? ' (or a higher post)' : ''}`, [], {}, {
      deciderRole: decision.deciderRole,
      post: refusal.post,
      orHigher,
      reason: refusal.reason,
    }).coded('decision-post-required');
  }

  function refuseIfClosed(row: NoticeRow) {
    if (row.status === 'closed') throw problems.conflict('the notice is closed', [], 'notice-closed');
  }

  function checkDeadline(field: string, date: string | undefined) {
    if (date === undefined) return;
    const today = shanghaiDate(clock());
    if (date < today) throw problems.unprocessable('the deadline cannot be in the past', [{ field, message: `must be ${today} or later` }], 'deadline-in-past');
    if (date > addDays(today, MAX_OFFSET_DAYS)) throw problems.unprocessable('the deadline is too far away', [{ field, message: 'must be within a year' }], 'deadline-too-far');
  }

  return [
    route({
      method: 'post',
      path: '/api/notices',
      operationId: 'issueNotice',
      summary: 'Issue a supervision notice (督办通知) for hazards of one enterprise, or to a government body; numbered, starts its workflow',
      tag: 'notices',
      access: ['supervisor', 'leader'],
      body: createNoticeBody,
      responses: {
        201: { description: 'issued; Location names the new notice', schema: noticeSchema },
        409: { description: 'a hazard is closed or void, or already in an open notice' },
        422: { description: 'no such enterprise, region or hazard within reach; a hazard of another enterprise; a deadline in the past or too far' },
      },
      async handler({ req, res, body, principal }) {
        checkDeadline('deadline', body.deadline);
        const plan = await planNotice(db, principal, body);
        const { regionPath, addressee, addresseeRegionId, grade, noticePolicy, dayUnit, rule } = plan;
        const noticeId = req.idempotentId ?? randomUUID();
        // A retry whose first attempt issued the notice: its hazards are now in that very notice.
        if (!(await gateway.sentBefore(noticeId, req.command))) refuseSettledHazards(plan);
        const agency = await agencyOf(db, principal.regionId);
        // The hazards are this notice's before its workflow starts, in a transaction of their own.
        const claims: ClaimBook<string[]> = {
          take: async () => {
            const held = await claimHazards(db, noticeId, body.hazardIds, principal.username);
            return held.length ? held : null;
          },
          unrecordedHolders: (held, before) => unrecordedClaimants(db, held, before),
          release: (id) => releaseClaimsUnlessOpen(db, id),
          running: (id) => gateway.running(id),
        };
        const held = await takeClaim(claims, clock());
        if (held) {
          throw new Problem(
            409,
            'step-not-allowed',
            'Not allowed now',
            `already in an open notice: hazard ${held.join(', ')}`,
            [{ field: 'hazardIds', code: 'hazard-in-open-notice', message: `${held.join(', ')} ${held.length === 1 ? 'is' : 'are'} already in an open notice` }],
            {},
            { hazardIds: held },
          ).coded('hazard-in-open-notice');
        }
        await startHoldingClaim(claims, noticeId, () =>
          gateway.start({
            notice: {
              noticeId,
              enterpriseId: body.enterpriseId ?? null,
              grade,
              policy: noticePolicy,
              dayUnit,
              hazardIds: body.hazardIds,
              ...(body.deadline ? { deadline: body.deadline } : {}),
              rule,
            },
            issue: {
              agency,
              enterpriseId: body.enterpriseId ?? null,
              addressee,
              addresseeRegionId,
              regionPath,
              title: body.title,
              requirements: body.requirements,
              legalBasis: body.legalBasis?.trim() || rule.legalBasis,
              grade,
              policy: noticePolicy,
              policyId: plan.policyId,
              issuedBy: principal.username,
              hazardIds: body.hazardIds,
            },
          }, req.command),
        );
        res.status(201).location(`/api/notices/${noticeId}`).json(await detail(await load(principal, noticeId), principal));
      },
    }),
    route({
      method: 'get',
      path: '/api/notices',
      operationId: 'listNotices',
      summary: 'Notices within reach, newest first, filtered; cursor-paginated',
      tag: 'notices',
      access: 'authenticated',
      query: listNoticesQuery,
      responses: { 200: { description: 'one page', schema: noticePageSchema } },
      async handler({ res, query: q, principal }) {
        const context = totalContext('notices', principal, q);
        const { position, carried } = totals.open(q.cursor, context);
        const after = queryCursorOf(position, decodeCursor);
        const now = clock();
        const { region, limit: _limit, cursor: _cursor, ...filter } = q;
        refuseInternalNoticeFilters(principal, q);
        const regionPath = region ? await regionPathWithinReach(db, principal, region) : undefined;
        const figuresAt = principal.role === 'enterprise' ? undefined : principal.regionPath;
        const page = await listNotices(db, noticeScope(principal), { ...filter, regionPath }, { limit: q.limit, after }, new Date(now), { carried, figuresAt });
        res.json({
          items: page.items.map((r) => noticeJsonFor(principal, r, now)),
          ...totalAnswer(page.total),
          nextCursor: page.nextCursor && totals.seal(page.nextCursor, page.total, context),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/notices/:id',
      operationId: 'getNotice',
      summary: 'A notice with its hazards, the instruments issued in order, decisions and timeline',
      tag: 'notices',
      access: 'authenticated',
      params: noticeIdParams,
      responses: { 200: { description: 'the notice', schema: noticeSchema }, 404: { description: 'no such notice within reach' } },
      async handler({ res, params, principal }) {
        res.json(await detail(await load(principal, params.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/notices/:id/sign',
      operationId: 'signNotice',
      summary: 'Sign for receipt (签收), by the enterprise addressed; late signing is recorded as late',
      tag: 'notices',
      access: ['enterprise'],
      params: noticeIdParams,
      responses: {
        200: { description: 'signed', schema: noticeSchema },
        404: { description: 'no such notice addressed to your enterprise' },
        409: { description: 'already signed, or closed' },
      },
      async handler({ req, res, params, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          await gateway.sign(row.id, { by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/notices/:id/decisions/:decisionId',
      operationId: 'decideNotice',
      summary: 'Take or decline a pending decision (约谈/处罚/停产整顿/移送司法), with its document number and reason',
      tag: 'notices',
      access: ['leader', 'supervisor'],
      params: noticeDecisionParams,
      body: decisionBody,
      responses: {
        200: { description: 'decided', schema: noticeSchema },
        404: { description: 'no such notice within reach, or no such decision on it' },
        403: { description: 'the caller does not hold the post the policy names for this decision over the notice’s region (code decision-post-required, naming the post)' },
        409: { description: 'the decision is no longer pending' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        const [decision] = await db
          .select()
          .from(noticeDecisions)
          .where(and(eq(noticeDecisions.id, params.decisionId), eq(noticeDecisions.noticeId, row.id)));
        if (!decision) throw problems.notFound('decision');
        // A retry whose first attempt took the decision finds it taken: that is its own outcome.
        const resumed = await gateway.sentBefore(row.id, req.command);
        if (!resumed && decision.status !== 'pending') throw problems.conflict(`the decision is ${decision.status}, no longer pending`, [], 'decision-not-pending');
        // The policy names who decides, by post: only a holder of it over the notice's region takes it.
        await refuseUnlessDecider(principal, row, decision);
        if (!resumed) {
          const cmd = {
            decisionId: decision.id,
            outcome: body.outcome,
            ...(body.outcome === 'taken' ? { documentNumber: body.documentNumber } : {}),
            reason: body.reason,
            by: principal.username,
          };
          await gateway.decide(row.id, cmd, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/notices/:id/extend',
      operationId: 'extendNotice',
      summary: "Move the notice's deadline, with a reason; the ladder restarts against it",
      tag: 'notices',
      access: ['supervisor'],
      params: noticeIdParams,
      body: extendNoticeBody,
      responses: {
        200: { description: 'extended', schema: noticeSchema },
        404: { description: 'no such notice within reach' },
        409: { description: 'the notice is closed' },
        422: { description: 'the new deadline is not after the current one, past, or too far' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          checkDeadline('newDeadline', body.newDeadline);
          await gateway.extendDeadline(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
    route({
      method: 'post',
      path: '/api/notices/:id/confirm-completion',
      operationId: 'confirmNoticeCompletion',
      summary: 'Close a notice without hazards (to a government body) by confirming its completion, with a reason',
      tag: 'notices',
      access: ['supervisor'],
      params: noticeIdParams,
      body: confirmCompletionBody,
      responses: {
        200: { description: 'closed', schema: noticeSchema },
        404: { description: 'no such notice within reach' },
        409: { description: 'closed already, or the notice has hazards (it closes with them)' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          await gateway.confirmCompletion(row.id, { reason: body.reason, by: principal.username }, req.command);
        }
        res.json(await detail(await load(principal, row.id), principal));
      },
    }),
  ];
}

