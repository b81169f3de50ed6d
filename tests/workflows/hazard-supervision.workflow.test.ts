/**
 * The hazard workflow's supervision rules on the time-skipping server, with real activities
 * writing to Postgres: escalations counted in working days across the Spring Festival and its
 * make-up days; a provisional deadline recomputed when its year's calendar is published (timers
 * move); the review deadline escalating the reviewer's chief; major hazards needing their
 * five-point plan and every party's acceptance; void; reopening a closed hazard.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { quietOffsetMs } from '../../domain/quiet-offset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazards, notifications } from '../../db/schema';
import { savePolicy } from '../../db/policies';
import type { HazardState, NewHazard } from '../../domain/hazard-lifecycle';
import { roundExtensions } from '../../domain/extension';
import { DEFAULT_MAJOR_POLICY, type HazardPolicy } from '../../domain/policy';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { WorkCalendar, type YearCalendar } from '../../domain/work-calendar';
import { calendarChangedSignal } from '../../workflows/calendar-signal';
import {
  assignUpdate,
  changePolicyUpdate,
  filePlanUpdate,
  hazardStateQuery,
  hazardWorkflowId,
  recordAcceptanceUpdate,
  registeredUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  voidUpdate,
  type HazardWorkflowInput,
} from '../../workflows/hazard.messages';
import { attachNoticeSignal } from '../../workflows/notice-link';
import type { TestDatabase } from '../support/database';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { REGISTRATION, eventsOf as recordedEvents, refusal, sleepUntil as sleepClockUntil, expectAt } from '../support/workflow-steps';

const CN_2026 = JSON.parse(readFileSync(new URL('../../domain/calendars/cn-2026.json', import.meta.url), 'utf8')) as YearCalendar;

/**
 * A test fixture shaped like a published year (not official data): the Spring Festival of 2027
 * from Friday 5 to Saturday 13 February, with make-up working days on Sunday 31 January and
 * Saturday 20 February.
 */
const SPRING_2027: YearCalendar = {
  year: 2027,
  source: 'test fixture',
  holidays: ['05', '06', '07', '08', '09', '10', '11', '12', '13'].map((d) => ({ date: `2027-02-${d}`, name: '春节' })),
  workdays: [
    { date: '2027-01-31', name: '春节调休' },
    { date: '2027-02-20', name: '春节调休' },
  ],
};

const WORKING: HazardPolicy = {
  reminderDaysBefore: [],
  dayUnit: 'working',
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor' },
    { afterDays: 2, level: 2, recipientRole: 'supervisor_chief' },
    { afterDays: 5, level: 3, recipientRole: 'responsible_leader' },
    { afterDays: 7, level: 4, recipientRole: 'county_leader' },
  ],
};

let world: TimeSkippingWorld;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let enterpriseId: string;
let taskQueue: string;

beforeAll(async () => {
  world = await startTimeSkippingWorld('hazard-supervision');
  ({ env, database, enterpriseId, taskQueue } = world);
});

afterAll(async () => world?.stop());

const eventsOf = (hazardId: string) => recordedEvents(database.db, hazardId);
const sleepUntil = (instant: number) => sleepClockUntil(env, instant);
const rowOf = async (hazardId: string) => (await database.db.select().from(hazards).where(eq(hazards.id, hazardId)))[0]!;

async function startHazard(hazard: Omit<NewHazard, 'hazardId' | 'enterpriseId'>, extra: Partial<HazardWorkflowInput> = {}) {
  const hazardId = randomUUID();
  const input: HazardWorkflowInput = { hazard: { hazardId, enterpriseId, ...hazard }, registration: REGISTRATION, ...extra };
  const handle = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(hazardId), taskQueue, args: [input] });
  await handle.executeUpdate(registeredUpdate);
  return { hazardId, handle };
}


