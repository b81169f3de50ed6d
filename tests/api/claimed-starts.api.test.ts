/**
 * A notice claims its hazards, and a suspension the decision it carries out, before its workflow
 * starts. When the start's answer is lost (the call timed out after Temporal took it), the
 * workflow goes on to record the notice: the claim must stay with it, or a second notice could
 * take the same hazard. A claim whose workflow Temporal does not have is let go, at once or, when
 * Temporal could not be asked, by the next claimer once the claim is stale.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { createApp } from '../../api/app';
import { CLAIM_GRACE_MS } from '../../api/claimed-start';
import { noticeClaims, noticeDecisions, noticeHazards, notices, suspensionOrigins, suspensions } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { NoticeGateway } from '../../temporal/notice-gateway';
import { SuspensionGateway } from '../../temporal/suspension-gateway';
import { noticeWorkflowId } from '../../workflows/notice.messages';
import { suspensionWorkflowId } from '../../workflows/suspension.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type Requester } from '../support/http';
import { overdueNotice } from '../support/overdue-notice';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let supA: Requester;
const today = () => shanghaiDate(Date.now());
const lostAnswer = () => new WorkflowUpdateRPCTimeoutOrCancelledError('Timed out waiting for update response', { cause: new Error('deadline exceeded') });

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function workflowExists(workflowId: string): Promise<boolean> {
  try {
    await h.env.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch {
    return false;
  }
}

/** Sends the start to Temporal, then answers as a timed-out call would: the workflow runs on. */
class NoticeAnswerLost extends NoticeGateway {
  override async start(...args: Parameters<NoticeGateway['start']>): ReturnType<NoticeGateway['start']> {
    super.start(...args).catch(() => undefined);
    await until(() => workflowExists(noticeWorkflowId(args[0].notice.noticeId)), 'the notice workflow');
    throw lostAnswer();
  }
}

/** Fails before anything reaches Temporal. */
class NoticeNeverSent extends NoticeGateway {
  override async start(): ReturnType<NoticeGateway['start']> {
    throw lostAnswer();
  }
}

class SuspensionAnswerLost extends SuspensionGateway {
  override async start(...args: Parameters<SuspensionGateway['start']>): ReturnType<SuspensionGateway['start']> {
    super.start(...args).catch(() => undefined);
    await until(() => workflowExists(suspensionWorkflowId(args[0].suspension.suspensionId)), 'the suspension workflow');
    throw lostAnswer();
  }
}

/** The API as started by the harness, with one gateway swapped; signed in as supervisor-a. */
async function apiWith(over: Partial<ApiHarness['deps']>) {
  const server = await serve(createApp({ ...h.deps, ...over }));
  const login = await server.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: PASSWORD } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const as: Requester = (method, path, opts = {}) => server.request(method, path, { token: login.body.token, ...opts });
  return { as, close: () => server.close() };
}

beforeAll(async () => {
  h = await startApiHarness('claimed-starts');
  supA = await h.as('supervisor-a');
});
afterAll(async () => h?.stop());

