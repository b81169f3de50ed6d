/**
 * The notice workflow on the time-skipping server with real activities writing to Postgres: the
 * sign escalation, the general and the major ladder at their exact working-day times with
 * gapless instrument numbers, decisions opened and decided, closing only after the last hazard's
 * outcome, a notice without hazards closed by confirmation, refusals leaving no history.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTimeline, verifyCaseChain } from '../../db/case-events';
import { hazards, instruments, noticeDecisions, noticeHazards, noticeInstruments, noticeNotifications, notices } from '../../db/schema';
import { createCalendarActivities } from '../../activities/calendar';
import { planLadder } from '../../domain/notice-schedule';
import { quietOffsetMs } from '../../domain/quiet-offset';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES, type HazardGrade } from '../../domain/policy';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { countDays, weekday, WorkCalendar, yearsFrom, type YearCalendar } from '../../domain/work-calendar';
import { hazardOutcomeSignal } from '../../workflows/notice-link';
import { calendarChangedSignal } from '../../workflows/calendar-signal';
import {
  confirmCompletionUpdate,
  decideUpdate,
  extendDeadlineUpdate,
  noticeIssuedUpdate,
  noticeStateQuery,
  noticeWorkflowId,
  signNoticeUpdate,
  type NoticeWorkflowInput,
} from '../../workflows/notice.messages';
import type { TestDatabase } from '../support/database';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';

let world: TimeSkippingWorld;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let enterpriseId: string;
let taskQueue: string;

beforeAll(async () => {
  world = await startTimeSkippingWorld('notice-wf');
  ({ env, database, enterpriseId, taskQueue } = world);
});

afterAll(async () => world?.stop());

/** A hazard's read-model row, as the hazard workflow would have written it (no workflow: the attach signal fails and the notice re-reads it). */
async function insertHazard(grade: HazardGrade, status: 'rectifying' | 'closed' | 'void' = 'rectifying'): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const deadline = addDays(shanghaiDate(now.getTime()), 10);
  await database.db.insert(hazards).values({
    id,
    workflowId: `hazard-${id}`,
    enterpriseId,
    regionPath: '/x/',
    title: '消防通道堵塞',
    category: '消防安全',
    source: 'inspection',
    grade,
    policy: DEFAULT_POLICIES[grade],
    status,
    round: 1,
    deadline,
    dueAt: new Date(dueInstant(deadline)),
    escalationLevel: 0,
    createdBy: 'inspector-li',
    createdAt: now,
    updatedAt: now,
    projectionSeq: 1,
  });
  return id;
}

async function startNotice(opts: { grade: HazardGrade; hazardIds: string[]; deadline?: string; addressee?: boolean; agency: string }) {
  const noticeId = randomUUID();
  const input: NoticeWorkflowInput = {
    notice: {
      noticeId,
      enterpriseId: opts.addressee ? null : enterpriseId,
      grade: opts.grade,
      policy: DEFAULT_NOTICE_POLICIES[opts.grade],
      dayUnit: 'working',
      hazardIds: opts.hazardIds,
      ...(opts.deadline ? { deadline: opts.deadline } : {}),
      rule: DEFAULT_POLICIES[opts.grade].deadline!,
    },
    issue: {
      agency: opts.agency,
      enterpriseId: opts.addressee ? null : enterpriseId,
      addressee: opts.addressee ? '测试镇人民政府' : null,
      addresseeRegionId: null,
      regionPath: '/x/',
      title: '督促整改消防隐患',
      requirements: '立即清理消防通道',
      legalBasis: '《中华人民共和国安全生产法》第六十五条',
      grade: opts.grade,
      policy: DEFAULT_NOTICE_POLICIES[opts.grade],
      policyId: null,
      issuedBy: 'inspector-li',
      hazardIds: opts.hazardIds,
    },
  };
  const handle = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [input] });
  const view = await handle.executeUpdate(noticeIssuedUpdate);
  return { noticeId, handle, view };
}

const timeline = (noticeId: string) => caseTimeline(database.db, 'notice', noticeId);

