/**
 * A year published after a workflow started, reaching a date counted later: a hazard registered
 * in October and rejected with a January deadline after the next year was published (the
 * publication told only workflows provisional at that moment), a notice whose deadline moves into
 * that year. Each fetches the year it lacks before planning, and counts the festival.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTimeline } from '../../db/case-events';
import { calendarYearsAmong, importCalendarYear } from '../../db/calendar';
import type { NewHazard } from '../../domain/hazard-lifecycle';
import { planLadder } from '../../domain/notice-schedule';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES, type HazardPolicy } from '../../domain/policy';
import { addDays, dueInstant, shanghaiInstant, type IsoDate } from '../../domain/shanghai-time';
import { weekday, WorkCalendar, type YearCalendar } from '../../domain/work-calendar';
import {
  hazardStateQuery,
  hazardWorkflowId,
  registeredUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from '../../workflows/hazard.messages';
import { extendDeadlineUpdate, noticeIssuedUpdate, noticeStateQuery, noticeWorkflowId, type NoticeWorkflowInput } from '../../workflows/notice.messages';
import type { TestDatabase } from '../support/database';
import { startTimeSkippingWorld, type TimeSkippingWorld } from '../support/time-skipping-world';
import { REGISTRATION, eventsOf as recordedEvents, sleepUntil as sleepClockUntil, expectAt } from '../support/workflow-steps';

let world: TimeSkippingWorld;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let enterpriseId: string;
let taskQueue: string;
/** The year the tests start in (10 October), and the next one, published while they run. */
let year: number;

beforeAll(async () => {
  world = await startTimeSkippingWorld('calendar-years');
  ({ env, database, enterpriseId, taskQueue } = world);
  const now = await env.currentTimeMs();
  year = new Date(now).getUTCFullYear();
  if (now >= shanghaiInstant(`${year}-10-01`, 0)) year += 1;
  await sleepClockUntil(env, shanghaiInstant(`${year}-10-10`, 10));
  // This year as published, without holidays in the weeks the tests look at.
  await importCalendarYear(database.db, 'admin', plainYear(year));
});

afterAll(async () => world?.stop());

const plainYear = (y: number): YearCalendar => ({ year: y, source: 'test fixture', holidays: [], workdays: [] });

/** A fixture shaped like a published year (not official data): ten days off right after `from`. */
function festivalAfter(from: IsoDate): YearCalendar {
  const holidays = Array.from({ length: 10 }, (_, i) => ({ date: addDays(from, i + 1), name: '春节' }));
  return { year: Number(from.slice(0, 4)), source: 'test fixture', holidays, workdays: [] };
}

/** The first weekday on or after the day. */
function weekdayFrom(date: IsoDate): IsoDate {
  let d = date;
  while (weekday(d) === 0 || weekday(d) === 6) d = addDays(d, 1);
  return d;
}

const WORKING: HazardPolicy = {
  reminderDaysBefore: [],
  dayUnit: 'working',
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor' },
    { afterDays: 2, level: 2, recipientRole: 'supervisor_chief' },
  ],
};

async function startHazard(hazard: Omit<NewHazard, 'hazardId' | 'enterpriseId'>) {
  const hazardId = randomUUID();
  const input: HazardWorkflowInput = { hazard: { hazardId, enterpriseId, ...hazard }, registration: REGISTRATION };
  const handle = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(hazardId), taskQueue, args: [input] });
  await handle.executeUpdate(registeredUpdate);
  return { hazardId, handle };
}


