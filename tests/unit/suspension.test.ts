import { describe, expect, it } from 'vitest';
import {
  applyResumption,
  checkApply,
  checkExtend,
  checkLift,
  checkOrder,
  checkReviewResumption,
  daysRemaining,
  extend,
  fireStep,
  initialState,
  lift,
  maxEndOf,
  nextStep,
  pendingSteps,
  planSteps,
  reviewResumption,
  snapshotOf,
  type NewSuspension,
  type SuspensionState,
} from '../../domain/suspension';

const iso = (t: number) => new Date(t).toISOString();
/** 2026-03-02 10:00 Shanghai. */
const NOW = Date.parse('2026-03-02T02:00:00Z');

const ORDER: NewSuspension = {
  suspensionId: '00000000-0000-4000-8000-000000000001',
  enterpriseId: '00000000-0000-4000-8000-000000000002',
  hazardId: null,
  origin: null,
  documentNumber: '甲县应急停〔2026〕3号',
  reason: '重大事故隐患未整改',
  scope: 'full',
  scopeNote: '',
  startsOn: '2026-03-02',
  plannedEnd: '2026-04-30',
  maxDays: 183,
  orderedBy: 'supervisor-a',
};

const start = (o: Partial<NewSuspension> = {}) => initialState({ ...ORDER, ...o }, NOW);
const summary = (s: SuspensionState) => pendingSteps(s).map((x) => [x.key, iso(x.at)]);

describe('the maximum', () => {
  it('ends startsOn plus the maximum in calendar days (the first day not counted)', () => {
    expect(maxEndOf('2026-03-02', 183)).toBe('2026-09-01');
    expect(maxEndOf('2026-12-31', 1)).toBe('2027-01-01');
    expect(start().maxEnd).toBe('2026-09-01');
  });
});

describe('checkOrder', () => {
  const ok = { startsOn: '2026-03-02', plannedEnd: '2026-09-01', documentNumber: '甲县应急停〔2026〕3号', reason: '隐患' };
  it('accepts an order starting today and ending on the maximum day', () => {
    expect(checkOrder(ok, 183, NOW)).toBeNull();
  });
  it('refuses a planned end past the maximum, naming the field and the limit', () => {
    expect(checkOrder({ ...ok, plannedEnd: '2026-09-02' }, 183, NOW)).toMatchObject({
      kind: 'invalid',
      field: 'plannedEnd',
      message: expect.stringContaining('2026-09-01'),
      limit: { name: 'major.suspensionMaxDays', value: 183 },
    });
    expect(checkOrder({ ...ok, plannedEnd: '2026-03-12' }, 9, NOW)).toMatchObject({ field: 'plannedEnd', limit: { value: 9 } });
  });
  it('refuses a start before today (Shanghai) and a planned end before the start', () => {
    // 2026-03-01 23:30 UTC is already 2026-03-02 in Shanghai.
    expect(checkOrder({ ...ok, startsOn: '2026-03-01' }, 183, Date.parse('2026-03-01T23:30:00Z'))).toMatchObject({ field: 'startsOn' });
    expect(checkOrder({ ...ok, startsOn: '2026-03-01', plannedEnd: '2026-08-31' }, 183, Date.parse('2026-03-01T15:30:00Z'))).toBeNull();
    expect(checkOrder({ ...ok, startsOn: '2026-03-10', plannedEnd: '2026-03-09' }, 183, NOW)).toMatchObject({ field: 'plannedEnd' });
    expect(checkOrder({ ...ok, startsOn: '2027-03-04', plannedEnd: '2027-04-01' }, 183, NOW)).toMatchObject({ field: 'startsOn' });
    expect(checkOrder({ ...ok, startsOn: '2027-03-03', plannedEnd: '2027-04-01' }, 183, NOW)).toBeNull();
  });
  it('refuses a missing document number or reason, and non-dates', () => {
    expect(checkOrder({ ...ok, documentNumber: ' ' }, 183, NOW)).toMatchObject({ field: 'documentNumber' });
    expect(checkOrder({ ...ok, reason: '' }, 183, NOW)).toMatchObject({ field: 'reason' });
    expect(checkOrder({ ...ok, plannedEnd: '2026-02-30' }, 183, NOW)).toMatchObject({ field: 'plannedEnd' });
  });
});