async function sleepUntil(instant: number) {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

/** The first Friday at least a week after the start: a deadline before a weekend. */
function fridayAfter(date: string): string {
  let d = addDays(date, 7);
  while (weekday(d) !== 5) d = addDays(d, 1);
  return d;
}

const agency = () => `测${randomBytes(3).toString('hex')}应急`;

async function calendarAt(from: string) {
  return new WorkCalendar(await createCalendarActivities(database.db).calendarYears(yearsFrom(from)));
}

describe('notice workflow (time-skipping)', () => {
  it('runs the general and the major ladder at exact working-day times, numbering instruments 1, 2, 3… per agency; escalates a late signature', async () => {
    const start = shanghaiDate(await env.currentTimeMs());
    const deadline = fridayAfter(start);
    const cal = await calendarAt(start);
    const gAgency = agency();
    const mAgency = agency();
    const [g1, g2, m1] = [await insertHazard('general'), await insertHazard('general'), await insertHazard('major')];
    const general = await startNotice({ grade: 'general', hazardIds: [g1, g2], deadline, agency: gAgency });
    const major = await startNotice({ grade: 'major', hazardIds: [m1], deadline, agency: mAgency });
    expect(general.view).toMatchObject({ code: `${gAgency}〔${start.slice(0, 4)}〕1号`, status: 'issued', deadline, deadlineProvisional: false, openHazards: 2 });
    // A deadline that stands; steps of the ladder may still count into a year without data (near a year's end).
    const laterSteps = planLadder(cal, deadline, DEFAULT_NOTICE_POLICIES.general, 'working', 0).some((st) => st.provisional);
    expect(general.view).toMatchObject({ provisional: laterSteps, laterStepsProvisional: laterSteps });

    const gPlan = planLadder(cal, deadline, DEFAULT_NOTICE_POLICIES.general, 'working', 0);
    const mPlan = planLadder(cal, deadline, DEFAULT_NOTICE_POLICIES.major, 'working', 0);
    // A Friday deadline: the first step of each ladder fires at 09:00 on the next working day, never on the weekend.
    const firstInstrument = gPlan.find((s) => s.kind === 'instrument')!;
    expect(firstInstrument.at).toBe(shanghaiInstant(cal.addWorkingDays(deadline, 1).date, 9));
    expect([1, 2, 3, 4, 5].includes(weekday(shanghaiDate(firstInstrument.at)))).toBe(true);
    expect(weekday(shanghaiDate(firstInstrument.at))).not.toBe(6);

    const directive = gPlan.find((s) => s.key === 'ladder-directive')!;
    await sleepUntil(directive.at + 60_000);

    // General: no signature, so the sign escalation came first, at the end of the sign-by day.
    const signDue = cal.addWorkingDays(start, DEFAULT_NOTICE_POLICIES.general.signWithinDays).date;
    const gEvents = await timeline(general.noticeId);
    expect(gEvents.map((e) => e.stepKey)).toEqual(['issued', 'sign-escalation', 'overdue', 'ladder-reminder_card', 'ladder-list', 'ladder-supervision_letter', 'ladder-directive']);
    // The overdue mark tells no one: it comes at the notice's own offset after midnight.
    const quiet = quietOffsetMs(noticeWorkflowId(general.noticeId));
    const expectedAt = new Map<string, number>([['sign-escalation', dueInstant(signDue)], ...gPlan.map((s) => [s.key, s.kind === 'overdue' ? s.at + quiet : s.at] as [string, number])]);
    for (const e of gEvents.slice(1)) {
      const lag = e.occurredAt.getTime() - expectedAt.get(e.stepKey)!;
      expect(lag, e.stepKey).toBeGreaterThanOrEqual(0);
      expect(lag, e.stepKey).toBeLessThan(1000);
    }
    // Sign late: allowed, and recorded as late.
    const signed = await general.handle.executeUpdate(signNoticeUpdate, { args: [{ by: 'enterprise-wang' }] });
    expect(signed).toMatchObject({ status: 'signed', signedBy: 'enterprise-wang' });
    expect((await timeline(general.noticeId)).at(-1)).toMatchObject({ type: 'signed', actor: 'enterprise-wang', data: { late: true, signDue } });

    const year = start.slice(0, 4);
    /** Numbers run per agency and year, the notice itself first: an instrument fired in the next year starts at 1. */
    const codesFor = (agencyName: string, plan: typeof gPlan) => {
      const next = new Map<string, number>([[year, 2]]);
      return plan.filter((s) => s.kind === 'instrument').map((s) => {
        const y = shanghaiDate(s.at).slice(0, 4);
        const n = next.get(y) ?? 1;
        next.set(y, n + 1);
        return `${agencyName}〔${y}〕${n}号`;
      });
    };
    const gCodes = codesFor(gAgency, gPlan);
    const issued = await database.db
      .select({ code: instruments.code, kind: instruments.kind, role: noticeInstruments.recipientRole })
      .from(noticeInstruments)
      .innerJoin(instruments, eq(instruments.id, noticeInstruments.instrumentId))
      .where(eq(noticeInstruments.noticeId, general.noticeId))
      .orderBy(asc(instruments.issuedAt), asc(instruments.number));
    expect(issued).toEqual([
      { code: gCodes[0], kind: 'reminder_card', role: 'enterprise' },
      { code: gCodes[1], kind: 'list', role: 'supervisor_chief' },
      { code: gCodes[2], kind: 'supervision_letter', role: 'responsible_leader' },
      { code: gCodes[3], kind: 'directive', role: 'county_leader' },
    ]);
    const [gRow] = await database.db.select().from(notices).where(eq(notices.id, general.noticeId));
    expect(gRow).toMatchObject({ status: 'signed', ladderLevel: 4, lastInstrumentCode: gCodes[3], openHazards: 2 });
    expect(gRow!.overdueSince!.getTime()).toBe(dueInstant(deadline));
    const told = await database.db.select().from(noticeNotifications).where(eq(noticeNotifications.noticeId, general.noticeId)).orderBy(asc(noticeNotifications.scheduledAt));
    expect(told.map((n) => [n.kind, n.recipientRole])).toEqual([
      ['sign_escalation', 'supervisor_chief'],
      ['reminder_card', 'enterprise'],
      ['list', 'supervisor_chief'],
      ['supervision_letter', 'responsible_leader'],
      ['directive', 'county_leader'],
    ]);
    expect(told[1]!.message).toContain(gCodes[0]);

    // Major: faster and further; by now its decisions up to the same day are open.
    const mEvents = await timeline(major.noticeId);
    const mDue = mPlan.filter((s) => s.at <= directive.at + 60_000).map((s) => s.key);
    expect(mEvents.map((e) => e.stepKey)).toEqual(['issued', 'sign-escalation', ...mDue]);
    const mQuiet = quietOffsetMs(noticeWorkflowId(major.noticeId));
    for (const e of mEvents.filter((x) => x.stepKey !== 'issued' && x.stepKey !== 'sign-escalation')) {
      const step = mPlan.find((s) => s.key === e.stepKey)!;
      expect(e.occurredAt.getTime() - (step.kind === 'overdue' ? step.at + mQuiet : step.at)).toBeLessThan(1000);
    }
    const mView = await major.handle.query(noticeStateQuery);
    expect(mView.instruments.map((i) => i.code)).toEqual(codesFor(mAgency, mPlan));
    const opened = mView.decisions;
    expect(opened.map((d) => d.kind)).toEqual(mPlan.filter((s) => s.kind === 'decision' && s.at <= directive.at + 60_000).map((s) => (s.kind === 'decision' ? s.decision : '')));
    expect(opened.length).toBeGreaterThan(0);

    // A decision is taken, with its document number and reason.
    const first = opened[0]!;
    const decided = await major.handle.executeUpdate(decideUpdate, { args: [{ decisionId: first.id, outcome: 'taken', documentNumber: '测约〔2026〕1号', reason: '逾期未整改', by: 'leader-zhao' }] });
    expect(decided.decisions[0]).toMatchObject({ status: 'taken', documentNumber: '测约〔2026〕1号', reason: '逾期未整改', decidedBy: 'leader-zhao' });
    const [dRow] = await database.db.select().from(noticeDecisions).where(eq(noticeDecisions.id, first.id));
    expect(dRow).toMatchObject({ status: 'taken', documentNumber: '测约〔2026〕1号', decidedBy: 'leader-zhao' });

    // Closing: the major notice closes on its only hazard; pending decisions lapse.
    await env.client.workflow.getHandle(noticeWorkflowId(major.noticeId)).signal(hazardOutcomeSignal, { hazardId: m1, outcome: 'closed', at: Date.now(), by: 'inspector-li' });
    expect(await major.handle.result()).toMatchObject({ status: 'closed', openHazards: 0 });
    const lapsed = await database.db.select().from(noticeDecisions).where(eq(noticeDecisions.noticeId, major.noticeId));
    expect(lapsed.filter((d) => d.id !== first.id).every((d) => d.status === 'lapsed')).toBe(true);

    // The general one closes only after its last hazard; a reopened hazard keeps it open.
    const sig = (hazardId: string, outcome: 'closed' | 'void' | 'reopened') => general.handle.signal(hazardOutcomeSignal, { hazardId, outcome, at: Date.now(), by: 'inspector-li' });
    await sig(g1, 'closed');
    await sig(g1, 'reopened');
    await sig(g2, 'void');
    expect((await general.handle.query(noticeStateQuery)).status).toBe('signed');
    await sig(g1, 'closed');
    expect(await general.handle.result()).toMatchObject({ status: 'closed' });
    expect((await timeline(general.noticeId)).map((e) => e.type).slice(-5)).toEqual(['hazard_closed', 'hazard_reopened', 'hazard_void', 'hazard_closed', 'closed']);
    expect(await database.db.select({ h: noticeHazards.hazardId, o: noticeHazards.outcome }).from(noticeHazards).where(eq(noticeHazards.noticeId, general.noticeId))).toEqual(
      expect.arrayContaining([{ h: g1, o: 'closed' }, { h: g2, o: 'void' }]),
    );
    expect(await verifyCaseChain(database.db, 'notice', general.noticeId)).toMatchObject({ broken: null });
  });

  it('refuses commands not allowed now in the validator, leaving no history; extends the deadline onto a new ladder segment', async () => {
    const start = shanghaiDate(await env.currentTimeMs());
    const h = await insertHazard('general');
    const { noticeId, handle, view } = await startNotice({ grade: 'general', hazardIds: [h], agency: agency() });
    const cal = await calendarAt(start);
    // No deadline given: the policy's rule, 10 working days from the issue date.
    expect(view.deadline).toBe(cal.addWorkingDays(start, 10).date);
    expect(view.deadlineRule).toMatchObject({ days: 10, unit: 'working' });
    const before = (await handle.fetchHistory()).events?.length ?? 0;

    expect((await refusal(handle.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已完成', by: 'sup' }] }))).type).toBe('StepNotAllowed');
    expect((await refusal(handle.executeUpdate(decideUpdate, { args: [{ decisionId: randomUUID(), outcome: 'declined', reason: 'x', by: 'l' }] }))).type).toBe('InvalidCommand');
    const bad = await refusal(handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDeadline: view.deadline, reason: '需时', by: 'sup' }] }));
    expect(bad.type).toBe('InvalidCommand');
    expect(bad.details).toEqual([{ field: 'newDeadline' }]);
    const added = ((await handle.fetchHistory()).events ?? []).slice(before);
    expect(added.every((e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes)).toBe(true);
    expect((await timeline(noticeId)).map((e) => e.type)).toEqual(['issued']);

    const later = addDays(view.deadline, 10);
    const extended = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDeadline: later, reason: '需外购设备', by: 'sup' }] });
    expect(extended).toMatchObject({ deadline: later, deadlineRule: null, next: { key: 'sign-escalation' } });
    await sleepUntil(dueInstant(later) + quietOffsetMs(noticeWorkflowId(noticeId)) + 1000);
    const keys = (await timeline(noticeId)).map((e) => e.stepKey);
    expect(keys).toEqual(['issued', 'ext-1/extended', 'sign-escalation', 'ext-1/overdue']);
    await handle.signal(hazardOutcomeSignal, { hazardId: h, outcome: 'closed', at: Date.now(), by: 'sup' });
    expect(await handle.result()).toMatchObject({ status: 'closed' });
  });

  it('closes a notice addressed to a government body without hazards only by confirmation', async () => {
    const { noticeId, handle } = await startNotice({ grade: 'general', hazardIds: [], addressee: true, agency: agency() });
    expect((await refusal(handle.executeUpdate(signNoticeUpdate, { args: [{ by: 'x' }] }))).type).toBe('StepNotAllowed');
    const closed = await handle.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已按要求落实', by: 'sup' }] });
    expect(closed.status).toBe('closed');
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    expect((await timeline(noticeId)).map((e) => [e.type, e.actor])).toEqual([
      ['issued', 'inspector-li'],
      ['closed', 'sup'],
    ]);
    const [row] = await database.db.select().from(notices).where(eq(notices.id, noticeId));
    expect(row).toMatchObject({ status: 'closed', enterpriseId: null, addressee: '测试镇人民政府', signDueAt: null });
  });

  it('settles at issue the hazards the read model already shows closed or void, and closes once none is open', async () => {
    const [closed, voided, open] = [await insertHazard('general', 'closed'), await insertHazard('general', 'void'), await insertHazard('general')];
    const settledNow = await startNotice({ grade: 'general', hazardIds: [closed, voided], agency: agency() });
    expect(await settledNow.handle.result()).toMatchObject({ status: 'closed', openHazards: 0 });
    expect((await timeline(settledNow.noticeId)).map((e) => [e.stepKey, e.type, e.actor, e.data])).toEqual([
      ['issued', 'issued', 'inspector-li', expect.objectContaining({ hazardIds: [closed, voided] })],
      ['hazard-' + closed + '/2', 'hazard_closed', 'system', { hazardId: closed, outcome: 'closed', atIssue: true }],
      ['hazard-' + voided + '/3', 'hazard_void', 'system', { hazardId: voided, outcome: 'void', atIssue: true }],
      ['closed', 'closed', 'system', { because: 'hazards_settled', lapsedDecisions: [] }],
    ]);
    const outcomes = await database.db.select({ h: noticeHazards.hazardId, o: noticeHazards.outcome }).from(noticeHazards).where(eq(noticeHazards.noticeId, settledNow.noticeId));
    expect(outcomes).toEqual(expect.arrayContaining([{ h: closed, o: 'closed' }, { h: voided, o: 'void' }]));

    // A hazard still open (its workflow not running, the read model unchanged) keeps the notice open.
    const waiting = await startNotice({ grade: 'general', hazardIds: [closed, open], agency: agency() });
    expect(waiting.view).toMatchObject({ status: 'issued', openHazards: 1 });
    expect((await timeline(waiting.noticeId)).map((e) => e.type)).toEqual(['issued', 'hazard_closed']);
    await waiting.handle.signal(hazardOutcomeSignal, { hazardId: open, outcome: 'closed', at: Date.now(), by: 'sup' });
    expect(await waiting.handle.result()).toMatchObject({ status: 'closed' });
  });

  it('continues as new when history grows, keeping its state and numbering, repeating no step', async () => {
    const start = shanghaiDate(await env.currentTimeMs());
    const h = await insertHazard('general');
    const name = agency();
    const noticeId = randomUUID();
    const deadline = addDays(start, 3);
    const input: NoticeWorkflowInput = {
      notice: { noticeId, enterpriseId, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [h], deadline, rule: DEFAULT_POLICIES.general.deadline! },
      issue: {
        agency: name, enterpriseId, addressee: null, addresseeRegionId: null, regionPath: '/x/', title: '督促整改', requirements: '按期整改',
        legalBasis: '《中华人民共和国安全生产法》第六十五条', grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'inspector-li', hazardIds: [h],
      },
      historyLimit: 20,
    };
    const handle = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [input] });
    await handle.executeUpdate(noticeIssuedUpdate);
    const firstRun = (await handle.describe()).runId;
    const cal = await calendarAt(start);
    const plan = planLadder(cal, deadline, DEFAULT_NOTICE_POLICIES.general, 'working', 0);
    await sleepUntil(plan.find((s) => s.key === 'ladder-directive')!.at + 60_000);
    const latest = env.client.workflow.getHandle(noticeWorkflowId(noticeId));
    expect((await latest.describe()).runId).not.toBe(firstRun);
    const view = await latest.query(noticeStateQuery);
    expect(view).toMatchObject({ code: `${name}〔${start.slice(0, 4)}〕1号`, ladderLevel: 4 });
    expect(view.instruments).toHaveLength(4);
    const keys = (await timeline(noticeId)).map((e) => e.stepKey);
    expect(new Set(keys).size).toBe(keys.length);
    // The sign-by day may fall before or after a deadline three days on, depending on the weekday.
    expect([...keys].sort()).toEqual(['issued', 'sign-escalation', 'overdue', 'ladder-reminder_card', 'ladder-list', 'ladder-supervision_letter', 'ladder-directive'].sort());
    expect(keys.filter((k) => k.startsWith('ladder-'))).toEqual(['ladder-reminder_card', 'ladder-list', 'ladder-supervision_letter', 'ladder-directive']);
    await latest.signal(hazardOutcomeSignal, { hazardId: h, outcome: 'closed', at: Date.now(), by: 'sup' });
    expect(await latest.result()).toMatchObject({ status: 'closed' });
  });

  it('keeps every hazard outcome that arrives while it continues as new, and closes once all are in', async () => {
    const hazardIds = await Promise.all(Array.from({ length: 6 }, () => insertHazard('general')));
    const noticeId = randomUUID();
    const start = shanghaiDate(await env.currentTimeMs());
    const input: NoticeWorkflowInput = {
      notice: { noticeId, enterpriseId, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds, deadline: addDays(start, 20), rule: DEFAULT_POLICIES.general.deadline! },
      issue: {
        agency: agency(), enterpriseId, addressee: null, addresseeRegionId: null, regionPath: '/x/', title: '督促整改', requirements: '按期整改',
        legalBasis: '《中华人民共和国安全生产法》第六十五条', grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'inspector-li', hazardIds,
      },
      // Every change past the first few events continues as new: outcomes keep arriving while it does.
      historyLimit: 1,
    };
    const handle = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [input] });
    await handle.executeUpdate(noticeIssuedUpdate);
    const latest = env.client.workflow.getHandle(noticeWorkflowId(noticeId));
    for (const hazardId of hazardIds) {
      await latest.signal(hazardOutcomeSignal, { hazardId, outcome: 'closed', at: Date.now(), by: 'sup' });
      await new Promise((r) => setTimeout(r, 15));
    }
    const closed = await Promise.race([latest.result(), new Promise((r) => setTimeout(() => r('still open'), 20_000))]);
    expect(closed).toMatchObject({ status: 'closed' });
    const settled = (await timeline(noticeId)).filter((e) => e.type === 'hazard_closed').map((e) => (e.data as { hazardId: string }).hazardId);
    expect([...settled].sort()).toEqual([...hazardIds].sort());
    const rows = await database.db.select().from(noticeHazards).where(eq(noticeHazards.noticeId, noticeId));
    expect(rows.map((r) => r.outcome).sort()).toEqual(hazardIds.map(() => 'closed'));
  });

  it('recounts a provisional deadline when its year of the calendar is published, moving its timers and recording the change', async () => {
    const start = shanghaiDate(await env.currentTimeMs());
    const known = await createCalendarActivities(database.db).calendarYears(yearsFrom(start));
    const cal = new WorkCalendar(known);
    const h = await insertHazard('major');
    // Major: 30 working days from the issue date, which reaches into a year without data.
    const { noticeId, handle, view } = await startNotice({ grade: 'major', hazardIds: [h], agency: agency() });
    const before = cal.addWorkingDays(start, 30);
    expect(before.provisional).toBe(true);
    expect(view).toMatchObject({ deadline: before.date, provisional: true });

    // The year is published with a holiday on a working day before the deadline: it moves one day on.
    const year = Number(before.date.slice(0, 4));
    let holiday = `${year}-01-01`;
    while (weekday(holiday) === 0 || weekday(holiday) === 6 || holiday < addDays(start, 1)) holiday = addDays(holiday, 1);
    const published: YearCalendar = { year, source: 'test', holidays: [{ date: holiday, name: '测试假日' }], workdays: [] };
    await handle.signal(calendarChangedSignal, published);
    const after = countDays(new WorkCalendar([...known, published]), start, 30, 'working');
    expect(after.date).toBe(addDays(before.date, weekday(before.date) === 5 ? 3 : 1));
    let moved = await handle.query(noticeStateQuery);
    for (let i = 0; i < 50 && moved.deadline === before.date; i++) moved = await handle.query(noticeStateQuery);
    expect(moved).toMatchObject({ deadline: after.date, provisional: after.provisional });
    // The state moves first; its record lands through the activity just after.
    let events = await timeline(noticeId);
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'deadline_recomputed'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      events = await timeline(noticeId);
    }
    expect(events.find((e) => e.type === 'deadline_recomputed'), JSON.stringify(events.map((e) => [e.type, e.data]))).toMatchObject({ type: 'deadline_recomputed', data: { year, moved: expect.arrayContaining([{ what: 'deadline', from: before.date, to: after.date }]) } });
    const [row] = await database.db.select().from(notices).where(eq(notices.id, noticeId));
    expect(row).toMatchObject({ deadline: after.date });
    // The overdue moment follows the new deadline.
    expect(moved.next).toMatchObject({ kind: 'sign_escalation' });
    await handle.executeUpdate(signNoticeUpdate, { args: [{ by: 'ent' }] });
    expect((await handle.query(noticeStateQuery)).next).toMatchObject({ kind: 'overdue', at: dueInstant(after.date) });
    await handle.signal(hazardOutcomeSignal, { hazardId: h, outcome: 'closed', at: Date.now(), by: 'sup' });
    expect(await handle.result()).toMatchObject({ status: 'closed' });
  });
});
