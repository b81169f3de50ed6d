import { describe, expect, it } from 'vitest';
import {
  approvedDeadline,
  checkExtensionDecision,
  checkExtensionRequest,
  currentSegment,
  daysGrantedThisRound,
  decideExtension,
  extensionsOf,
  grantedThisRound,
  latestExtendedDeadline,
  requestClosesAt,
  requestExtension,
  roundExtensions,
  type ExtensionDecisionCommand,
  type ExtensionRequestCommand,
} from '../../domain/extension';
import {
  isOverdue,
  nextStep,
  pendingSteps,
  review,
  submit,
  upgradeState,
  type HazardState,
} from '../../domain/hazard-lifecycle';
import { DEFAULT_EXTENSION_POLICY, extensionPolicyOf } from '../../domain/policy';
import { at, freshHazard, iso, POLICY, REGISTERED, runUntil } from '../support/hazard-states';

/** 2026-03-05 10:00 Shanghai: well before the deadline. */
const EARLY = at('2026-03-05T02:00:00Z');

const fresh = freshHazard;
const ask = (over: Partial<ExtensionRequestCommand> = {}): ExtensionRequestCommand => ({
  requestedDeadline: '2026-03-20',
  reason: '设备到货需十天',
  by: 'ent-user',
  ...over,
});
const approve = (over: Partial<Extract<ExtensionDecisionCommand, { decision: 'approve' }>> = {}): ExtensionDecisionCommand => ({
  decision: 'approve',
  by: 'sup',
  ...over,
});
const deny = (reason = '理由不充分'): ExtensionDecisionCommand => ({ decision: 'deny', reason, by: 'sup' });
const pending = (s: HazardState = fresh(), cmd = ask(), when = EARLY) => requestExtension(s, cmd, when);
/** Requested at EARLY, approved a moment later. */
const extended = (to = '2026-03-20', s: HazardState = fresh(), when = EARLY) =>
  decideExtension(pending(s, ask({ requestedDeadline: to }), when), approve(), when + 60_000);
const summary = (s: HazardState) => pendingSteps(s).map((p) => [p.key, iso(p.at)]);


describe('the extension limits of a policy', () => {
  it('are the defaults {maxCount 2, maxTotalDays 30, minLeadDays 1} when the policy predates them', () => {
    expect(DEFAULT_EXTENSION_POLICY).toEqual({ maxCount: 2, maxTotalDays: 30, minLeadDays: 1 });
    expect(extensionPolicyOf(POLICY)).toEqual(DEFAULT_EXTENSION_POLICY);
  });

  it("are the policy's own when it states them", () => {
    const extension = { maxCount: 1, maxTotalDays: 7, minLeadDays: 3 };
    expect(extensionPolicyOf({ ...POLICY, extension })).toEqual(extension);
  });
});

describe('a new hazard', () => {
  it('has no request pending, none granted, and its deadline as the original deadline of round 1', () => {
    expect(fresh().extension).toEqual({ originalDeadline: '2026-03-10', requests: 0, pending: null, granted: [] });
    expect(grantedThisRound(fresh())).toEqual([]);
    expect(daysGrantedThisRound(fresh())).toBe(0);
    expect(latestExtendedDeadline(fresh())).toBe('2026-04-09');
  });

  it('keeps its plain round-1 step keys while no extension is granted', () => {
    expect(pendingSteps(fresh()).map((s) => s.key)).toEqual([
      'round-1/reminder-3d',
      'round-1/reminder-1d',
      'round-1/overdue',
      'round-1/escalation-1d',
      'round-1/escalation-3d',
    ]);
    expect(currentSegment(fresh())).toEqual({ segment: undefined, startedAt: REGISTERED });
  });
});

