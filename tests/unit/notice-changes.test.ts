/**
 * The events each notice change returns: the payloads and step keys the workflow records as they
 * are. Both are a persisted schema (hashed into the case's chain, keying the recording's
 * idempotency), so the literals below are the schema, not examples. Refusals stay with the
 * check functions (notice-lifecycle.test.ts): a change is applied only to a command they let by.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  calendarChange,
  confirmationChange,
  decisionChange,
  extensionChange,
  hazardOutcomeChange,
  instrumentNumbered,
  issuedChange,
  noticeNumbered,
  settledAtIssueChange,
  settledChange,
  signChange,
  stepChange,
  withYears,
  yearFetchedEvent,
  type NoticeIssue,
} from '../../domain/notice-changes';
import {
  close,
  decide,
  extendDeadline,
  fireNoticeStep,
  initialNoticeState,
  nextNoticeStep,
  recalendar,
  settleHazard,
  sign,
  type NewNotice,
  type NoticeState,
} from '../../domain/notice-lifecycle';
import { noticeYearsWanted } from '../../domain/notice-years';
import { decisionText, instrumentText, signEscalationText } from '../../domain/notice-text';
import { DEFAULT_NOTICE_POLICIES } from '../../domain/policy-defaults';
import type { DeadlineRule } from '../../domain/policy-types';
import { dueInstant, shanghaiInstant } from '../../domain/shanghai-time';
import type { YearCalendar } from '../../domain/work-calendar';

const Y2026: YearCalendar = JSON.parse(readFileSync(new URL('../../domain/calendars/cn-2026.json', import.meta.url), 'utf8'));
/** 2027 as published in these tests: New Year's Day off, nothing else. */
const Y2027: YearCalendar = { year: 2027, source: 'test', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] };
const RULE: DeadlineRule = { days: 10, unit: 'working', legalBasis: '《中华人民共和国安全生产法》第六十五条' };
const ISSUED_AT = shanghaiInstant('2026-04-28', 10);
const TITLE = '配电箱未接地';
const CODE = '甲县应急〔2026〕1号';

const NOTICE: NewNotice = {
  noticeId: 'n1',
  enterpriseId: 'e1',
  grade: 'general',
  policy: DEFAULT_NOTICE_POLICIES.general,
  dayUnit: 'working',
  hazardIds: ['h1', 'h2'],
  rule: RULE,
};

const ISSUE: NoticeIssue = {
  agency: '甲县应急',
  enterpriseId: 'e1',
  addressee: null,
  addresseeRegionId: null,
  regionPath: '/1/2',
  title: TITLE,
  requirements: '立即整改',
  legalBasis: RULE.legalBasis,
  grade: 'general',
  policy: DEFAULT_NOTICE_POLICIES.general,
  policyId: null,
  issuedBy: 'sup-a',
  hazardIds: ['h1', 'h2'],
};

/** Issued on 2026-04-28 at 10:00 Shanghai and numbered. */
function issued(extra: Partial<NewNotice> = {}, at = ISSUED_AT, years = [Y2026]): NoticeState {
  return noticeNumbered(initialNoticeState({ ...NOTICE, ...extra }, years, at), CODE);
}

/** Signed in time, due 2026-04-30, with every step up to `until` fired and the decisions opened under `d-<key>`. */
function overdue(until: number): NoticeState {
  let s = sign(issued({ deadline: '2026-04-30' }), { by: 'ent' }, shanghaiInstant('2026-04-29', 8));
  for (let step = nextNoticeStep(s); step && step.at <= until; step = nextNoticeStep(s)) s = stepChange(s, step, TITLE, step.at, `d-${step.key}`).state;
  return s;
}

const NOW = shanghaiInstant('2026-04-29', 11);
const at9 = (d: string) => shanghaiInstant(d, 9);

