import { describe, expect, it } from 'vitest';
import {
  HAZARD_STATUSES,
  checkReview,
  checkSubmit,
  fireStep,
  initialState,
  isOverdue,
  nextStep,
  pendingSteps,
  review,
  submit,
  type HazardState,
} from '../../domain/hazard-lifecycle';
import { at, freshHazard, HAZARD, iso, POLICY, REGISTERED, runUntil } from '../support/hazard-states';


const fresh = freshHazard;
const submitted = () => submit(fresh(), { evidence: ['photo-after.jpg'], note: 'done', by: 'enterprise-user' }, at('2026-03-05T02:00:00Z'));


describe('initialState', () => {
  it('starts a hazard rectifying in round 1 with nothing fired, not overdue, at seq 1', () => {
    expect(fresh()).toEqual({
      hazardId: 'hz-1',
      enterpriseId: 'ent-1',
      grade: 'general',
      policy: POLICY,
      deadline: '2026-03-10',
      status: 'rectifying',
      round: 1,
      roundStartedAt: REGISTERED,
      fired: [],
      overdueSince: null,
      escalationLevel: 0,
      submission: null,
      closedAt: null,
      extension: { originalDeadline: '2026-03-10', requests: 0, pending: null, granted: [] },
      seq: 1,
    });
  });

  it('knows exactly four statuses', () => {
    expect([...HAZARD_STATUSES]).toEqual(['rectifying', 'under_review', 'closed', 'void']);
  });
});

describe('checkSubmit', () => {
  it('allows a submission with evidence while rectifying', () => {
    expect(checkSubmit(fresh(), { evidence: ['a.jpg', 'b.pdf'], by: 'u1' })).toBeNull();
  });

  it('refuses as not_allowed while under review', () => {
    expect(checkSubmit(submitted(), { evidence: ['a.jpg'], by: 'u1' })).toMatchObject({
      kind: 'not_allowed',
      code: 'submission-not-rectifying',
      message: 'rectification cannot be submitted while the hazard is under_review',
    });
  });

  it('refuses as not_allowed once closed', () => {
    const closed = review(submitted(), { decision: 'accept', by: 'sup' }, at('2026-03-06T02:00:00Z'));
    expect(checkSubmit(closed, { evidence: ['a.jpg'], by: 'u1' })).toMatchObject({ kind: 'not_allowed' });
  });

  it('refuses an empty evidence list as invalid on field evidence', () => {
    expect(checkSubmit(fresh(), { evidence: [], by: 'u1' })).toMatchObject({
      kind: 'invalid',
      field: 'evidence',
      message: 'at least one piece of evidence is required',
    });
  });

  it('refuses blank evidence references as invalid on field evidence', () => {
    expect(checkSubmit(fresh(), { evidence: ['a.jpg', '   '], by: 'u1' })).toEqual({
      kind: 'invalid',
      field: 'evidence',
      message: 'evidence references must be non-empty',
    });
    expect(checkSubmit(fresh(), { evidence: [''], by: 'u1' })).toMatchObject({ kind: 'invalid', field: 'evidence' });
  });

  it('refuses a submission without the submitting person as invalid on field by', () => {
    expect(checkSubmit(fresh(), { evidence: ['a.jpg'], by: '' })).toMatchObject({ kind: 'invalid', field: 'by' });
  });

  it('checks the state before the input: a bad submission to a hazard under review is not_allowed', () => {
    expect(checkSubmit(submitted(), { evidence: [], by: '' })).toMatchObject({ kind: 'not_allowed' });
  });
});

describe('submit', () => {
  it('moves to under_review and freezes a copy of the evidence, note, person and time', () => {
    const evidence = ['after.jpg'];
    const now = at('2026-03-05T02:00:00Z');
    const s = submit(fresh(), { evidence, note: '已更换', by: 'ent-user' }, now);
    evidence.push('later.jpg');
    expect(s.status).toBe('under_review');
    expect(s.submission).toEqual({ evidence: ['after.jpg'], note: '已更换', by: 'ent-user', at: now });
    expect(s.seq).toBe(2);
    expect(s.round).toBe(1);
  });

  it('records an empty note when none is given', () => {
    const s = submit(fresh(), { evidence: ['a.jpg'], by: 'u' }, REGISTERED);
    expect(s.submission?.note).toBe('');
  });

  it('does not change the state it was given', () => {
    const before = fresh();
    submit(before, { evidence: ['a.jpg'], by: 'u' }, REGISTERED);
    expect(before.status).toBe('rectifying');
    expect(before.seq).toBe(1);
  });
});