describe('working-day escalation', () => {
  it('climbs the ladder in working days across the Spring Festival and its make-up working day, at exact instants', async () => {
    // Wednesday 3 February 2027, two days before the festival.
    const deadline = '2027-02-03';
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline, calendar: [CN_2026, SPRING_2027] });
    expect((await handle.query(hazardStateQuery)).provisional).toBe(false);

    await sleepUntil(shanghaiInstant('2027-02-25', 0));
    const escalations = (await eventsOf(hazardId)).filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => e.stepKey)).toEqual(['round-1/escalation-1d', 'round-1/escalation-2d', 'round-1/escalation-5d', 'round-1/escalation-7d']);
    // 1 working day: Thursday 4 Feb. The festival (5–13 Feb) and Sunday 14 Feb are off:
    // 2 → Monday 15 Feb, 5 → Thursday 18 Feb; Friday 19 is the 6th and the make-up Saturday 20 the 7th.
    expectAt(escalations[0], shanghaiInstant('2027-02-04', 9));
    expectAt(escalations[1], shanghaiInstant('2027-02-15', 9));
    expectAt(escalations[2], shanghaiInstant('2027-02-18', 9));
    expectAt(escalations[3], shanghaiInstant('2027-02-20', 9));
    const overdue = (await eventsOf(hazardId)).find((e) => e.type === 'became_overdue');
    expectAt(overdue, dueInstant(deadline) + quietOffsetMs(hazardWorkflowId(hazardId)));
    expect(await rowOf(hazardId)).toMatchObject({ provisional: false, escalationLevel: 4 });
  });

  it('marks dates counted into a year without data provisional, and moves them (and their timers) when the year is published', async () => {
    const now = await env.currentTimeMs();
    const today = shanghaiDate(now);
    // Only the published 2026 data: any working day counted into a later year is provisional.
    const known = new WorkCalendar([CN_2026]);
    const year = Math.max(2027, Number(today.slice(0, 4)));
    const target = [`${year}-01-20`, addDays(today, 30)].sort().at(-1)!;
    const days = known.workingDaysBetween(today, target).days;
    const rule = { from: today, days, unit: 'working' as const, legalBasis: '《中华人民共和国安全生产法》第六十五条' };
    const counted = known.addWorkingDays(today, days);
    expect(counted.provisional).toBe(true);
    // The year as published: one weekday before the deadline becomes a holiday.
    let holiday = addDays(counted.date, -3);
    while (new Date(`${holiday}T00:00:00Z`).getUTCDay() % 6 === 0) holiday = addDays(holiday, -1);
    const published: YearCalendar = { year, source: 'test fixture', holidays: [{ date: holiday, name: '测试假日' }], workdays: [] };
    const expected = new WorkCalendar([CN_2026, published]).addWorkingDays(today, days).date;
    expect(expected > counted.date).toBe(true);

    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline: counted.date, deadlineRule: rule, calendar: [CN_2026] });
    expect(await handle.query(hazardStateQuery)).toMatchObject({ provisional: true, deadline: counted.date, deadlineRule: rule });
    expect((await rowOf(hazardId)).provisional).toBe(true);

    await handle.signal(calendarChangedSignal, published);
    await sleepUntil(dueInstant(counted.date) + 60_000);
    const view = await handle.query(hazardStateQuery);
    expect(view).toMatchObject({ provisional: false, deadline: expected, overdue: false, extension: { originalDeadline: expected } });
    const applied = (await eventsOf(hazardId)).find((e) => e.type === 'calendar_applied');
    expect(applied?.data).toMatchObject({ year, deadline: { from: counted.date, to: expected }, provisionalBefore: true, provisionalAfter: false });
    // Nothing fired at the provisional deadline; the overdue moment comes at the new one.
    expect((await eventsOf(hazardId)).some((e) => e.type === 'became_overdue')).toBe(false);
    await sleepUntil(dueInstant(expected) + quietOffsetMs(hazardWorkflowId(hazardId)) + 1000);
    expectAt((await eventsOf(hazardId)).find((e) => e.type === 'became_overdue'), dueInstant(expected) + quietOffsetMs(hazardWorkflowId(hazardId)));
    expect(await rowOf(hazardId)).toMatchObject({ deadline: expected, provisional: false });
  });
});