describe('the clock', () => {
  it('reminds 7 and 1 days before the planned end at 09:00, is overdue for review at the end of the planned end day, and reaches the maximum at the end of the maximum day', () => {
    expect(summary(start())).toEqual([
      ['plan-1/reminder-7d', '2026-04-23T01:00:00.000Z'],
      ['plan-1/reminder-1d', '2026-04-29T01:00:00.000Z'],
      ['plan-1/review-overdue', '2026-04-30T16:00:00.000Z'],
      ['maximum-reached', '2026-09-01T16:00:00.000Z'],
    ]);
    expect(planSteps(start()).map((s) => s.recipientRole)).toEqual(['enterprise', 'enterprise', 'supervisor_chief', 'county_leader']);
  });
  it('leaves out reminders whose moment had passed when the plan began', () => {
    expect(summary(start({ plannedEnd: '2026-03-05' })).map(([k]) => k)).toEqual(['plan-1/reminder-1d', 'plan-1/review-overdue', 'maximum-reached']);
    expect(summary(start({ plannedEnd: '2026-03-02' })).map(([k]) => k)).toEqual(['plan-1/review-overdue', 'maximum-reached']);
  });
  it('records the overdue and maximum facts as their steps fire, and ends with no step left', () => {
    let s = start({ plannedEnd: '2026-03-02', maxDays: 1 });
    const overdue = nextStep(s)!;
    s = fireStep(s, overdue);
    expect(s.reviewOverdueSince).toBe(Date.parse('2026-03-02T16:00:00Z'));
    s = fireStep(s, nextStep(s)!);
    expect(s.maximumReachedAt).toBe(Date.parse('2026-03-03T16:00:00Z'));
    expect(nextStep(s)).toBeNull();
    expect(s.status).toBe('suspended');
    expect(snapshotOf(s, NOW)).toMatchObject({ status: 'suspended', next: null, seq: 3 });
  });
  it('has nothing pending once resumed or lifted', () => {
    const s = start();
    expect(pendingSteps(lift(s, { documentNumber: 'x', reason: 'y', by: 'leader' }, NOW))).toEqual([]);
    const asked = applyResumption(s, { note: '', selfCheck: { passed: true, summary: '合格' }, by: 'ent' }, NOW);
    expect(pendingSteps(reviewResumption(asked, { decision: 'approve', by: 'sup' }, NOW))).toEqual([]);
  });
});