describe('checkReview', () => {
  const NOW = at('2026-03-06T02:00:00Z'); // 2026-03-06 10:00 Shanghai

  it('allows accepting a submitted rectification', () => {
    expect(checkReview(submitted(), { decision: 'accept', by: 'sup' }, NOW)).toBeNull();
  });

  it('allows rejecting with reasons and a deadline of today or later', () => {
    expect(checkReview(submitted(), { decision: 'reject', reasons: ['blurry photo'], newDeadline: '2026-03-06', by: 'sup' }, NOW)).toBeNull();
    expect(checkReview(submitted(), { decision: 'reject', reasons: ['x'], newDeadline: '2026-04-01', by: 'sup' }, NOW)).toBeNull();
  });

  it('refuses as not_allowed while still rectifying', () => {
    expect(checkReview(fresh(), { decision: 'accept', by: 'sup' }, NOW)).toMatchObject({
      kind: 'not_allowed',
      message: 'a review needs a submitted rectification; the hazard is rectifying',
    });
  });

  it('refuses as not_allowed once closed', () => {
    const closed = review(submitted(), { decision: 'accept', by: 'sup' }, NOW);
    expect(checkReview(closed, { decision: 'accept', by: 'sup' }, NOW)).toMatchObject({ kind: 'not_allowed' });
  });

  it('refuses a review without a reviewer as invalid on field by', () => {
    expect(checkReview(submitted(), { decision: 'accept', by: '' }, NOW)).toMatchObject({ kind: 'invalid', field: 'by' });
  });

  it('refuses a rejection without reasons as invalid on field reasons', () => {
    expect(checkReview(submitted(), { decision: 'reject', reasons: [], newDeadline: '2026-03-20', by: 'sup' }, NOW)).toEqual({
      kind: 'invalid',
      field: 'reasons',
      message: 'a rejection needs at least one reason',
    });
  });

  it('refuses a rejection with a blank reason as invalid on field reasons', () => {
    expect(
      checkReview(submitted(), { decision: 'reject', reasons: ['ok', '  '], newDeadline: '2026-03-20', by: 'sup' }, NOW),
    ).toMatchObject({ kind: 'invalid', field: 'reasons' });
  });

  it('refuses a rejection whose new deadline is not a calendar date as invalid on field newDeadline', () => {
    for (const newDeadline of ['2026-02-30', '2026-3-20', 'tomorrow', '']) {
      expect(checkReview(submitted(), { decision: 'reject', reasons: ['x'], newDeadline, by: 'sup' }, NOW)).toEqual({
        kind: 'invalid',
        field: 'newDeadline',
        message: 'the new deadline must be a date (YYYY-MM-DD)',
      });
    }
  });

  it('refuses a rejection whose new deadline is before today in Shanghai as invalid on field newDeadline', () => {
    expect(checkReview(submitted(), { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-05', by: 'sup' }, NOW)).toMatchObject({
      kind: 'invalid',
      field: 'newDeadline',
      message: 'the new deadline cannot be in the past',
    });
  });

  it('judges "today" by the Shanghai date, not the UTC date', () => {
    // 2026-03-06T17:00Z is already 2026-03-07 01:00 in Shanghai: 2026-03-06 is yesterday there.
    const lateUtc = at('2026-03-06T17:00:00Z');
    expect(checkReview(submitted(), { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-06', by: 'sup' }, lateUtc)).toMatchObject({
      kind: 'invalid',
      field: 'newDeadline',
    });
    expect(checkReview(submitted(), { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-07', by: 'sup' }, lateUtc)).toBeNull();
  });
});

describe('review', () => {
  const NOW = at('2026-03-06T02:00:00Z');

  it('closes the hazard on accept, recording when', () => {
    const s = review(submitted(), { decision: 'accept', by: 'sup' }, NOW);
    expect(s.status).toBe('closed');
    expect(s.closedAt).toBe(NOW);
    expect(s.round).toBe(1);
    expect(s.seq).toBe(3);
  });

  it('starts round+1 on reject with the new deadline, started now', () => {
    const s = review(submitted(), { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-20', by: 'sup' }, NOW);
    expect(s.status).toBe('rectifying');
    expect(s.round).toBe(2);
    expect(s.deadline).toBe('2026-03-20');
    expect(s.roundStartedAt).toBe(NOW);
    expect(s.submission).toBeNull();
    expect(s.closedAt).toBeNull();
    expect(s.seq).toBe(3);
  });

  it('resets fired steps, overdueSince and the escalation level on reject', () => {
    // Round 1 runs into its ladder, then is submitted late and rejected.
    const late = runUntil(fresh(), at('2026-03-14T00:00:00Z'));
    expect(late.overdueSince).not.toBeNull();
    expect(late.escalationLevel).toBe(2);
    const inReview = submit(late, { evidence: ['a.jpg'], by: 'u' }, at('2026-03-14T00:00:00Z'));
    const rejected = review(inReview, { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-30', by: 'sup' }, at('2026-03-15T00:00:00Z'));
    expect(rejected.fired).toEqual([]);
    expect(rejected.overdueSince).toBeNull();
    expect(rejected.escalationLevel).toBe(0);
    expect(rejected.round).toBe(2);
  });

  it('plans the new round from the rejection on: reminders before it are dropped, keys name round 2', () => {
    const rejectedAt = at('2026-03-18T02:00:00Z'); // 2026-03-18 10:00 Shanghai
    const s = review(submitted(), { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-20', by: 'sup' }, rejectedAt);
    expect(pendingSteps(s).map((p) => [p.key, iso(p.at)])).toEqual([
      ['round-2/reminder-1d', '2026-03-19T01:00:00.000Z'],
      ['round-2/overdue', '2026-03-20T16:00:00.000Z'],
      ['round-2/escalation-1d', '2026-03-21T01:00:00.000Z'],
      ['round-2/escalation-3d', '2026-03-23T01:00:00.000Z'],
    ]);
  });
});

describe('pendingSteps and nextStep', () => {
  it('lists every step of the round while nothing has fired', () => {
    expect(pendingSteps(fresh()).map((p) => p.key)).toEqual([
      'round-1/reminder-3d',
      'round-1/reminder-1d',
      'round-1/overdue',
      'round-1/escalation-1d',
      'round-1/escalation-3d',
    ]);
    expect(nextStep(fresh())).toEqual({
      kind: 'reminder',
      key: 'round-1/reminder-3d',
      at: at('2026-03-07T01:00:00Z'),
      daysBefore: 3,
      recipientRole: 'enterprise',
    });
  });

  it('leaves out steps already fired', () => {
    const s = runUntil(fresh(), at('2026-03-09T01:00:00Z'));
    expect(s.fired).toEqual(['round-1/reminder-3d', 'round-1/reminder-1d']);
    expect(pendingSteps(s).map((p) => p.key)).toEqual(['round-1/overdue', 'round-1/escalation-1d', 'round-1/escalation-3d']);
    expect(nextStep(s)?.key).toBe('round-1/overdue');
  });

  it('is empty, and there is no next step, once every step has fired', () => {
    const s = runUntil(fresh(), Number.MAX_SAFE_INTEGER);
    expect(s.fired).toHaveLength(5);
    expect(pendingSteps(s)).toEqual([]);
    expect(nextStep(s)).toBeNull();
  });

  it('is empty while under review and once closed', () => {
    expect(pendingSteps(submitted())).toEqual([]);
    expect(nextStep(submitted())).toBeNull();
    const closed = review(submitted(), { decision: 'accept', by: 'sup' }, at('2026-03-06T02:00:00Z'));
    expect(pendingSteps(closed)).toEqual([]);
    expect(nextStep(closed)).toBeNull();
  });

  it('skips reminders already past when the hazard was registered late', () => {
    const late = initialState(HAZARD, at('2026-03-09T05:00:00Z'));
    expect(nextStep(late)?.key).toBe('round-1/overdue');
  });
});

describe('fireStep', () => {
  it('records a reminder as fired without making the hazard overdue', () => {
    const s0 = fresh();
    const s1 = fireStep(s0, nextStep(s0)!);
    expect(s1.fired).toEqual(['round-1/reminder-3d']);
    expect(s1.overdueSince).toBeNull();
    expect(s1.escalationLevel).toBe(0);
    expect(s1.seq).toBe(2);
    expect(s0.fired).toEqual([]);
  });

  it('sets overdueSince to the planned instant of the overdue step', () => {
    const s = runUntil(fresh(), at('2026-03-10T16:00:00Z'));
    expect(s.fired.at(-1)).toBe('round-1/overdue');
    expect(iso(s.overdueSince!)).toBe('2026-03-10T16:00:00.000Z');
    expect(s.escalationLevel).toBe(0);
  });

  it('raises the escalation level to the level of each escalation step', () => {
    const s1 = runUntil(fresh(), at('2026-03-11T01:00:00Z'));
    expect(s1.escalationLevel).toBe(1);
    const s2 = runUntil(s1, at('2026-03-13T01:00:00Z'));
    expect(s2.escalationLevel).toBe(2);
    expect(iso(s2.overdueSince!)).toBe('2026-03-10T16:00:00.000Z');
  });

  it('never lowers the escalation level', () => {
    const s = runUntil(fresh(), at('2026-03-13T01:00:00Z'));
    const lower = fireStep(s, { kind: 'escalation', key: 'round-1/manual', at: 0, afterDays: 1, level: 1, recipientRole: 'supervisor' });
    expect(lower.escalationLevel).toBe(2);
  });
});

describe('seq', () => {
  it('rises by one with every change: steps, submission, rejection, acceptance', () => {
    let s = fresh();
    const seqs = [s.seq];
    s = fireStep(s, nextStep(s)!);
    seqs.push(s.seq);
    s = fireStep(s, nextStep(s)!);
    seqs.push(s.seq);
    s = submit(s, { evidence: ['a'], by: 'u' }, at('2026-03-09T03:00:00Z'));
    seqs.push(s.seq);
    s = review(s, { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-20', by: 'sup' }, at('2026-03-09T04:00:00Z'));
    seqs.push(s.seq);
    s = fireStep(s, nextStep(s)!);
    seqs.push(s.seq);
    s = submit(s, { evidence: ['b'], by: 'u' }, at('2026-03-19T03:00:00Z'));
    seqs.push(s.seq);
    s = review(s, { decision: 'accept', by: 'sup' }, at('2026-03-19T04:00:00Z'));
    seqs.push(s.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('isOverdue', () => {
  const due = at('2026-03-10T16:00:00Z');

  it('is false before the end of the deadline day', () => {
    expect(isOverdue(fresh(), due - 1)).toBe(false);
  });

  it('is true exactly at the due instant and after it while rectifying', () => {
    expect(isOverdue(fresh(), due)).toBe(true);
    expect(isOverdue(fresh(), due + 30 * 86_400_000)).toBe(true);
  });

  it('is false under review even after the due instant: the wait is the reviewer\u2019s', () => {
    expect(isOverdue(submitted(), due + 1)).toBe(false);
  });

  it('is false once closed', () => {
    const closed = review(submitted(), { decision: 'accept', by: 'sup' }, at('2026-03-06T02:00:00Z'));
    expect(isOverdue(closed, due + 1)).toBe(false);
  });

  it('is a fact about time, independent of whether the overdue step has fired', () => {
    const s = fresh();
    expect(s.overdueSince).toBeNull();
    expect(isOverdue(s, due)).toBe(true);
  });

  it('needs only status and deadline', () => {
    expect(isOverdue({ status: 'rectifying', deadline: '2024-02-29' }, at('2024-02-29T16:00:00Z'))).toBe(true);
    expect(isOverdue({ status: 'rectifying', deadline: '2024-02-29' }, at('2024-02-29T15:59:59.999Z'))).toBe(false);
  });
});