describe('checkExtensionRequest', () => {
  it('allows a request while rectifying, with a reason and a later date within the limits', () => {
    expect(checkExtensionRequest(fresh(), ask(), EARLY)).toBeNull();
    expect(checkExtensionRequest(fresh(), ask({ requestedDeadline: '2026-03-11' }), EARLY)).toBeNull();
  });

  it('refuses as not_allowed under review and once closed', () => {
    const inReview = submit(fresh(), { evidence: ['a.jpg'], by: 'u' }, EARLY);
    expect(checkExtensionRequest(inReview, ask(), EARLY)).toMatchObject({
      kind: 'not_allowed',
      message: 'an extension can be asked for only while rectifying; the hazard is under_review',
    });
    const closed = review(inReview, { decision: 'accept', by: 'sup' }, EARLY);
    expect(checkExtensionRequest(closed, ask(), EARLY)).toMatchObject({ kind: 'not_allowed' });
  });

  it('refuses as not_allowed while another request awaits a decision', () => {
    expect(checkExtensionRequest(pending(), ask({ requestedDeadline: '2026-03-15' }), EARLY)).toMatchObject({
      kind: 'not_allowed',
      message: 'an extension request (to 2026-03-20) is already awaiting a decision',
    });
  });

  it('checks the state before the input: a bad request while one is pending is not_allowed', () => {
    expect(checkExtensionRequest(pending(), ask({ requestedDeadline: 'x', reason: '' }), EARLY)).toMatchObject({ kind: 'not_allowed' });
  });

  it('refuses a request without the requesting person (by) or without a reason as invalid', () => {
    expect(checkExtensionRequest(fresh(), ask({ by: '' }), EARLY)).toMatchObject({ kind: 'invalid', field: 'by' });
    expect(checkExtensionRequest(fresh(), ask({ reason: '   ' }), EARLY)).toEqual({
      kind: 'invalid',
      field: 'reason',
      message: 'an extension request needs a reason',
    });
  });

  it('refuses a requested deadline that is not a calendar date as invalid on requestedDeadline', () => {
    for (const requestedDeadline of ['2026-02-30', '2026-3-20', 'next week', '']) {
      expect(checkExtensionRequest(fresh(), ask({ requestedDeadline }), EARLY)).toEqual({
        kind: 'invalid',
        field: 'requestedDeadline',
        message: 'the requested deadline must be a date (YYYY-MM-DD)',
      });
    }
  });

  it('refuses a requested deadline not later than the current one as invalid on requestedDeadline', () => {
    for (const requestedDeadline of ['2026-03-10', '2026-03-09', '2025-12-31']) {
      expect(checkExtensionRequest(fresh(), ask({ requestedDeadline }), EARLY)).toMatchObject({
        kind: 'invalid',
        field: 'requestedDeadline',
        message: 'the requested deadline must be later than the current deadline 2026-03-10',
      });
    }
  });

  it('refuses beyond the count limit per round, naming extension.maxCount and its value', () => {
    const twice = extended('2026-03-25', extended('2026-03-15'));
    expect(grantedThisRound(twice)).toHaveLength(2);
    expect(checkExtensionRequest(twice, ask({ requestedDeadline: '2026-03-28' }), EARLY)).toMatchObject({
      kind: 'invalid',
      field: 'requestedDeadline',
      code: 'extension-max-count',
      limit: { name: 'extension.maxCount', value: 2 },
      message: 'at most 2 extensions per round (extension.maxCount); 2 already granted',
    });
    const once = extended('2026-03-15', fresh({ ...POLICY, extension: { maxCount: 1, maxTotalDays: 30, minLeadDays: 1 } }));
    expect(checkExtensionRequest(once, ask({ requestedDeadline: '2026-03-20' }), EARLY)).toMatchObject({
      limit: { name: 'extension.maxCount', value: 1 },
      message: 'at most 1 extension per round (extension.maxCount); 1 already granted',
    });
  });

  it('refuses every request when the policy grants none (maxCount 0)', () => {
    const none = fresh({ ...POLICY, extension: { maxCount: 0, maxTotalDays: 30, minLeadDays: 1 } });
    expect(checkExtensionRequest(none, ask(), EARLY)).toMatchObject({
      kind: 'invalid',
      field: 'requestedDeadline',
      limit: { name: 'extension.maxCount', value: 0 },
      message: 'the policy grants no extensions (extension.maxCount is 0)',
    });
  });

  it('does not count denied or lapsed requests against the count limit', () => {
    let s = fresh({ ...POLICY, extension: { maxCount: 1, maxTotalDays: 30, minLeadDays: 1 } });
    s = decideExtension(pending(s), deny(), EARLY);
    s = decideExtension(pending(s), deny(), EARLY);
    expect(extensionsOf(s).requests).toBe(2);
    expect(checkExtensionRequest(s, ask(), EARLY)).toBeNull();
  });

  it('refuses a request later than minLeadDays calendar days before the deadline ends, naming extension.minLeadDays', () => {
    // Default lead 1 day: for a deadline of 2026-03-10 the last moment is the end of 2026-03-09 (Shanghai).
    expect(requestClosesAt('2026-03-10', DEFAULT_EXTENSION_POLICY)).toBe(at('2026-03-09T16:00:00Z'));
    expect(checkExtensionRequest(fresh(), ask(), at('2026-03-09T15:59:59.999Z'))).toBeNull();
    expect(checkExtensionRequest(fresh(), ask(), at('2026-03-09T16:00:00Z'))).toMatchObject({
      kind: 'invalid',
      code: 'extension-min-lead-days',
      field: 'requestedDeadline',
      limit: { name: 'extension.minLeadDays', value: 1 },
      message: 'an extension must be asked for at least 1 day before the deadline 2026-03-10 ends (extension.minLeadDays)',
    });
    const lead3 = fresh({ ...POLICY, extension: { maxCount: 2, maxTotalDays: 30, minLeadDays: 3 } });
    expect(checkExtensionRequest(lead3, ask(), at('2026-03-07T15:59:59Z'))).toBeNull();
    expect(checkExtensionRequest(lead3, ask(), at('2026-03-07T16:00:00Z'))).toMatchObject({
      limit: { name: 'extension.minLeadDays', value: 3 },
      message: expect.stringContaining('at least 3 days before'),
    });
  });

  it('with minLeadDays 0 allows a request up to the deadline, never once overdue', () => {
    const lead0 = fresh({ ...POLICY, extension: { maxCount: 2, maxTotalDays: 30, minLeadDays: 0 } });
    expect(checkExtensionRequest(lead0, ask(), at('2026-03-10T15:59:59.999Z'))).toBeNull();
    expect(isOverdue(lead0, at('2026-03-10T16:00:00Z'))).toBe(true);
    expect(checkExtensionRequest(lead0, ask(), at('2026-03-10T16:00:00Z'))).toMatchObject({
      kind: 'invalid',
      field: 'requestedDeadline',
      limit: { name: 'extension.minLeadDays', value: 0 },
    });
  });

  it('refuses beyond maxTotalDays counted from the round\u2019s original deadline, naming extension.maxTotalDays', () => {
    expect(checkExtensionRequest(fresh(), ask({ requestedDeadline: '2026-04-09' }), EARLY)).toBeNull();
    expect(checkExtensionRequest(fresh(), ask({ requestedDeadline: '2026-04-10' }), EARLY)).toMatchObject({
      kind: 'invalid',
      code: 'extension-max-total-days',
      field: 'requestedDeadline',
      limit: { name: 'extension.maxTotalDays', value: 30 },
      message:
        "extensions may move this round's deadline at most 30 days past 2026-03-10 (extension.maxTotalDays), so no later than 2026-04-09; 2026-04-10 is 31 days past it",
    });
    // After a first extension of 10 days, the total still counts from 2026-03-10.
    const once = extended('2026-03-20');
    expect(daysGrantedThisRound(once)).toBe(10);
    expect(checkExtensionRequest(once, ask({ requestedDeadline: '2026-04-09' }), EARLY)).toBeNull();
    expect(checkExtensionRequest(once, ask({ requestedDeadline: '2026-04-10' }), EARLY)).toMatchObject({
      limit: { name: 'extension.maxTotalDays', value: 30 },
    });
  });

  it('refuses any request when maxTotalDays is 0', () => {
    const zero = fresh({ ...POLICY, extension: { maxCount: 2, maxTotalDays: 0, minLeadDays: 1 } });
    expect(checkExtensionRequest(zero, ask({ requestedDeadline: '2026-03-11' }), EARLY)).toMatchObject({
      limit: { name: 'extension.maxTotalDays', value: 0 },
    });
  });
});