async function register(): Promise<string> {
  const res = await supA('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '安全出口堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const issue = (as: Requester, hazardIds: string[], headers: Record<string, string> = {}) =>
  as('POST', '/api/notices', { body: { title: '督促整改消防隐患', requirements: '立即清理安全出口', enterpriseId: h.world.enterpriseA, hazardIds }, headers });

async function openNoticesHolding(hazardId: string): Promise<number> {
  const rows = await h.database.db
    .select({ id: notices.id })
    .from(noticeHazards)
    .innerJoin(notices, eq(notices.id, noticeHazards.noticeId))
    .where(and(eq(noticeHazards.hazardId, hazardId), ne(notices.status, 'closed')));
  return rows.length;
}

describe('a notice whose start answer was lost', () => {
  it('keeps its hazards claimed while its workflow records it: a second notice for the same hazard gets 409, and a retry with the same key gets the notice', async () => {
    const hazardId = await register();
    const lossy = await apiWith({ notices: new NoticeAnswerLost(h.deps.temporal, h.taskQueue) });
    const key = randomUUID();
    try {
      const first = await issue(lossy.as, [hazardId], { 'idempotency-key': key });
      expect(first.status, JSON.stringify(first.body)).toBe(503);
    } finally {
      await lossy.close();
    }
    const second = await issue(supA, [hazardId]);
    expect(second.status, JSON.stringify(second.body)).toBe(409);
    expect(second.body.code).toBe('hazard-in-open-notice');

    // The first notice's workflow records it, holding the hazard; the client's retry is answered with it.
    await until(async () => (await openNoticesHolding(hazardId)) === 1, 'the first notice recorded');
    const retried = await issue(supA, [hazardId], { 'idempotency-key': key });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(await openNoticesHolding(hazardId)).toBe(1);
  });

  it('lets go of the claim at once when Temporal never got the start', async () => {
    const hazardId = await register();
    const lossy = await apiWith({ notices: new NoticeNeverSent(h.deps.temporal, h.taskQueue) });
    try {
      expect((await issue(lossy.as, [hazardId])).status).toBe(503);
    } finally {
      await lossy.close();
    }
    expect(await h.database.db.select().from(noticeClaims).where(eq(noticeClaims.hazardId, hazardId))).toEqual([]);
    expect((await issue(supA, [hazardId])).status).toBe(201);
  });

  it('a stale claim of a notice Temporal never started is taken over by the next notice; a fresh one is not', async () => {
    const [stale, fresh] = [await register(), await register()];
    const ghost = () => randomUUID();
    await h.database.db.insert(noticeClaims).values([
      { hazardId: stale, noticeId: ghost(), claimedBy: 'supervisor-a', claimedAt: new Date(Date.now() - CLAIM_GRACE_MS - 60_000) },
      { hazardId: fresh, noticeId: ghost(), claimedBy: 'supervisor-a' },
    ]);
    const taken = await issue(supA, [stale]);
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(await openNoticesHolding(stale)).toBe(1);
    // A claim taken moments ago may belong to a notice whose start is on its way.
    const refused = await issue(supA, [fresh]);
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.code).toBe('hazard-in-open-notice');
  });
});

describe('a suspension whose start answer was lost', () => {
  it('keeps the decision claimed: a second order carrying out the same decision gets 409', async () => {
    const { noticeId } = await overdueNotice(h);
    const decisionId = randomUUID();
    await h.database.db.insert(noticeDecisions).values({ id: decisionId, noticeId, kind: 'suspension', deciderRole: 'bureau_director', openedAt: new Date(), status: 'taken' });
    const order = {
      enterpriseId: h.world.enterpriseA,
      documentNumber: '甲县应急停〔2026〕9号',
      reason: '重大事故隐患逾期未整改',
      scope: 'partial',
      scopeNote: '二号车间停产',
      startsOn: today(),
      plannedEnd: addDays(today(), 60),
      origin: { type: 'notice_decision', id: decisionId },
    };
    const lossy = await apiWith({ suspensions: new SuspensionAnswerLost(h.deps.temporal, h.taskQueue) });
    try {
      expect((await lossy.as('POST', '/api/suspensions', { body: order })).status).toBe(503);
    } finally {
      await lossy.close();
    }
    const second = await supA('POST', '/api/suspensions', { body: order });
    expect(second.status, JSON.stringify(second.body)).toBe(409);
    expect(second.body.code).toBe('decision-already-carried-out');
    await until(async () => (await h.database.db.select().from(suspensions).where(sql`${suspensions.id} = (select suspension_id from suspension_origins where decision_id = ${decisionId})`)).length === 1, 'the first suspension recorded');
    const [origin] = await h.database.db.select().from(suspensionOrigins).where(eq(suspensionOrigins.decisionId, decisionId));
    expect(origin).toBeDefined();
  });
});