describe('issuing', () => {
  it('records the deadline, its rule, the sign-by date, grade, hazards and agency, with what the issue writes', () => {
    const { state, events } = issuedChange(NOTICE, [Y2026], ISSUE, ISSUED_AT);
    expect(state).toEqual(initialNoticeState(NOTICE, [Y2026], ISSUED_AT));
    expect(events).toEqual([
      {
        key: 'issued',
        event: {
          type: 'issued',
          actor: 'sup-a',
          occurredAt: ISSUED_AT,
          data: { deadline: '2026-05-14', deadlineRule: RULE, provisional: false, signDue: '2026-04-30', grade: 'general', hazardIds: ['h1', 'h2'], agency: '甲县应急' },
        },
        issue: ISSUE,
      },
    ]);
  });

  it('has no sign-by date for a government body, and says when the deadline was counted into a year without data', () => {
    const gov = issuedChange({ ...NOTICE, enterpriseId: null, hazardIds: [], deadline: '2026-05-20' }, [Y2026], { ...ISSUE, enterpriseId: null, addressee: '乙镇' }, ISSUED_AT);
    expect(gov.events[0]!.event.data).toEqual({ deadline: '2026-05-20', deadlineRule: null, provisional: false, signDue: null, grade: 'general', hazardIds: [], agency: '甲县应急' });
    const late = shanghaiInstant('2026-12-28', 10);
    expect(issuedChange(NOTICE, [Y2026], ISSUE, late).events[0]!.event.data).toMatchObject({ deadline: '2027-01-11', provisional: true });
  });

  it('takes the number its first record issued; a record that issued none leaves it blank', () => {
    const s = initialNoticeState(NOTICE, [Y2026], ISSUED_AT);
    expect(noticeNumbered(s, CODE)).toEqual({ ...s, code: CODE });
    expect(noticeNumbered(s, null).code).toBe('');
  });
});

describe('commands', () => {
  it('a signature records whether it came late and the sign-by date', () => {
    const s = issued();
    const inTime = signChange(s, { by: 'ent' }, NOW);
    expect(inTime.state).toEqual(sign(s, { by: 'ent' }, NOW));
    expect(inTime.events).toEqual([{ key: 'signed', event: { type: 'signed', actor: 'ent', occurredAt: NOW, data: { late: false, signDue: '2026-04-30' } } }]);
    const after = dueInstant('2026-04-30') + 1000;
    expect(signChange(s, { by: 'ent' }, after).events[0]!.event).toEqual({ type: 'signed', actor: 'ent', occurredAt: after, data: { late: true, signDue: '2026-04-30' } });
  });

  it('a decision is keyed by the step that opened it and its outcome, and carries what the decision row takes', () => {
    const s = overdue(at9('2026-06-01'));
    const id = 'd-decision-warning_interview';
    const cmd = { decisionId: id, outcome: 'taken' as const, documentNumber: ' 甲县应急约〔2026〕3号 ', reason: ' 逾期未改 ', by: 'leader' };
    const taken = decisionChange(s, cmd, NOW);
    expect(taken.state).toEqual(decide(s, cmd, NOW));
    expect(taken.events).toEqual([
      {
        key: 'decision-warning_interview/taken',
        event: { type: 'decision_taken', actor: 'leader', occurredAt: NOW, data: { decisionId: id, kind: 'warning_interview', documentNumber: '甲县应急约〔2026〕3号', reason: '逾期未改' } },
        decisionDecided: { id, status: 'taken', documentNumber: '甲县应急约〔2026〕3号', reason: '逾期未改', decidedBy: 'leader', decidedAt: NOW },
      },
    ]);
    const declined = decisionChange(s, { decisionId: id, outcome: 'declined', documentNumber: '不用', reason: '已整改', by: 'leader' }, NOW);
    expect(declined.events).toEqual([
      {
        key: 'decision-warning_interview/declined',
        event: { type: 'decision_declined', actor: 'leader', occurredAt: NOW, data: { decisionId: id, kind: 'warning_interview', documentNumber: null, reason: '已整改' } },
        decisionDecided: { id, status: 'declined', documentNumber: null, reason: '已整改', decidedBy: 'leader', decidedAt: NOW },
      },
    ]);
  });

  it('an extension records the deadline it moved from and to, keyed by its segment', () => {
    const s = overdue(at9('2026-05-06'));
    const cmd = { newDeadline: '2026-05-29', reason: ' 需外购设备 ', by: 'sup-a' };
    const first = extensionChange(s, cmd, [], NOW);
    expect(first.state).toEqual(extendDeadline(s, cmd));
    expect(first.events).toEqual([
      { key: 'ext-1/extended', event: { type: 'deadline_extended', actor: 'sup-a', occurredAt: NOW, data: { from: '2026-04-30', to: '2026-05-29', reason: '需外购设备' } } },
    ]);
    const second = extensionChange(first.state, { ...cmd, newDeadline: '2026-06-30' }, [], NOW);
    expect(second.events[0]).toMatchObject({ key: 'ext-2/extended', event: { data: { from: '2026-05-29', to: '2026-06-30' } } });
  });

  it('an extension takes in the years fetched for its moved dates after the move, recording only the move', () => {
    const s = issued({ deadline: '2026-12-01' });
    const cmd = { newDeadline: '2026-12-30', reason: '年底停工', by: 'sup-a' };
    const moved = extendDeadline(s, cmd);
    // The ladder against 12-30 reaches into 2027, which the notice lacked.
    expect(noticeYearsWanted(moved)).toEqual([2027]);
    const { state, events } = extensionChange(s, cmd, [Y2027], NOW);
    expect(state).toEqual(recalendar(moved, Y2027).state);
    expect(state.calendar.map((y) => y.year)).toEqual([2026, 2027]);
    expect(state.seq).toBe(s.seq + 2);
    expect(events).toEqual([{ key: 'ext-1/extended', event: { type: 'deadline_extended', actor: 'sup-a', occurredAt: NOW, data: { from: '2026-12-01', to: '2026-12-30', reason: '年底停工' } } }]);
    expect(withYears(moved, [])).toBe(moved);
  });

  it('a confirmation closes a notice without hazards, with its reason and no decision to lapse', () => {
    const s = issued({ enterpriseId: null, hazardIds: [], deadline: '2026-05-20' });
    const { state, events } = confirmationChange(s, { reason: ' 已落实 ', by: 'sup-a' }, NOW);
    expect(state).toEqual(close(s, NOW, 'sup-a'));
    expect(events).toEqual([
      {
        key: 'closed',
        event: { type: 'closed', actor: 'sup-a', occurredAt: NOW, data: { because: 'completion_confirmed', reason: '已落实', lapsedDecisions: [] } },
        decisionsLapsed: [],
      },
    ]);
  });
});

