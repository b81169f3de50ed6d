/** Hazards: register (starts the workflow), read, list, submit rectification, review, extensions. */
import { createHash, randomUUID } from 'node:crypto';
import { submissionTarget } from '../../db/evidence-submission';
import type { EvidenceFileRow } from '../../db/evidence-uploads';
import { canonicalJson } from '../../domain/audit-chain';
import { z } from 'zod';
import type { HazardRow } from '../../db/hazard-queries';
import { decodeCursor, enterpriseScope, findEnterprise, hazardScope, listHazards } from '../../db/hazard-queries';
import { findHazardRecord, type HazardRecord } from '../../db/hazard-record';
import { MAX_OFFSET_DAYS, MAX_REPEAT_WINDOW_MONTHS, repeatWindowOf, type HazardPolicy } from '../../domain/policy';
import { repeatOf, repeatWindowStart } from '../../domain/repeat-hazard';
import { latestClosedHazard } from '../../db/repeat-hazards';
import { currentPolicy } from '../../db/policies';
import { calendarYearsAmong } from '../../db/calendar';
import { orderDeadline } from '../../domain/hazard-calendar';
import { WorkCalendar, yearsFrom } from '../../domain/work-calendar';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { Principal } from '../../auth/principal';
import { queryCursorOf } from '../key-cursor';
import { totalAnswer, totalCarrier, totalContext } from '../list-total';
import { listTotalSchema } from '../schemas/list-total';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import {
  createHazardBody,
  extensionDecisionBody,
  extensionRequestBody,
  hazardIdParams,
  listHazardsQuery,
  reviewBody,
  submissionBody,
  type CreateHazardBody,
} from '../schemas/hazard';
import type { AppDeps } from '../app';
import { hazardReader } from '../hazard-reader';
import { hazardListItemSchema, hazardListJson, hazardSchema } from '../hazard-json';
import { hazardFilterOf } from '../hazard-list-filter';

/** Where a hazard came from, when not registered directly: the inspection finding it records. */
export interface HazardOrigin {
  inspectionId: string;
  inspectionFinding: number;
}

/**
 * Registers a hazard and starts its workflow: the one path for every way a hazard enters (the
 * hazard form, an inspection finding). Checks the deadline and the enterprise's reach, picks the
 * policy version the hazard will keep, flags it as a repeat of a recent closure, and answers the
 * written record with its timeline. Starting the same id again joins the first registration.
 */
export async function registerHazard(
  { db, hazards: gateway, clock }: Pick<AppDeps, 'db' | 'hazards' | 'clock'>,
  principal: Principal,
  body: CreateHazardBody,
  hazardId: string,
  origin?: HazardOrigin,
): Promise<HazardRecord> {
  const now = clock();
  const today = shanghaiDate(now);
  const { enterpriseId, grade, deadline: given, listingLevel, ...details } = body;
  // Read together: the most recent closed hazard within the longest window any policy may set is
  // the one the policy's own window decides about.
  const [enterprise, calendar, latest] = await Promise.all([
    findEnterprise(db, enterpriseScope(principal), enterpriseId),
    calendarYearsAmong(db, yearsFrom(today)),
    latestClosedHazard(db, { enterpriseId, category: body.category, from: repeatWindowStart(now, MAX_REPEAT_WINDOW_MONTHS), to: now }),
  ]);
  if (!enterprise) {
    throw problems.unprocessable('unknown enterprise', [{ field: 'enterpriseId', message: 'no such enterprise within your jurisdiction' }], 'unknown-enterprise');
  }
  // The hazard keeps this policy version for its whole life.
  const policy = await currentPolicy(db, { grade, source: body.source, industry: enterprise.industry });
  if (!policy) throw problems.unavailable(`no policy is configured for ${grade} hazards`);
  const rules = policy.policy as HazardPolicy;
  const ordered = orderDeadline(given, rules.deadline, today, new WorkCalendar(calendar));
  if (!ordered) {
    throw problems.unprocessable('a deadline is required', [{ field: 'deadline', message: 'the policy sets no deadline rule: give a date' }]);
  }
  if (ordered.deadline < today) {
    throw problems.unprocessable('the deadline cannot be in the past', [{ field: 'deadline', message: `must be ${today} or later` }], 'deadline-in-past');
  }
  if (ordered.deadline > addDays(today, MAX_OFFSET_DAYS)) {
    throw problems.unprocessable('the deadline is too far away', [{ field: 'deadline', message: 'must be within a year' }], 'deadline-too-far');
  }
  const repeated = repeatOf(latest ? [latest] : [], now, repeatWindowOf(rules));
  await gateway.start({
    hazard: {
      hazardId,
      enterpriseId,
      grade,
      deadline: ordered.deadline,
      policy: rules,
      calendar,
      ...(ordered.rule ? { deadlineRule: ordered.rule } : {}),
      ...(listingLevel ? { listingLevel } : {}),
      assignment: { supervisor: principal.username, enterpriseContact: null, delegate: null },
    },
    registration: {
      ...details,
      policyId: policy.id,
      createdBy: principal.username,
      repeatOf: repeated?.id ?? null,
      inspectionId: origin?.inspectionId ?? null,
      inspectionFinding: origin?.inspectionFinding ?? null,
    },
  });
  const record = await findHazardRecord(db, principal, hazardId);
  if (!record) throw problems.notFound('hazard');
  return record;
}