describe('commands', () => {
  const passed = { note: '已整改', evidence: ['photo-1'], selfCheck: { passed: true, summary: '自查合格' }, by: 'enterprise-a' };

  it('resumption: requested once, only after a passing self-check', () => {
    const s = start();
    expect(checkApply(s, passed)).toBeNull();
    expect(checkApply(s, { ...passed, selfCheck: { passed: false, summary: '未完成' } })).toMatchObject({ kind: 'invalid', field: 'selfCheck.passed' });
    expect(checkApply(s, { ...passed, evidence: [' '] })).toMatchObject({ field: 'evidence' });
    const asked = applyResumption(s, passed, NOW);
    expect(asked).toMatchObject({ status: 'resumption_requested', resumptionRequestedAt: NOW, request: { by: 'enterprise-a', evidence: ['photo-1'] } });
    expect(checkApply(asked, passed)).toMatchObject({ kind: 'not_allowed' });
  });

  it('review: only of a pending request; approval resumes; rejection goes back with reasons and maybe a new planned end within the maximum', () => {
    const s = start();
    expect(checkReviewResumption(s, { decision: 'approve', by: 'sup' }, NOW)).toMatchObject({ kind: 'not_allowed' });
    const asked = applyResumption(s, passed, NOW);
    expect(checkReviewResumption(asked, { decision: 'reject', reasons: [], by: 'sup' }, NOW)).toMatchObject({ field: 'reasons' });
    expect(checkReviewResumption(asked, { decision: 'reject', reasons: ['不合格'], plannedEnd: '2026-09-02', by: 'sup' }, NOW)).toMatchObject({
      kind: 'invalid',
      field: 'plannedEnd',
      message: expect.stringContaining('183'),
      limit: { name: 'major.suspensionMaxDays', value: 183 },
    });
    expect(checkReviewResumption(asked, { decision: 'reject', reasons: ['不合格'], plannedEnd: '2026-03-01', by: 'sup' }, NOW)).toMatchObject({ field: 'plannedEnd' });

    const rejected = reviewResumption(asked, { decision: 'reject', reasons: ['通风未整改'], plannedEnd: '2026-06-30', by: 'sup' }, NOW + 1000);
    expect(rejected).toMatchObject({ status: 'suspended', plannedEnd: '2026-06-30', plan: 2, rejections: 1, request: null });
    expect(summary(rejected).map(([k]) => k)).toEqual(['plan-2/reminder-7d', 'plan-2/reminder-1d', 'plan-2/review-overdue', 'maximum-reached']);
    const same = reviewResumption(asked, { decision: 'reject', reasons: ['x'], by: 'sup' }, NOW);
    expect(same).toMatchObject({ status: 'suspended', plannedEnd: '2026-04-30', plan: 1 });

    const resumed = reviewResumption(asked, { decision: 'approve', by: 'sup' }, NOW + 5);
    expect(resumed).toMatchObject({ status: 'resumed', resumedAt: NOW + 5 });
    expect(checkReviewResumption(resumed, { decision: 'approve', by: 'sup' }, NOW)).toMatchObject({ kind: 'not_allowed' });
  });

  it('extend: later than the current planned end, never past the maximum, with a reason; clears review overdue', () => {
    let s = start({ plannedEnd: '2026-03-02' });
    s = fireStep(s, nextStep(s)!);
    expect(s.reviewOverdueSince).not.toBeNull();
    const later = Date.parse('2026-03-03T02:00:00Z');
    expect(checkExtend(s, { plannedEnd: '2026-03-02', reason: 'x', by: 'sup' }, later)).toMatchObject({ field: 'plannedEnd' });
    expect(checkExtend(s, { plannedEnd: '2026-09-02', reason: 'x', by: 'sup' }, later)).toMatchObject({ field: 'plannedEnd', limit: { name: 'major.suspensionMaxDays', value: 183 } });
    expect(checkExtend(s, { plannedEnd: '2026-04-01', reason: ' ', by: 'sup' }, later)).toMatchObject({ field: 'reason' });
    expect(checkExtend(s, { plannedEnd: '2026-09-01', reason: '设备未到', by: 'sup' }, later)).toBeNull();
    const moved = extend(s, { plannedEnd: '2026-04-01', reason: '设备未到', by: 'sup' }, later);
    expect(moved).toMatchObject({ plannedEnd: '2026-04-01', plan: 2, extensions: 1, reviewOverdueSince: null });
    expect(nextStep(moved)).toMatchObject({ key: 'plan-2/reminder-7d', at: Date.parse('2026-03-25T01:00:00Z') });
  });

  it('lift: a document number and a reason; nothing after an end', () => {
    const s = start();
    expect(checkLift(s, { documentNumber: '', reason: '撤销', by: 'leader' })).toMatchObject({ field: 'documentNumber' });
    expect(checkLift(s, { documentNumber: '甲县应急解〔2026〕1号', reason: '', by: 'leader' })).toMatchObject({ field: 'reason' });
    const lifted = lift(s, { documentNumber: '甲县应急解〔2026〕1号', reason: '决定撤销', by: 'leader' }, NOW);
    expect(lifted).toMatchObject({ status: 'lifted', liftedAt: NOW });
    expect(checkLift(lifted, { documentNumber: 'a', reason: 'b', by: 'leader' })).toMatchObject({ kind: 'not_allowed' });
    expect(checkExtend(lifted, { plannedEnd: '2026-05-01', reason: 'x', by: 'sup' }, NOW)).toMatchObject({ kind: 'not_allowed' });
    expect(checkApply(lifted, passed)).toMatchObject({ kind: 'not_allowed' });
  });

  it('counts the days remaining to the planned and the maximum end', () => {
    expect(daysRemaining(start(), NOW)).toEqual({ plannedEnd: 59, maxEnd: 183 });
    expect(daysRemaining(start(), Date.parse('2026-05-02T02:00:00Z'))).toEqual({ plannedEnd: -2, maxEnd: 122 });
  });
});
