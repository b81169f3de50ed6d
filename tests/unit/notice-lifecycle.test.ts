/** A supervision notice's rules: exact times on the 2026 working-day calendar, signing, the ladder, decisions, closing. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkConfirmCompletion,
  checkDecide,
  checkExtendDeadline,
  checkSign,
  close,
  decide,
  extendDeadline,
  fireNoticeStep,
  initialNoticeState,
  nextNoticeStep,
  noticeGrade,
  noticePolicyOf,
  pendingNoticeSteps,
  readyToClose,
  recalendar,
  settleHazard,
  sign,
  type NewNotice,
  type NoticeState,
} from '../../domain/notice-lifecycle';
import { planLadder } from '../../domain/notice-schedule';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES, noticePolicySchema, type DeadlineRule } from '../../domain/policy';
import { dueInstant, shanghaiInstant } from '../../domain/shanghai-time';
import { WorkCalendar, type YearCalendar } from '../../domain/work-calendar';

const load = (year: number): YearCalendar => JSON.parse(readFileSync(new URL(`../../domain/calendars/cn-${year}.json`, import.meta.url), 'utf8'));
const Y2026 = load(2026);
const RULE: DeadlineRule = { days: 10, unit: 'working', legalBasis: '《中华人民共和国安全生产法》第六十五条' };
const at9 = (d: string) => shanghaiInstant(d, 9);

function notice(extra: Partial<NewNotice> = {}, issuedAt = shanghaiInstant('2026-04-28', 10), years = [Y2026]): NoticeState {
  return initialNoticeState(
    { noticeId: 'n1', enterpriseId: 'e1', grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: ['h1', 'h2'], rule: RULE, ...extra },
    years,
    issuedAt,
  );
}

/** Fires every step due by `until`, as the workflow would. */
function runUntil(s: NoticeState, until: number): NoticeState {
  for (let step = nextNoticeStep(s); step && step.at <= until; step = nextNoticeStep(s)) {
    s = fireNoticeStep(s, step, { code: `甲县应急〔2026〕${s.instruments.length + 2}号`, decisionId: `d-${step.key}` });
  }
  return s;
}

describe('notice deadline and signing', () => {
  it('computes a missing deadline from the rule in working days, across the Labour Day holiday and its make-up Saturday', () => {
    const s = notice();
    expect(s.issuedOn).toBe('2026-04-28');
    // 04-29, 04-30, (05-01…05-05 off), 05-06, 07, 08, 09 (make-up Saturday), 11, 12, 13, 14.
    expect(s.deadline).toBe('2026-05-14');
    expect(s.deadlineRule).toEqual(RULE);
    expect(s.deadlineProvisional).toBe(false);
    // Sign within 2 working days: 04-29, 04-30.
    expect(s.signDue).toBe('2026-04-30');
  });

  it('keeps an issuer deadline as given, without a rule', () => {
    const s = notice({ deadline: '2026-05-20' });
    expect(s.deadline).toBe('2026-05-20');
    expect(s.deadlineRule).toBeNull();
  });

  it('escalates an unsigned notice once, at the end of the sign-by day; signing later is recorded as late', () => {
    let s = notice({ deadline: '2026-05-20' });
    const first = nextNoticeStep(s)!;
    expect(first).toMatchObject({ kind: 'sign_escalation', key: 'sign-escalation', at: dueInstant('2026-04-30'), recipientRole: 'supervisor_chief' });
    s = fireNoticeStep(s, first);
    expect(nextNoticeStep(s)!.kind).toBe('overdue');
    expect(checkSign(s, { by: 'ent' })).toBeNull();
    s = sign(s, { by: 'ent' }, dueInstant('2026-04-30') + 1000);
    expect(s).toMatchObject({ status: 'signed', signedBy: 'ent', signedLate: true });
    expect(checkSign(s, { by: 'ent' })).toMatchObject({ kind: 'not_allowed' });
  });

  it('drops the sign escalation once signed in time', () => {
    let s = sign(notice({ deadline: '2026-05-20' }), { by: 'ent' }, shanghaiInstant('2026-04-29', 8));
    expect(s.signedLate).toBe(false);
    expect(pendingNoticeSteps(s).map((x) => x.key)).not.toContain('sign-escalation');
    s = runUntil(s, dueInstant('2026-05-20'));
    expect(s.fired).toEqual(['overdue']);
  });

  it('has no signing for a notice addressed to a government body', () => {
    const s = notice({ enterpriseId: null, hazardIds: [] });
    expect(checkSign(s, { by: 'x' })).toMatchObject({ kind: 'not_allowed' });
    expect(pendingNoticeSteps(s)[0]!.kind).toBe('overdue');
  });

  it('marks a deadline counted into a year without data provisional and recounts it when the year is published', () => {
    const s = notice({}, shanghaiInstant('2026-12-28', 10));
    // 12-29, 30, 31, then 2027 weekends only: 01-01 (Friday), 04, 05, 06, 07, 08, 11.
    expect(s).toMatchObject({ deadline: '2027-01-11', deadlineProvisional: true });
    const y2027: YearCalendar = { year: 2027, source: 'test', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] };
    const { state, moved } = recalendar(s, y2027);
    expect(state).toMatchObject({ deadline: '2027-01-12', deadlineProvisional: false });
    expect(moved).toEqual([{ what: 'deadline', from: '2027-01-11', to: '2027-01-12' }]);
  });
});