describe('review deadline', () => {
  it('escalates to the reviewer’s chief when a submission is not reviewed in time, and still takes the late review', async () => {
    const now = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(now), 20);
    const policy: HazardPolicy = { ...WORKING, review: { withinDays: 3, escalateTo: 'supervisor_chief' } };
    const { hazardId, handle } = await startHazard({ grade: 'general', policy, deadline, calendar: [CN_2026, SPRING_2027] });

    const submitted = await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });
    const reviewDue = new WorkCalendar([CN_2026, SPRING_2027]).addWorkingDays(shanghaiDate(now), 3).date;
    expect(submitted).toMatchObject({ status: 'under_review', reviewDue, next: { kind: 'review_overdue', recipientRole: 'supervisor_chief' } });
    expect(submitted.next!.at).toBe(new Date(dueInstant(reviewDue)).toISOString());

    await sleepUntil(dueInstant(reviewDue) + 60_000);
    const late = (await eventsOf(hazardId)).find((e) => e.type === 'review_overdue');
    expectAt(late, dueInstant(reviewDue));
    expect(late!.data).toMatchObject({ reviewDue, recipientRole: 'supervisor_chief' });
    const [told] = await database.db.select().from(notifications).where(eq(notifications.stepKey, 'round-1/review-overdue'));
    expect(told).toMatchObject({ hazardId, kind: 'escalation', recipientRole: 'supervisor_chief' });
    expect(told!.message).toContain('复查期限');
    expect(await handle.query(hazardStateQuery)).toMatchObject({ reviewOverdue: true });
    expect((await rowOf(hazardId)).reviewOverdueSince?.getTime()).toBe(dueInstant(reviewDue));

    const closed = await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'inspector-li' }] });
    expect(closed).toMatchObject({ status: 'closed', reviewOverdue: false, reviewDue: null });
  });

  it('sets no review timer for a policy without a review time (versions before it), as before', async () => {
    const now = await env.currentTimeMs();
    const { handle } = await startHazard({ grade: 'general', policy: WORKING, deadline: addDays(shanghaiDate(now), 20), calendar: [CN_2026] });
    const submitted = await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });
    expect(submitted).toMatchObject({ status: 'under_review', reviewDue: null, next: null });
  });
});

describe('major hazards', () => {
  const MAJOR: HazardPolicy = { ...WORKING, major: DEFAULT_MAJOR_POLICY };
  const plan = (deadline: string) => ({ measures: '更换报警器并联动测试', funds: 80_000, deadline, responsiblePerson: '王主任', contingencyPlan: '停用储罐，现场监护', by: 'enterprise-wang' });

  it('takes evidence only after the five-point plan, and closes only after the enterprise and an expert passed it', async () => {
    const now = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(now), 30);
    const { hazardId, handle } = await startHazard({ grade: 'major', policy: MAJOR, deadline, listingLevel: 'city', calendar: [CN_2026] });

    const noPlan = await refusal(handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] }));
    expect(noPlan.type).toBe('StepNotAllowed');
    expect((await refusal(handle.executeUpdate(filePlanUpdate, { args: [plan(addDays(deadline, 1))] }))).type).toBe('InvalidCommand');

    const filed = await handle.executeUpdate(filePlanUpdate, { args: [plan(deadline)] });
    expect(filed.plan).toMatchObject({ version: 1, funds: 80_000, responsiblePerson: '王主任', by: 'enterprise-wang' });
    await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });

    const accept = { decision: 'accept' as const, by: 'inspector-li' };
    expect((await refusal(handle.executeUpdate(reviewUpdate, { args: [accept] }))).message).toMatch(/enterprise and expert/);
    await handle.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'enterprise', passed: true, opinion: '自查合格', signatory: '王主任', by: 'enterprise-wang' }] });
    const failed = await handle.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'expert', passed: false, opinion: '联动测试未做', signatory: '张专家', by: 'inspector-li' }] });
    expect(failed.acceptancesOutstanding).toEqual(['expert']);
    expect((await refusal(handle.executeUpdate(reviewUpdate, { args: [accept] }))).type).toBe('StepNotAllowed');
    const passed = await handle.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'expert', passed: true, opinion: '复测合格', signatory: '张专家', by: 'inspector-li' }] });
    expect(passed.acceptancesOutstanding).toEqual([]);
    expect(passed.acceptances.map((a) => [a.party, a.passed])).toEqual([
      ['enterprise', true],
      ['expert', true],
    ]);

    expect(await handle.executeUpdate(reviewUpdate, { args: [accept] })).toMatchObject({ status: 'closed' });
    const types = (await eventsOf(hazardId)).map((e) => e.type);
    expect(types).toEqual(['registered', 'plan_filed', 'rectification_submitted', 'acceptance_recorded', 'acceptance_recorded', 'acceptance_recorded', 'review_accepted']);
    expect(await rowOf(hazardId)).toMatchObject({ listingLevel: 'city', status: 'closed' });
  });
});