describe('hazard outcomes and closing', () => {
  const outcome = (hazardId: string, o: 'closed' | 'void' | 'reopened', by = 'sup-a') => ({ hazardId, outcome: o, at: NOW - 5000, by });

  it('records a hazard closed, void or reopened under the seq it left, with its settlement', () => {
    const s = issued();
    const closed = hazardOutcomeChange(s, outcome('h1', 'closed'), NOW);
    expect(closed.state).toEqual(settleHazard(s, 'h1', 'closed'));
    expect(closed.events).toEqual([
      {
        key: `hazard-h1/${s.seq + 1}`,
        event: { type: 'hazard_closed', actor: 'sup-a', occurredAt: NOW, data: { hazardId: 'h1', outcome: 'closed', at: NOW - 5000 } },
        hazardOutcome: { hazardId: 'h1', outcome: 'closed' },
      },
    ]);
    const reopened = hazardOutcomeChange(closed.state, outcome('h1', 'reopened', ''), NOW);
    expect(reopened.events).toEqual([
      {
        key: `hazard-h1/${s.seq + 2}`,
        event: { type: 'hazard_reopened', actor: 'system', occurredAt: NOW, data: { hazardId: 'h1', outcome: 'reopened', at: NOW - 5000 } },
        hazardOutcome: { hazardId: 'h1', outcome: 'open' },
      },
    ]);
    expect(hazardOutcomeChange(s, outcome('h2', 'void'), NOW).events[0]).toMatchObject({ event: { type: 'hazard_void' }, hazardOutcome: { hazardId: 'h2', outcome: 'void' } });
  });

  it('records nothing for an outcome that changes nothing: a hazard not on the notice, the same outcome twice, a closed notice', () => {
    const s = issued();
    for (const [state, o] of [
      [s, outcome('h9', 'closed')],
      [s, outcome('h1', 'reopened')],
      [settleHazard(s, 'h1', 'closed'), outcome('h1', 'closed')],
      [close(s, NOW, 'system'), outcome('h1', 'closed')],
    ] as const) {
      const change = hazardOutcomeChange(state, o, NOW);
      expect(change.state).toBe(state);
      expect(change.events).toEqual([]);
    }
  });

  it('settles a hazard found closed or void at issue, as the system; any other status changes nothing', () => {
    const s = issued();
    const found = settledAtIssueChange(s, 'h2', 'void', NOW);
    expect(found.state).toEqual(settleHazard(s, 'h2', 'void'));
    expect(found.events).toEqual([
      {
        key: `hazard-h2/${s.seq + 1}`,
        event: { type: 'hazard_void', actor: 'system', occurredAt: NOW, data: { hazardId: 'h2', outcome: 'void', atIssue: true } },
        hazardOutcome: { hazardId: 'h2', outcome: 'void' },
      },
    ]);
    for (const status of ['rectifying', 'under_review', 'missing']) {
      expect(settledAtIssueChange(s, 'h1', status, NOW)).toEqual({ state: s, events: [] });
    }
    expect(settledAtIssueChange(found.state, 'h2', 'void', NOW).events).toEqual([]);
  });

  it('closes by itself once its hazards are settled, lapsing the decisions still pending', () => {
    let s = overdue(at9('2026-06-15'));
    s = decide(s, { decisionId: 'd-decision-warning_interview', outcome: 'declined', reason: '已约谈', by: 'leader' }, NOW);
    s = settleHazard(settleHazard(s, 'h1', 'closed'), 'h2', 'void');
    const { state, events } = settledChange(s, NOW);
    expect(state).toEqual(close(s, NOW, 'system'));
    expect(state.decisions.map((d) => d.status)).toEqual(['declined', 'lapsed']);
    expect(events).toEqual([
      {
        key: 'closed',
        event: { type: 'closed', actor: 'system', occurredAt: NOW, data: { because: 'hazards_settled', lapsedDecisions: ['d-decision-penalty'] } },
        decisionsLapsed: ['d-decision-penalty'],
      },
    ]);
  });
});