describe('the escalation ladder', () => {
  it('plans the general ladder at office hours on working days after a deadline before the Labour Day holiday', () => {
    const steps = planLadder(new WorkCalendar([Y2026]), '2026-04-30', DEFAULT_NOTICE_POLICIES.general, 'working', 0);
    expect(steps.map((s) => [s.key, new Date(s.at).toISOString()])).toEqual([
      ['overdue', new Date(dueInstant('2026-04-30')).toISOString()],
      ['ladder-reminder_card', new Date(at9('2026-05-06')).toISOString()],
      ['ladder-list', new Date(at9('2026-05-08')).toISOString()],
      ['ladder-supervision_letter', new Date(at9('2026-05-13')).toISOString()],
      ['ladder-directive', new Date(at9('2026-05-25')).toISOString()],
      ['decision-warning_interview', new Date(at9('2026-06-01')).toISOString()],
      ['decision-penalty', new Date(at9('2026-06-15')).toISOString()],
    ]);
  });

  it('plans the major ladder faster, up to a judicial transfer, from a Friday deadline', () => {
    const steps = planLadder(new WorkCalendar([Y2026]), '2026-03-13', DEFAULT_NOTICE_POLICIES.major, 'working', 0);
    expect(steps.map((s) => [s.key, s.at])).toEqual([
      ['overdue', dueInstant('2026-03-13')],
      ['ladder-reminder_card', at9('2026-03-16')],
      ['ladder-list', at9('2026-03-17')],
      ['ladder-supervision_letter', at9('2026-03-20')],
      ['ladder-directive', at9('2026-03-27')],
      ['decision-warning_interview', at9('2026-03-31')],
      ['decision-penalty', at9('2026-04-03')],
      // 04-04…04-06 Qingming.
      ['decision-suspension', at9('2026-04-13')],
      ['decision-judicial_transfer', at9('2026-05-13')],
    ]);
  });

  it('counts calendar days when the policy says so', () => {
    const steps = planLadder(new WorkCalendar([Y2026]), '2026-04-30', DEFAULT_NOTICE_POLICIES.general, 'calendar', 0);
    expect(steps[1]).toMatchObject({ key: 'ladder-reminder_card', at: at9('2026-05-01') });
  });

  it('issues instruments in rising order, raising the ladder level, and opens decisions pending', () => {
    let s = sign(notice({ deadline: '2026-04-30' }), { by: 'ent' }, shanghaiInstant('2026-04-29', 8));
    s = runUntil(s, at9('2026-06-01'));
    expect(s.overdueSince).toBe(dueInstant('2026-04-30'));
    expect(s.instruments.map((i) => [i.kind, i.recipientRole])).toEqual([
      ['reminder_card', 'enterprise'],
      ['list', 'supervisor_chief'],
      ['supervision_letter', 'responsible_leader'],
      ['directive', 'county_leader'],
    ]);
    expect(s.ladderLevel).toBe(4);
    expect(s.decisions).toEqual([expect.objectContaining({ id: 'd-decision-warning_interview', kind: 'warning_interview', status: 'pending', deciderRole: 'county_leader' })]);
  });

  it('restarts the ladder against an extended deadline under new keys', () => {
    let s = runUntil(sign(notice({ deadline: '2026-04-30' }), { by: 'ent' }, 0), at9('2026-05-06'));
    expect(s.ladderLevel).toBe(1);
    expect(checkExtendDeadline(s, { newDeadline: '2026-04-30', reason: 'x', by: 'sup' }, at9('2026-05-06'))).toMatchObject({ field: 'newDeadline' });
    expect(checkExtendDeadline(s, { newDeadline: '2026-05-29', reason: ' ', by: 'sup' }, at9('2026-05-06'))).toMatchObject({ field: 'reason' });
    s = extendDeadline(s, { newDeadline: '2026-05-29', reason: '需外购设备', by: 'sup' });
    expect(s).toMatchObject({ overdueSince: null, ladderLevel: 0, extensions: 1 });
    expect(nextNoticeStep(s)).toMatchObject({ key: 'ext-1/overdue', at: dueInstant('2026-05-29') });
    s = runUntil(s, at9('2026-06-01'));
    expect(s.fired.slice(-2)).toEqual(['ext-1/overdue', 'ext-1/ladder-reminder_card']);
  });
});

