/**
 * Hazard commands beyond the rectification loop: void (误报/豁免), reopen a closed hazard,
 * reassign or delegate, and for major hazards the five-point plan and acceptance by several
 * parties. Who may do each is declared on the route; the workflow decides whether it is allowed now.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { calendarYearsAmong } from '../../db/calendar';
import type { HazardRow } from '../../db/hazard-queries';
import { assigneesFor, canTakePlace, type Assignee, type AssigneePlace } from '../../db/assignees';
import { MAX_OFFSET_DAYS, type HazardPolicy } from '../../domain/policy';
import type { PlanRecord } from '../../domain/major-hazard';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { yearsFrom } from '../../domain/work-calendar';
import type { AppDeps } from '../app';
import { hazardReader } from '../hazard-reader';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { hazardIdParams } from '../schemas/hazard';
import { acceptanceBody, assigneesAnswer, assigneesQuery, assignmentBody, planBody, policyChangeBody, reopenBody, voidBody } from '../schemas/hazard-actions';
import { findPolicy } from '../../db/policies';
import { displayNames } from '../../db/directory-changes';
import { policies } from '../../db/schema';
import { policyChanges } from '../../domain/policy-diff';
import { openNoticesOf } from '../../db/notice-queries';
import type { CommandId } from '../../temporal/command-id';

type ReopenBody = z.infer<typeof reopenBody>;

/** More than a jurisdiction's supervisors or an enterprise's people ever number. */
const ASSIGNEES_LIMIT = 500;

/** Who can take a place on a hazard (the supervisor’s, the enterprise contact’s), nearest jurisdiction first. */
export const assigneesJson = (place: AssigneePlace, items: Assignee[]) => ({ place, items });

/** The versions a hazard could move to (its grade's, but the one it runs on), each with what would change from the policy it runs on. */
export function policyChoicesJson(policyId: number | null, running: unknown, rows: Array<typeof policies.$inferSelect>, names: Map<string, string>) {
  const current = rows.find((p) => p.id === policyId);
  return {
    current: { policyId, version: current?.version ?? null, source: current?.source ?? null, industry: current?.industry ?? null },
    items: rows
      .filter((p) => p.id !== policyId)
      .map((p) => ({
        id: p.id,
        grade: p.grade,
        source: p.source,
        industry: p.industry,
        version: p.version,
        note: p.note,
        createdAt: p.createdAt.toISOString(),
        createdByName: names.get(p.createdBy) ?? p.createdBy,
        changes: policyChanges(running, p.policy),
      })),
  };
}