describe('requestExtension', () => {
  it('records the pending request (numbered, reason trimmed, who, when) and rises seq; the deadline and steps stay', () => {
    const before = fresh();
    const s = requestExtension(before, ask({ reason: '  设备到货需十天 ' }), EARLY);
    expect(s.extension.pending).toEqual({ number: 1, requestedDeadline: '2026-03-20', reason: '设备到货需十天', by: 'ent-user', at: EARLY });
    expect(s.extension.requests).toBe(1);
    expect(s.seq).toBe(before.seq + 1);
    expect(s.deadline).toBe('2026-03-10');
    expect(pendingSteps(s)).toEqual(pendingSteps(before));
    expect(before.extension.pending).toBeNull();
  });
});

describe('checkExtensionDecision', () => {
  it('refuses as not_allowed when no request is pending, or the hazard is not rectifying', () => {
    expect(checkExtensionDecision(fresh(), approve(), EARLY)).toMatchObject({
      kind: 'not_allowed',
      message: 'no extension request is awaiting a decision; the hazard is rectifying',
    });
    expect(checkExtensionDecision(decideExtension(pending(), deny(), EARLY), deny(), EARLY)).toMatchObject({ kind: 'not_allowed' });
    const lapsed = submit(pending(), { evidence: ['a'], by: 'u' }, EARLY);
    expect(checkExtensionDecision(lapsed, approve(), EARLY)).toMatchObject({ kind: 'not_allowed' });
  });

  it('allows an approval of the requested date, or of an earlier date later than the current deadline', () => {
    expect(checkExtensionDecision(pending(), approve(), EARLY)).toBeNull();
    expect(checkExtensionDecision(pending(), approve({ newDeadline: '2026-03-20' }), EARLY)).toBeNull();
    expect(checkExtensionDecision(pending(), approve({ newDeadline: '2026-03-11' }), EARLY)).toBeNull();
  });

  it('refuses a decision without the deciding person as invalid on by', () => {
    expect(checkExtensionDecision(pending(), approve({ by: '' }), EARLY)).toMatchObject({ kind: 'invalid', field: 'by' });
  });

  it('refuses a denial without a reason as invalid on reason', () => {
    expect(checkExtensionDecision(pending(), deny(' '), EARLY)).toEqual({ kind: 'invalid', field: 'reason', message: 'a denial needs a reason' });
    expect(checkExtensionDecision(pending(), deny(), EARLY)).toBeNull();
  });

  it('refuses an approved date that is not a date, not after the current deadline, or after the requested one', () => {
    expect(checkExtensionDecision(pending(), approve({ newDeadline: '2026-02-30' }), EARLY)).toMatchObject({ field: 'newDeadline' });
    expect(checkExtensionDecision(pending(), approve({ newDeadline: '2026-03-10' }), EARLY)).toEqual({
      kind: 'invalid',
      field: 'newDeadline',
      message: 'the new deadline must be later than the current deadline 2026-03-10',
    });
    expect(checkExtensionDecision(pending(), approve({ newDeadline: '2026-03-21' }), EARLY)).toMatchObject({
      kind: 'invalid',
      field: 'newDeadline',
      message: 'the new deadline cannot be later than the one requested, 2026-03-20',
    });
  });

  it('refuses to approve a date already past (a decision that came too late): approve a later one or deny', () => {
    const s = pending(fresh(), ask({ requestedDeadline: '2026-03-12' }), EARLY);
    const lateNow = at('2026-03-13T02:00:00Z'); // 2026-03-13 in Shanghai
    expect(checkExtensionDecision(s, approve(), lateNow)).toEqual({
      kind: 'invalid',
      field: 'newDeadline',
      message: 'the new deadline 2026-03-12 is already past; approve a date from today on or deny the request',
    });
    expect(checkExtensionDecision(s, deny(), lateNow)).toBeNull();
  });

  it('takes the requested date when the approval names none', () => {
    const s = pending();
    expect(approvedDeadline(s, { decision: 'approve', by: 'sup' })).toBe('2026-03-20');
    expect(approvedDeadline(s, { decision: 'approve', newDeadline: '2026-03-15', by: 'sup' })).toBe('2026-03-15');
  });
});