describe('a year published after the workflow started', () => {
  it('a rejection’s new round counts the festival of a year published since the hazard started', async () => {
    // Registered in October on this year alone; nothing it plans reaches the next year.
    const { hazardId, handle } = await startHazard({ grade: 'general', policy: WORKING, deadline: `${year}-10-20`, calendar: [plainYear(year)] });
    expect((await handle.query(hazardStateQuery)).provisional).toBe(false);
    await handle.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], by: 'enterprise-wang' }] });

    // The next year is published; the hazard was not provisional then, so nobody told it.
    const newDeadline = weekdayFrom(`${year + 1}-01-14`);
    const published = festivalAfter(newDeadline);
    await importCalendarYear(database.db, 'admin', published);

    const rejected = await handle.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['照片不清晰'], newDeadline, by: 'inspector-li' }] });
    expect(rejected).toMatchObject({ round: 2, deadline: newDeadline, provisional: false });

    const calendar = new WorkCalendar([plainYear(year), published]);
    const first = calendar.addWorkingDays(newDeadline, 1).date;
    const second = calendar.addWorkingDays(newDeadline, 2).date;
    expect(first > addDays(newDeadline, 10)).toBe(true);
    await sleepClockUntil(env, shanghaiInstant(second, 10));
    const escalations = (await recordedEvents(database.db, hazardId)).filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => e.stepKey)).toEqual(['round-2/escalation-1d', 'round-2/escalation-2d']);
    expectAt(escalations[0], shanghaiInstant(first, 9));
    expectAt(escalations[1], shanghaiInstant(second, 9));
  });

  it('a notice’s moved deadline runs its ladder on a year published since the notice was issued', async () => {
    const now = await env.currentTimeMs();
    const noticeId = randomUUID();
    const policy = DEFAULT_NOTICE_POLICIES.general;
    const from = new Date(now).getUTCFullYear();
    const input: NoticeWorkflowInput = {
      notice: { noticeId, enterpriseId: null, grade: 'general', policy, dayUnit: 'working', hazardIds: [], deadline: `${from}-12-01`, rule: DEFAULT_POLICIES.general.deadline! },
      issue: {
        agency: `测${noticeId.slice(0, 6)}应急`, enterpriseId: null, addressee: '测试镇人民政府', addresseeRegionId: null, regionPath: '/x/', title: '督促整改',
        requirements: '按期整改', legalBasis: '《中华人民共和国安全生产法》第六十五条', grade: 'general', policy, policyId: null, issuedBy: 'inspector-li', hazardIds: [],
      },
    };
    const handle = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [input] });
    await handle.executeUpdate(noticeIssuedUpdate);

    const newDeadline = weekdayFrom(`${from + 1}-03-10`);
    const published = festivalAfter(newDeadline);
    await importCalendarYear(database.db, 'admin', published);
    const extended = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ newDeadline, reason: '春节前停工', by: 'inspector-li' }] });
    expect(extended).toMatchObject({ deadline: newDeadline });

    const ladder = planLadder(new WorkCalendar([published]), newDeadline, policy, 'working', 1);
    const card = ladder.find((s) => s.kind === 'instrument')!;
    expect(card.at).toBeGreaterThan(dueInstant(addDays(newDeadline, 10)));
    expect((await handle.query(noticeStateQuery)).next).toMatchObject({ kind: 'overdue' });
    await sleepClockUntil(env, card.at + 60_000);
    const issued = (await caseTimeline(database.db, 'notice', noticeId)).filter((e) => e.type === 'instrument_issued');
    expect(issued.map((e) => e.stepKey)).toEqual(['ext-1/ladder-reminder_card']);
    expectAt(issued[0], card.at);
  });

  it('a notice’s ladder counted into a year without data asks for it before each step, and follows the year published since', async () => {
    const now = await env.currentTimeMs();
    const from = new Date(now).getUTCFullYear();
    if (!(await calendarYearsAmong(database.db, [from])).length) await importCalendarYear(database.db, 'admin', plainYear(from));
    const [held] = await calendarYearsAmong(database.db, [from]);
    let deadline = `${from}-12-31`;
    while (weekday(deadline) === 0 || weekday(deadline) === 6) deadline = addDays(deadline, -1);
    const noticeId = randomUUID();
    const policy = DEFAULT_NOTICE_POLICIES.general;
    const input: NoticeWorkflowInput = {
      notice: { noticeId, enterpriseId: null, grade: 'general', policy, dayUnit: 'working', hazardIds: [], deadline, rule: DEFAULT_POLICIES.general.deadline! },
      issue: {
        agency: `测${noticeId.slice(0, 6)}应急`, enterpriseId: null, addressee: '测试镇人民政府', addresseeRegionId: null, regionPath: '/x/', title: '督促整改',
        requirements: '按期整改', legalBasis: '《中华人民共和国安全生产法》第六十五条', grade: 'general', policy, policyId: null, issuedBy: 'inspector-li', hazardIds: [],
      },
    };
    const handle = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [input] });
    // The deadline is known; only the ladder after it reaches the next year: later steps are provisional, the deadline is not.
    expect(await handle.executeUpdate(noticeIssuedUpdate)).toMatchObject({ deadline, deadlineProvisional: false, laterStepsProvisional: true });

    // Published without a signal to this notice: the festival takes the first ten days of the year.
    const published = festivalAfter(`${from}-12-31`);
    published.year = from + 1;
    await importCalendarYear(database.db, 'admin', published);
    const ladder = planLadder(new WorkCalendar([held!, published]), deadline, policy, 'working', 0);
    const card = ladder.find((s) => s.kind === 'instrument')!;
    expect(card.at).toBeGreaterThan(dueInstant(`${from + 1}-01-10`));
    await sleepClockUntil(env, card.at + 60_000);
    const events = await caseTimeline(database.db, 'notice', noticeId);
    expect(events.filter((e) => e.type === 'instrument_issued').map((e) => e.stepKey)).toEqual(['ladder-reminder_card']);
    expectAt(events.find((e) => e.type === 'instrument_issued'), card.at);
    expect(events.find((e) => e.type === 'calendar_applied')).toMatchObject({ stepKey: expect.stringMatching(new RegExp(`^calendar-${from + 1}/`)) });
  });
});