const hazardPage = z.object({
  items: z.array(hazardListItemSchema),
  ...listTotalSchema('hazards'),
  nextCursor: z.string().nullable(),
});

export function hazardRoutes({ db, hazards: gateway, clock, tokens }: AppDeps): RouteSpec[] {
  const totals = totalCarrier(() => tokens.secret);
  const { load, detail, answer } = hazardReader(db, clock);

  /**
   * The SHA-256 of the submitted set (ids, hashes, sizes, types in id order), which goes into the
   * workflow and the audit trail. Every file must belong to this hazard (`files`: those of the ids
   * found on it) and be in no earlier set.
   */
  function evidenceManifest(files: EvidenceFileRow[], ids: string[]): string {
    if (files.length !== ids.length) {
      throw problems.unprocessable('unknown evidence', [{ field: 'evidence', message: 'every id must be a file uploaded to this hazard' }], 'unknown-evidence');
    }
    if (files.some((f) => f.submittedRound !== null)) {
      throw problems.unprocessable('evidence already submitted', [{ field: 'evidence', message: 'a file of an earlier submission cannot join a new one' }], 'evidence-already-submitted');
    }
    const manifest = files.map((f) => ({ id: f.id, sha256: f.sha256, size: f.size, mediaType: f.mediaType })).sort((a, b) => (a.id < b.id ? -1 : 1));
    return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
  }

  function refuseIfClosed(row: Pick<HazardRow, 'status'>) {
    if (row.status === 'closed') throw problems.conflict('the hazard is closed', [], 'hazard-settled');
    if (row.status === 'void') throw problems.conflict('the hazard is void', [], 'hazard-settled');
  }

  return [
    route({
      method: 'post',
      path: '/api/hazards',
      operationId: 'registerHazard',
      summary: 'Register a hazard and order its rectification (starts its workflow)',
      tag: 'hazards',
      access: ['supervisor'],
      body: createHazardBody,
      responses: {
        201: { description: 'registered; Location names the new hazard', schema: hazardSchema },
        422: { description: 'deadline in the past or too far, or no such enterprise within reach' },
      },
      async handler({ req, res, body, principal }) {
        const hazardId = req.idempotentId ?? randomUUID();
        const record = await registerHazard({ db, hazards: gateway, clock }, principal, body, hazardId);
        res.status(201).location(`/api/hazards/${hazardId}`).json(await detail(record, principal));
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards',
      operationId: 'listHazards',
      summary: 'Hazards within reach, newest first, filtered; cursor-paginated',
      tag: 'hazards',
      access: 'authenticated',
      query: listHazardsQuery,
      responses: { 200: { description: 'one page', schema: hazardPage } },
      async handler({ res, query: q, principal }) {
        const context = totalContext('hazards', principal, q);
        const { position, carried } = totals.open(q.cursor, context);
        const after = queryCursorOf(position, decodeCursor);
        const now = clock();
        const filter = await hazardFilterOf(db, principal, q, now);
        const figuresAt = principal.role === 'enterprise' ? undefined : principal.regionPath;
        const page = await listHazards(db, hazardScope(principal), filter, { limit: q.limit, after }, new Date(now), { carried, figuresAt });
        res.json({
          items: page.items.map((r) => hazardListJson(r, now)),
          ...totalAnswer(page.total),
          nextCursor: page.nextCursor && totals.seal(page.nextCursor, page.total, context),
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id',
      operationId: 'getHazard',
      summary: 'A hazard with its timeline, notifications and next step',
      tag: 'hazards',
      access: 'authenticated',
      params: hazardIdParams,
      responses: { 200: { description: 'the hazard', schema: hazardSchema }, 404: { description: 'no such hazard within reach' } },
      async handler({ res, params, principal }) {
        res.json(await answer(principal, params.id));
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/submissions',
      operationId: 'submitRectification',
      summary: 'Submit rectification evidence for review (the enterprise)',
      tag: 'hazards',
      access: ['enterprise'],
      params: hazardIdParams,
      body: submissionBody,
      responses: {
        200: { description: 'submitted; the hazard is under review', schema: hazardSchema },
        409: { description: 'not awaiting rectification' },
      },
      async handler({ req, res, params, body, principal }) {
        // The hazard within reach and the files named, read together.
        const row = await submissionTarget(db, principal, params.id, body.evidence);
        if (!row) throw problems.notFound('hazard');
        // A retry whose first attempt got through answers with what it did, not with "already submitted".
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          const manifestHash = evidenceManifest(row.files, body.evidence);
          await gateway.submitRectification(row.id, { ...body, manifestHash, by: principal.username }, req.command);
        }
        res.json(await answer(principal, row.id));
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/reviews',
      operationId: 'reviewRectification',
      summary: 'Accept (close) or reject (new round, new deadline) a submitted rectification',
      tag: 'hazards',
      access: ['supervisor'],
      params: hazardIdParams,
      body: reviewBody,
      responses: {
        200: { description: 'reviewed', schema: hazardSchema },
        409: { description: 'nothing submitted to review' },
        422: { description: 'the new deadline is in the past' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          await gateway.review(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await answer(principal, row.id));
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/extensions',
      operationId: 'requestExtension',
      summary: 'Ask to move the deadline (延期), with a reason (the enterprise); a supervisor decides',
      tag: 'hazards',
      access: ['enterprise'],
      params: hazardIdParams,
      body: extensionRequestBody,
      responses: {
        200: { description: 'requested; the hazard shows the pending request', schema: hazardSchema },
        404: { description: 'no such hazard within reach' },
        409: { description: 'not rectifying, or a request is already awaiting a decision' },
        422: { description: 'the date is not later than the deadline, or a policy limit (count, total days, lead time) is reached; errors[].limit names it' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          await gateway.requestExtension(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await answer(principal, row.id));
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/extension-decisions',
      operationId: 'decideExtension',
      summary: 'Approve (the deadline and every pending reminder and escalation move) or deny the pending extension request',
      tag: 'hazards',
      access: ['supervisor'],
      params: hazardIdParams,
      body: extensionDecisionBody,
      responses: {
        200: { description: 'decided', schema: hazardSchema },
        404: { description: 'no such hazard within reach' },
        409: { description: 'no request is awaiting a decision' },
        422: { description: 'the new deadline is not after the current one, later than requested, or past' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfClosed(row);
          await gateway.decideExtension(row.id, { ...body, by: principal.username }, req.command);
        }
        res.json(await answer(principal, row.id));
      },
    }),
  ];
}