describe('decideExtension: approval', () => {
  const APPROVED = at('2026-03-08T02:00:00Z'); // 2026-03-08 10:00 Shanghai

  it('moves the deadline, records the grant, clears the request and rises seq', () => {
    const asked = pending();
    const s = decideExtension(asked, approve({ newDeadline: '2026-03-18' }), APPROVED);
    expect(s.deadline).toBe('2026-03-18');
    expect(s.seq).toBe(asked.seq + 1);
    expect(s.extension.pending).toBeNull();
    expect(s.extension.originalDeadline).toBe('2026-03-10');
    expect(s.extension.granted).toEqual([
      {
        round: 1,
        number: 1,
        request: 1,
        from: '2026-03-10',
        to: '2026-03-18',
        requestedDeadline: '2026-03-20',
        reason: '设备到货需十天',
        requestedBy: 'ent-user',
        approvedBy: 'sup',
        at: APPROVED,
      },
    ]);
    expect(daysGrantedThisRound(s)).toBe(8);
    expect(asked.deadline).toBe('2026-03-10');
  });

  it('replans every pending step against the new deadline, keyed round-1/ext-1/…, from the approval on', () => {
    const s = decideExtension(pending(), approve(), APPROVED);
    expect(currentSegment(s)).toEqual({ segment: 'ext-1', startedAt: APPROVED });
    expect(summary(s)).toEqual([
      ['round-1/ext-1/reminder-3d', '2026-03-17T01:00:00.000Z'],
      ['round-1/ext-1/reminder-1d', '2026-03-19T01:00:00.000Z'],
      ['round-1/ext-1/overdue', '2026-03-20T16:00:00.000Z'],
      ['round-1/ext-1/escalation-1d', '2026-03-21T01:00:00.000Z'],
      ['round-1/ext-1/escalation-3d', '2026-03-23T01:00:00.000Z'],
    ]);
    // Nothing happens at the old deadline's end any more.
    expect(pendingSteps(s).some((p) => p.at === at('2026-03-10T16:00:00Z'))).toBe(false);
    expect(isOverdue(s, at('2026-03-10T16:00:00Z'))).toBe(false);
  });

  it('sends again a reminder already sent for the old deadline when its new time is still ahead', () => {
    const reminded = runUntil(pending(), at('2026-03-07T01:00:00Z'));
    expect(reminded.fired).toEqual(['round-1/reminder-3d']);
    const s = decideExtension(reminded, approve(), APPROVED);
    expect(pendingSteps(s).map((p) => p.key)).toContain('round-1/ext-1/reminder-3d');
  });

  it('leaves out a reminder whose new time has already passed at the approval', () => {
    // New deadline 2026-03-11: its 3-day reminder would have been 2026-03-08 09:00, before the approval at 10:00.
    const s = decideExtension(pending(fresh(), ask({ requestedDeadline: '2026-03-11' })), approve(), APPROVED);
    expect(summary(s)).toEqual([
      ['round-1/ext-1/reminder-1d', '2026-03-10T01:00:00.000Z'],
      ['round-1/ext-1/overdue', '2026-03-11T16:00:00.000Z'],
      ['round-1/ext-1/escalation-1d', '2026-03-12T01:00:00.000Z'],
      ['round-1/ext-1/escalation-3d', '2026-03-14T01:00:00.000Z'],
    ]);
  });

  it('lifts a hazard out of overdue when the approval comes after the old deadline passed: the ladder restarts', () => {
    const asked = pending(fresh(), ask({ requestedDeadline: '2026-03-25' }), EARLY);
    const late = runUntil(asked, at('2026-03-11T05:00:00Z'));
    expect(late.overdueSince).toBe(at('2026-03-10T16:00:00Z'));
    expect(late.escalationLevel).toBe(1);
    const s = decideExtension(late, approve(), at('2026-03-11T05:00:00Z'));
    expect(s).toMatchObject({ deadline: '2026-03-25', overdueSince: null, escalationLevel: 0, fired: [] });
    expect(isOverdue(s, at('2026-03-11T05:00:00Z'))).toBe(false);
    expect(nextStep(s)?.key).toBe('round-1/ext-1/reminder-3d');
  });

  it('numbers the segments of a second extension ext-2, so every key of the hazard stays unique', () => {
    let s = runUntil(fresh(), at('2026-03-07T01:00:00Z'));
    s = decideExtension(pending(s, ask({ requestedDeadline: '2026-03-15' })), approve(), APPROVED);
    s = runUntil(s, at('2026-03-12T01:00:00Z'));
    s = decideExtension(pending(s, ask({ requestedDeadline: '2026-03-25' }), at('2026-03-12T02:00:00Z')), approve(), at('2026-03-12T03:00:00Z'));
    expect(grantedThisRound(s).map((g) => [g.number, g.request, g.from, g.to])).toEqual([
      [1, 1, '2026-03-10', '2026-03-15'],
      [2, 2, '2026-03-15', '2026-03-25'],
    ]);
    expect(nextStep(s)?.key).toBe('round-1/ext-2/reminder-3d');
    const keys: string[] = [];
    let t = runUntil(fresh(), at('2026-03-07T01:00:00Z'));
    keys.push(...t.fired);
    t = decideExtension(pending(t, ask({ requestedDeadline: '2026-03-15' })), approve(), APPROVED);
    t = runUntil(t, at('2026-03-12T01:00:00Z'));
    keys.push(...t.fired);
    t = decideExtension(pending(t, ask({ requestedDeadline: '2026-03-25' }), at('2026-03-12T02:00:00Z')), approve(), at('2026-03-12T03:00:00Z'));
    t = runUntil(t, Number.MAX_SAFE_INTEGER);
    keys.push(...t.fired);
    expect(keys).toEqual([
      'round-1/reminder-3d',
      'round-1/ext-1/reminder-3d',
      'round-1/ext-2/reminder-3d',
      'round-1/ext-2/reminder-1d',
      'round-1/ext-2/overdue',
      'round-1/ext-2/escalation-1d',
      'round-1/ext-2/escalation-3d',
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('decideExtension: denial', () => {
  it('clears the request and rises seq; the deadline, the steps and their keys stay as they were', () => {
    const reminded = runUntil(fresh(), at('2026-03-07T01:00:00Z'));
    const asked = pending(reminded);
    const s = decideExtension(asked, deny(), at('2026-03-08T02:00:00Z'));
    expect(s.extension.pending).toBeNull();
    expect(s.extension.granted).toEqual([]);
    expect(s.extension.requests).toBe(1);
    expect(s.deadline).toBe('2026-03-10');
    expect(s.seq).toBe(asked.seq + 1);
    expect(pendingSteps(s)).toEqual(pendingSteps(reminded));
    expect(s.fired).toEqual(['round-1/reminder-3d']);
  });

  it('numbers the next request of the round 2', () => {
    const s = pending(decideExtension(pending(), deny(), EARLY), ask({ requestedDeadline: '2026-03-15' }));
    expect(s.extension.pending?.number).toBe(2);
  });
});

describe('submission and rejection', () => {
  it('a submission lets a pending request lapse', () => {
    const s = submit(pending(), { evidence: ['a.jpg'], by: 'ent-user' }, at('2026-03-06T02:00:00Z'));
    expect(s.status).toBe('under_review');
    expect(s.extension.pending).toBeNull();
    expect(s.extension.requests).toBe(1);
    expect(s.deadline).toBe('2026-03-10');
  });

  it('a rejection starts a fresh allowance: the new deadline is the round\u2019s original, grants of earlier rounds are kept', () => {
    const twice = extended('2026-03-25', extended('2026-03-15'));
    const inReview = submit(twice, { evidence: ['a.jpg'], by: 'u' }, at('2026-03-20T02:00:00Z'));
    const s = review(inReview, { decision: 'reject', reasons: ['x'], newDeadline: '2026-04-10', by: 'sup' }, at('2026-03-21T02:00:00Z'));
    expect(s.extension).toMatchObject({ originalDeadline: '2026-04-10', requests: 0, pending: null });
    expect(s.extension.granted).toHaveLength(2);
    expect(grantedThisRound(s)).toEqual([]);
    expect(daysGrantedThisRound(s)).toBe(0);
    expect(nextStep(s)?.key).toBe('round-2/reminder-3d');
    expect(checkExtensionRequest(s, ask({ requestedDeadline: '2026-04-20' }), at('2026-03-22T02:00:00Z'))).toBeNull();
  });
});

describe('states carried over from before extensions', () => {
  it('gain an empty extension record against the current deadline; others pass unchanged', () => {
    const { extension: _dropped, ...old } = runUntil(fresh(), at('2026-03-07T01:00:00Z'));
    const upgraded = upgradeState(old as HazardState);
    expect(upgraded.extension).toEqual(roundExtensions('2026-03-10'));
    expect(pendingSteps(upgraded).map((p) => p.key)).toEqual(['round-1/reminder-1d', 'round-1/overdue', 'round-1/escalation-1d', 'round-1/escalation-3d']);
    const current = fresh();
    expect(upgradeState(current)).toBe(current);
    expect(extensionsOf(old as HazardState)).toEqual(roundExtensions('2026-03-10'));
  });
});