export function hazardActionRoutes({ db, hazards: gateway, clock }: AppDeps): RouteSpec[] {
  const { load, answer: answerOf } = hazardReader(db, clock);

  function refuseIfSettled(row: HazardRow) {
    if (row.status === 'closed' || row.status === 'void') throw problems.conflict(`the hazard is ${row.status}`, [], 'hazard-settled');
  }

  /** A person a hazard can be given to: active, of the right role, and within the hazard's reach. */
  async function assignable(row: HazardRow, username: string, as: AssigneePlace): Promise<void> {
    if (!(await canTakePlace(db, row, username, as))) {
      const who = as === 'enterprise_contact' ? 'an active user of the hazard’s enterprise' : 'an active supervisor whose jurisdiction covers the hazard';
      throw problems.unprocessable(`${username} cannot take this place`, [{ field: 'to', message: `must be ${who}` }]);
    }
  }

  /** The open notices a reopened hazard belongs to are told it is open again. */
  async function reopenRecord(row: HazardRow) {
    const plan = row.plan as (Omit<PlanRecord, 'at'> & { at: string }) | null;
    return {
      hazardId: row.id,
      enterpriseId: row.enterpriseId,
      grade: row.grade,
      policy: row.policy as HazardPolicy,
      round: row.round,
      deadline: row.deadline,
      closedAt: row.closedAt?.getTime() ?? null,
      seq: row.projectionSeq,
      policyId: row.policyId,
      calendar: await calendarYearsAmong(db, yearsFrom(shanghaiDate(clock()))),
      assignment: { supervisor: row.assignedSupervisor, enterpriseContact: row.enterpriseContact, delegate: row.delegate },
      listingLevel: row.listingLevel,
      plan: plan ? { ...plan, at: Date.parse(plan.at) } : null,
      reopenings: row.reopenings,
      notices: await openNoticesOf(db, row.id),
      registration: {
        title: row.title,
        description: row.description,
        category: row.category,
        source: row.source,
        location: row.location,
        legalBasis: row.legalBasis,
        requiredMeasures: row.requiredMeasures,
        createdBy: row.createdBy,
        policyId: row.policyId,
      },
    };
  }

  /** Reopens a closed hazard: a new run of its workflow, from the record (see HazardGateway.reopen). */
  async function reopen(row: HazardRow, body: ReopenBody, principal: Principal, command: CommandId | undefined) {
    if (row.status !== 'closed') throw problems.conflict(`only a closed hazard can be reopened; it is ${row.status}`);
    const now = clock();
    if (body.newDeadline < shanghaiDate(now)) {
      throw problems.unprocessable('the new deadline cannot be in the past', [{ field: 'newDeadline', message: `must be ${shanghaiDate(now)} or later` }], 'deadline-in-past');
    }
    // As at registration: a date years away is a mistake, and one near 9999 cannot be planned at all.
    if (body.newDeadline > addDays(shanghaiDate(now), MAX_OFFSET_DAYS)) {
      throw problems.unprocessable('the new deadline is too far away', [{ field: 'newDeadline', message: 'must be within a year' }], 'deadline-too-far');
    }
    try {
      await gateway.reopen(await reopenRecord(row), { ...body, by: principal.username, at: now }, command);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw problems.conflict('the hazard is already open again');
      throw error;
    }
  }

  const answer = async (res: Parameters<RouteSpec['handler']>[0]['res'], principal: Principal, id: string) => res.json(await answerOf(principal, id));

  return [
    route({
      method: 'post',
      path: '/api/hazards/:id/void',
      operationId: 'voidHazard',
      summary: 'Void an open hazard as a misreport (误报) or exempt (豁免), with a reason; its history stays',
      tag: 'hazards',
      access: ['leader'],
      params: hazardIdParams,
      body: voidBody,
      responses: { 200: { description: 'void' }, 404: { description: 'no such hazard within reach' }, 409: { description: 'already closed or void' } },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfSettled(row);
          await gateway.voidHazard(row.id, { ...body, by: principal.username }, req.command);
        }
        await answer(res, principal, row.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/reopen',
      operationId: 'reopenHazard',
      summary: 'Reopen a closed hazard with a reason and a new deadline: a new round; the closure stays on record',
      tag: 'hazards',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      body: reopenBody,
      responses: {
        200: { description: 'reopened: rectifying in a new round' },
        404: { description: 'no such hazard within reach' },
        409: { description: 'not closed' },
        422: { description: 'the new deadline is in the past, or more than a year away' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) await reopen(row, body, principal, req.command);
        await answer(res, principal, row.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/assignments',
      operationId: 'assignHazard',
      summary: 'Reassign the supervisor or the enterprise contact, or delegate the supervisor’s charge; both people are recorded',
      tag: 'hazards',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      body: assignmentBody,
      responses: {
        200: { description: 'reassigned' },
        404: { description: 'no such hazard within reach' },
        409: { description: 'the hazard is closed or void, or there is no delegation to withdraw' },
        422: { description: 'the person cannot take the place (role, enterprise, jurisdiction), or already holds it' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfSettled(row);
          if (body.to !== null) await assignable(row, body.to, body.kind === 'reassign' && body.role === 'enterprise_contact' ? 'enterprise_contact' : 'supervisor');
          await gateway.assign(row.id, { ...body, by: principal.username }, req.command);
        }
        await answer(res, principal, row.id);
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id/assignees',
      operationId: 'listHazardAssignees',
      summary: 'The people who can take the supervisor’s or the enterprise contact’s place on a hazard (for reassigning and delegating)',
      tag: 'hazards',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      query: assigneesQuery,
      responses: { 200: { description: 'nearest jurisdiction first', schema: assigneesAnswer }, 404: { description: 'no such hazard within reach' } },
      async handler({ res, params, query, principal }) {
        const row = await load(principal, params.id);
        res.json(assigneesJson(query.place, await assigneesFor(db, row, query.place, ASSIGNEES_LIMIT)));
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/policy',
      operationId: 'changeHazardPolicy',
      summary: 'Move a running hazard to another stored version of its grade’s policy (explicit and recorded); its steps ahead follow the new version',
      tag: 'hazards',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      body: policyChangeBody,
      responses: {
        200: { description: 'the hazard runs on the new version' },
        404: { description: 'no such hazard within reach' },
        409: { description: 'the hazard is closed or void' },
        422: { description: 'no such policy version, another grade’s, or the one it already runs on' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfSettled(row);
          const policy = await findPolicy(db, body.policyId);
          if (!policy || policy.grade !== row.grade) {
            throw problems.unprocessable('no such policy version for this grade', [{ field: 'policyId', message: `must name a stored ${row.grade} policy version` }]);
          }
          if (policy.id === row.policyId) {
            throw problems.unprocessable('the hazard already runs on this policy version', [{ field: 'policyId', message: 'name another version' }]);
          }
          const change = { policyId: policy.id, version: policy.version, policy: policy.policy as HazardPolicy, reason: body.reason, by: principal.username };
          await gateway.changePolicy(row.id, change, req.command);
        }
        await answer(res, principal, row.id);
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id/policy-choices',
      operationId: 'listHazardPolicyChoices',
      summary: 'The stored versions of its grade’s policy a hazard could move to, newest first, each with what would change from the one it runs on',
      tag: 'hazards',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      responses: { 200: { description: '`current` (the version it runs on; policyId null: the built-in default) and `items`, each with `changes` ({path, before, after})' }, 404: { description: 'no such hazard within reach' } },
      async handler({ res, params, principal }) {
        const row = await load(principal, params.id);
        const rows = await db.select().from(policies).where(eq(policies.grade, row.grade)).orderBy(desc(policies.createdAt), desc(policies.id));
        const names = await displayNames(db, rows.map((p) => p.createdBy));
        res.json(policyChoicesJson(row.policyId, row.policy, rows, names));
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/plan',
      operationId: 'fileFivePointPlan',
      summary: 'File or revise the five-point plan (五落实) of a major hazard (the enterprise); required before evidence',
      tag: 'hazards',
      access: ['enterprise'],
      params: hazardIdParams,
      body: planBody,
      responses: {
        200: { description: 'filed' },
        404: { description: 'no such hazard within reach' },
        409: { description: 'not a major hazard, or not rectifying' },
        422: { description: 'a plan point is missing, or its deadline is after the rectification deadline' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfSettled(row);
          await gateway.filePlan(row.id, { ...body, by: principal.username }, req.command);
        }
        await answer(res, principal, row.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/hazards/:id/acceptances',
      operationId: 'recordAcceptance',
      summary: 'Record a party’s acceptance of a major hazard’s rectification: the enterprise its own check, a supervisor an expert’s opinion',
      tag: 'hazards',
      access: ['enterprise', 'supervisor'],
      params: hazardIdParams,
      body: acceptanceBody,
      responses: {
        200: { description: 'recorded' },
        404: { description: 'no such hazard within reach' },
        409: { description: 'not a major hazard, or nothing submitted' },
        422: { description: 'the party is not the caller’s to record, or the policy does not call for it' },
      },
      async handler({ req, res, params, body, principal }) {
        const row = await load(principal, params.id);
        const own = principal.role === 'enterprise' ? 'enterprise' : 'expert';
        if (body.party !== own) {
          throw problems.unprocessable(`the ${principal.role} records the ${own}’s acceptance`, [{ field: 'party', message: `must be ${own}` }], 'acceptance-party-not-yours');
        }
        if (!(await gateway.sentBefore(row.id, req.command))) {
          refuseIfSettled(row);
          await gateway.recordAcceptance(row.id, { ...body, by: principal.username }, req.command);
        }
        await answer(res, principal, row.id);
      },
    }),
  ];
}