describe('decisions and closing', () => {
  const opened = () => runUntil(sign(notice({ deadline: '2026-04-30' }), { by: 'ent' }, 0), at9('2026-06-01'));

  it('records a decision taken with its document number and reason; refuses it twice and without its fields', () => {
    let s = opened();
    const id = s.decisions[0]!.id;
    expect(checkDecide(s, { decisionId: 'nope', outcome: 'taken', documentNumber: 'x', reason: 'r', by: 'l' })).toMatchObject({ field: 'decisionId' });
    expect(checkDecide(s, { decisionId: id, outcome: 'taken', reason: '逾期未改', by: 'l' })).toMatchObject({ kind: 'invalid', field: 'documentNumber' });
    expect(checkDecide(s, { decisionId: id, outcome: 'declined', reason: '', by: 'l' })).toMatchObject({ kind: 'invalid', field: 'reason' });
    s = decide(s, { decisionId: id, outcome: 'taken', documentNumber: '甲县应急约〔2026〕3号', reason: '逾期未改', by: 'leader' }, 5);
    expect(s.decisions[0]).toMatchObject({ status: 'taken', documentNumber: '甲县应急约〔2026〕3号', decidedBy: 'leader', decidedAt: 5 });
    expect(checkDecide(s, { decisionId: id, outcome: 'declined', reason: 'r', by: 'l' })).toMatchObject({ kind: 'not_allowed' });
  });

  it('closes only when every hazard is closed or void; a reopened hazard keeps it open; pending decisions lapse', () => {
    let s = opened();
    s = settleHazard(s, 'h1', 'closed');
    expect(readyToClose(s)).toBe(false);
    s = settleHazard(s, 'h2', 'void');
    expect(readyToClose(s)).toBe(true);
    s = settleHazard(s, 'h1', 'reopened');
    expect(readyToClose(s)).toBe(false);
    s = settleHazard(s, 'h1', 'closed');
    s = close(s, 9, 'system');
    expect(s).toMatchObject({ status: 'closed', closedAt: 9 });
    expect(s.decisions.map((d) => d.status)).toEqual(['lapsed']);
    expect(pendingNoticeSteps(s)).toEqual([]);
    expect(settleHazard(s, 'h1', 'reopened')).toBe(s);
    expect(checkExtendDeadline(s, { newDeadline: '2026-12-01', reason: 'r', by: 's' }, 0)).toMatchObject({ kind: 'not_allowed' });
  });

  it('closes a notice without hazards only by confirmation', () => {
    const s = notice({ enterpriseId: null, hazardIds: [] });
    expect(readyToClose(s)).toBe(false);
    expect(checkConfirmCompletion(s, { reason: '已落实', by: 'sup' })).toBeNull();
    expect(checkConfirmCompletion(s, { reason: '', by: 'sup' })).toMatchObject({ field: 'reason' });
    expect(checkConfirmCompletion(notice(), { reason: '已落实', by: 'sup' })).toMatchObject({ kind: 'not_allowed' });
  });

  it('takes the grade from its hazards and the policy from the stored version, else the defaults', () => {
    expect(noticeGrade(['general', 'major'])).toBe('major');
    expect(noticeGrade(['general'])).toBe('general');
    expect(noticePolicyOf(DEFAULT_POLICIES.major, 'major')).toBe(DEFAULT_NOTICE_POLICIES.major);
    expect(noticePolicyOf({ notice: undefined }, 'general')).toBe(DEFAULT_NOTICE_POLICIES.general);
  });
});

describe('the notice policy section', () => {
  const base = DEFAULT_NOTICE_POLICIES.general;
  const issues = (p: unknown) => {
    const r = noticePolicySchema.safeParse(p);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the defaults', () => {
    expect(issues(DEFAULT_NOTICE_POLICIES.general)).toEqual([]);
    expect(issues(DEFAULT_NOTICE_POLICIES.major)).toEqual([]);
  });

  it('refuses ladder steps out of order and instruments that do not rise', () => {
    expect(issues({ ...base, ladder: [base.ladder[1], base.ladder[0]] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ladder\.1\.afterDays/), expect.stringMatching(/instruments must rise/)]),
    );
    expect(issues({ ...base, ladder: [{ ...base.ladder[1]!, afterDays: 1 }, { ...base.ladder[0]!, afterDays: 2 }] })).toEqual([expect.stringMatching(/instruments must rise/)]);
  });

  it('refuses decisions out of order and unknown keys', () => {
    expect(issues({ ...base, decisions: [base.decisions[1], base.decisions[0]] })).toEqual([expect.stringMatching(/^decisions\.1\.afterDays/)]);
    expect(issues({ ...base, extra: 1 })).toEqual([expect.stringMatching(/extra/i)]);
    expect(issues({ ...base, ladder: [{ ...base.ladder[0], colour: 'red' }] })).toHaveLength(1);
  });
});