describe('void, reassignment, reopening', () => {
  it('voids an open hazard with a reason: its timers stop, the workflow ends, the record stays', async () => {
    const now = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(now), 3);
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline, calendar: [CN_2026] });
    expect((await refusal(handle.executeUpdate(voidUpdate, { args: [{ kind: 'misreport', reason: ' ', by: 'leader-zhao' }] }))).type).toBe('InvalidCommand');
    const voided = await handle.executeUpdate(voidUpdate, { args: [{ kind: 'misreport', reason: '现场复核为误报', by: 'leader-zhao' }] });
    expect(voided).toMatchObject({ status: 'void', voided: { kind: 'misreport', reason: '现场复核为误报', by: 'leader-zhao' } });
    expect(await handle.result()).toMatchObject({ status: 'void' });
    await sleepUntil(dueInstant(addDays(deadline, 30)));
    expect((await eventsOf(hazardId)).map((e) => [e.type, e.actor])).toEqual([
      ['registered', 'inspector-li'],
      ['voided', 'leader-zhao'],
    ]);
    expect(await rowOf(hazardId)).toMatchObject({ status: 'void', voided: { kind: 'misreport', by: 'leader-zhao' } });
  });

  it('records both people when the supervisor is reassigned or delegates, and refuses a change to the same person', async () => {
    const now = await env.currentTimeMs();
    const assignment = { supervisor: 'inspector-li', enterpriseContact: null, delegate: null };
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline: addDays(shanghaiDate(now), 10), calendar: [CN_2026], assignment });
    await handle.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: 'inspector-zhou', reason: '外出培训', by: 'inspector-li' }] });
    const same = await refusal(handle.executeUpdate(assignUpdate, { args: [{ kind: 'reassign', role: 'supervisor', to: 'inspector-li', reason: '重复', by: 'chief-wu' }] }));
    expect(same).toMatchObject({ type: 'InvalidCommand' });
    const view = await handle.executeUpdate(assignUpdate, { args: [{ kind: 'reassign', role: 'supervisor', to: 'inspector-sun', reason: '岗位调整', by: 'chief-wu' }] });
    // The delegation was the old supervisor's and ends with the charge.
    expect(view.assignment).toEqual({ supervisor: 'inspector-sun', enterpriseContact: null, delegate: null });
    const changes = (await eventsOf(hazardId)).filter((e) => e.type !== 'registered');
    expect(changes.map((e) => [e.type, e.actor, e.data])).toEqual([
      ['delegated', 'inspector-li', { role: 'delegate', from: null, to: 'inspector-zhou', reason: '外出培训' }],
      ['reassigned', 'chief-wu', { role: 'supervisor', from: 'inspector-li', to: 'inspector-sun', reason: '岗位调整' }],
    ]);
    expect(await rowOf(hazardId)).toMatchObject({ assignedSupervisor: 'inspector-sun', delegate: null });
  });

  it('reopens a closed hazard in a new run: a new round against the new deadline, the closure kept on record', async () => {
    const now = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(now), 5);
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline, calendar: [CN_2026] });
    await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });
    await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'inspector-li' }] });
    await handle.result();
    const closed = await rowOf(hazardId);

    const at = await env.currentTimeMs();
    const newDeadline = addDays(shanghaiDate(at), 7);
    const carried: HazardState = {
      hazardId,
      enterpriseId,
      grade: 'general',
      policy: WORKING,
      status: 'closed',
      round: closed.round,
      deadline: closed.deadline,
      roundStartedAt: at,
      fired: [],
      overdueSince: null,
      escalationLevel: 0,
      submission: null,
      closedAt: closed.closedAt!.getTime(),
      extension: roundExtensions(closed.deadline),
      seq: closed.projectionSeq,
      calendar: [CN_2026],
    };
    const reopened = await env.client.workflow.start('hazardWorkflow', {
      workflowId: hazardWorkflowId(hazardId),
      taskQueue,
      args: [{ hazard: { hazardId, enterpriseId, grade: 'general', policy: WORKING, deadline: newDeadline }, registration: REGISTRATION, carried, reopen: { reason: '复查发现隐患复现', newDeadline, by: 'chief-wu', at } }],
    });
    expect(await reopened.executeUpdate(registeredUpdate)).toMatchObject({ status: 'rectifying', round: 2, deadline: newDeadline, reopenings: 1, closedAt: null });
    const last = (await eventsOf(hazardId)).at(-1)!;
    expect(last).toMatchObject({ type: 'reopened', actor: 'chief-wu', stepKey: 'round-2/reopened' });
    expect(last.data).toMatchObject({ reason: '复查发现隐患复现', newDeadline, round: 2 });
    expect(await rowOf(hazardId)).toMatchObject({ status: 'rectifying', round: 2, deadline: newDeadline, closedAt: null, reopenings: 1 });

    await sleepUntil(dueInstant(newDeadline) + quietOffsetMs(hazardWorkflowId(hazardId)) + 1000);
    expectAt((await eventsOf(hazardId)).find((e) => e.stepKey === 'round-2/overdue'), dueInstant(newDeadline) + quietOffsetMs(hazardWorkflowId(hazardId)));
  });

  it('moves to another policy version only by an explicit, recorded change; the steps ahead follow it', async () => {
    const now = await env.currentTimeMs();
    const deadline = addDays(shanghaiDate(now), 2);
    const late: HazardPolicy = { reminderDaysBefore: [], dayUnit: 'calendar', escalation: [{ afterDays: 10, level: 1, recipientRole: 'supervisor' }] };
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: late, deadline, calendar: [CN_2026] }, { registration: { ...REGISTRATION, policyId: null } });
    const stricter = await savePolicy(database.db, 'admin', { grade: 'general', industry: '测试' }, { ...late, escalation: [{ afterDays: 1, level: 2, recipientRole: 'county_leader' }] }, '更严');
    const cmd = { policyId: stricter.id, version: stricter.version, policy: stricter.policy as HazardPolicy, reason: '执行新版政策', by: 'chief-wu' };
    expect((await refusal(handle.executeUpdate(changePolicyUpdate, { args: [{ ...cmd, reason: '' }] }))).type).toBe('InvalidCommand');
    const moved = await handle.executeUpdate(changePolicyUpdate, { args: [cmd] });
    expect(moved.next).toMatchObject({ kind: 'overdue' });
    expect((await refusal(handle.executeUpdate(changePolicyUpdate, { args: [cmd] }))).message).toMatch(/already runs/);

    await sleepUntil(shanghaiInstant(addDays(deadline, 12), 0));
    const events = await eventsOf(hazardId);
    const changed = events.find((e) => e.type === 'policy_changed');
    expect(changed).toMatchObject({ actor: 'chief-wu', data: { fromPolicyId: null, toPolicyId: stricter.id, version: stricter.version, reason: '执行新版政策' } });
    const escalations = events.filter((e) => e.type === 'escalated');
    // The new ladder's step a day overdue, to the county leader; nothing on the old ten-day step.
    expect(escalations.map((e) => [e.stepKey, (e.data as { recipientRole: string }).recipientRole])).toEqual([['round-1/escalation-1d', 'county_leader']]);
    expectAt(escalations[0], shanghaiInstant(addDays(deadline, 1), 9));
    expect(await rowOf(hazardId)).toMatchObject({ policyId: stricter.id, policy: stricter.policy });
  });

  it('records the notices a hazard joins, once each', async () => {
    const now = await env.currentTimeMs();
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline: addDays(shanghaiDate(now), 10), calendar: [CN_2026] });
    const noticeId = randomUUID();
    await handle.signal(attachNoticeSignal, { noticeId, workflowId: `notice-${noticeId}` });
    await handle.signal(attachNoticeSignal, { noticeId, workflowId: `notice-${noticeId}` });
    await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });
    // The notice's workflow does not exist here: telling it fails quietly and the hazard still closes.
    expect(await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'inspector-li' }] })).toMatchObject({ status: 'closed' });
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    const attached = (await eventsOf(hazardId)).filter((e) => e.type === 'notice_attached');
    expect(attached.map((e) => [e.stepKey, e.data])).toEqual([[`notice-${noticeId}/attached`, { noticeId }]]);
  });
});