describe('calendar years', () => {
  const late = shanghaiInstant('2026-12-28', 10);

  it('records a deadline recounted on a published year with what moved', () => {
    const s = issued({}, late);
    const { state, events } = calendarChange(s, Y2027, NOW);
    expect(state).toEqual(recalendar(s, Y2027).state);
    expect(events).toEqual([
      {
        key: `calendar-2027/${s.seq + 1}`,
        event: { type: 'deadline_recomputed', actor: 'system', occurredAt: NOW, data: { year: 2027, moved: [{ what: 'deadline', from: '2027-01-11', to: '2027-01-12' }] } },
      },
    ]);
  });

  it('records a year applied to provisional dates that did not move, with whether any still are', () => {
    const s = issued({}, late);
    const noHoliday: YearCalendar = { year: 2027, source: 'test', holidays: [], workdays: [] };
    expect(calendarChange(s, noHoliday, NOW).events).toEqual([
      { key: `calendar-2027/${s.seq + 1}`, event: { type: 'calendar_applied', actor: 'system', occurredAt: NOW, data: { year: 2027, provisional: false } } },
    ]);
  });

  it('takes in a year silently when no date of the notice was provisional', () => {
    const s = issued();
    const { state, events } = calendarChange(s, Y2027, NOW);
    expect(events).toEqual([]);
    expect(state).toEqual(recalendar(s, Y2027).state);
  });

  it('records a year fetched before a step against the state it left', () => {
    const s = withYears(issued({}, late), [Y2027]);
    expect(yearFetchedEvent(s, 2027, NOW)).toEqual({
      key: `calendar-2027/${s.seq}`,
      event: { type: 'calendar_applied', actor: 'system', occurredAt: NOW, data: { year: 2027, provisional: false } },
    });
  });
});

describe('due steps', () => {
  it('an unsigned notice escalates to whom the policy names, in words naming the notice and its sign-by date', () => {
    const s = issued({ deadline: '2026-05-20' });
    const step = nextNoticeStep(s)!;
    const when = step.at + 60_000;
    const { state, events } = stepChange(s, step, TITLE, when);
    expect(state).toEqual(fireNoticeStep(s, step));
    expect(events).toEqual([
      {
        key: 'sign-escalation',
        event: { type: 'sign_escalated', actor: 'system', occurredAt: when, data: { signDue: '2026-04-30', recipientRole: 'supervisor_chief', scheduledAt: step.at } },
        notification: { kind: 'sign_escalation', recipientRole: 'supervisor_chief', message: signEscalationText(CODE, TITLE, '2026-04-30'), scheduledAt: step.at },
      },
    ]);
  });

  it('the overdue mark, each instrument (numbered by its record) and each decision opened under the id given', () => {
    let s = sign(issued({ deadline: '2026-04-30' }), { by: 'ent' }, NOW);
    const seen = new Map<string, unknown>();
    for (let step = nextNoticeStep(s); step && step.at <= at9('2026-06-01'); step = nextNoticeStep(s)) {
      const decisionId = step.kind === 'decision' ? 'dec-1' : undefined;
      const change = stepChange(s, step, TITLE, step.at + 1, decisionId);
      expect(change.state).toEqual(fireNoticeStep(s, step, { decisionId }));
      seen.set(step.key, change.events);
      s = change.state;
    }
    expect([...seen.keys()]).toEqual(['overdue', 'ladder-reminder_card', 'ladder-list', 'ladder-supervision_letter', 'ladder-directive', 'decision-warning_interview']);
    const overdueAt = dueInstant('2026-04-30');
    expect(seen.get('overdue')).toEqual([{ key: 'overdue', event: { type: 'became_overdue', actor: 'system', occurredAt: overdueAt + 1, data: { deadline: '2026-04-30' } } }]);
    const card = at9('2026-05-06');
    expect(seen.get('ladder-reminder_card')).toEqual([
      {
        key: 'ladder-reminder_card',
        event: { type: 'instrument_issued', actor: 'system', occurredAt: card + 1, data: { instrument: 'reminder_card', recipientRole: 'enterprise', level: 1, afterDays: 1, scheduledAt: card } },
        instrument: { kind: 'reminder_card', recipientRole: 'enterprise' },
        notification: { kind: 'reminder_card', recipientRole: 'enterprise', message: instrumentText('reminder_card', '{code}', CODE, TITLE, '2026-04-30', 1), scheduledAt: card },
      },
    ]);
    expect(seen.get('ladder-directive')).toMatchObject([{ event: { data: { instrument: 'directive', recipientRole: 'county_leader', level: 4 } }, instrument: { kind: 'directive', recipientRole: 'county_leader' } }]);
    const opened = at9('2026-06-01');
    expect(seen.get('decision-warning_interview')).toEqual([
      {
        key: 'decision-warning_interview',
        event: { type: 'decision_opened', actor: 'system', occurredAt: opened + 1, data: { decisionId: 'dec-1', kind: 'warning_interview', deciderRole: 'county_leader', afterDays: 20, scheduledAt: opened } },
        decisionOpened: { id: 'dec-1', kind: 'warning_interview', deciderRole: 'county_leader', openedAt: opened },
        notification: { kind: 'decision', recipientRole: 'county_leader', message: decisionText('warning_interview', CODE, TITLE, '2026-04-30', 20), scheduledAt: opened },
      },
    ]);
    expect(s.decisions.map((d) => [d.id, d.status])).toEqual([['dec-1', 'pending']]);
  });

  it('an instrument takes the number its record issued, leaving the others as they are', () => {
    const s = overdue(at9('2026-05-08'));
    expect(s.instruments.map((i) => i.code)).toEqual(['', '']);
    const numbered = instrumentNumbered(s, 'ladder-list', '甲县应急单〔2026〕7号');
    expect(numbered.instruments.map((i) => [i.stepKey, i.code])).toEqual([
      ['ladder-reminder_card', ''],
      ['ladder-list', '甲县应急单〔2026〕7号'],
    ]);
    expect(instrumentNumbered(s, 'ladder-list', null).instruments[1]!.code).toBe('');
  });

  it('a decision step needs the id the workflow gives it', () => {
    const s = overdue(at9('2026-05-31'));
    const step = nextNoticeStep(s)!;
    expect(step.kind).toBe('decision');
    expect(() => stepChange(s, step, TITLE, step.at)).toThrow(/decision-warning_interview/);
  });
});
