import { describe, expect, it } from 'vitest';
import { fireStep, initialState, nextStep, review, submit, type HazardState } from '../../domain/hazard-lifecycle';
import { decideExtension, requestExtension } from '../../domain/extension';
import { describeStep, snapshotOf, viewOf } from '../../domain/hazard-view';
import type { HazardPolicy } from '../../domain/policy';

const at = (s: string) => Date.parse(s);

const POLICY: HazardPolicy = {
  reminderDaysBefore: [3],
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor' },
    { afterDays: 3, level: 2, recipientRole: 'responsible_leader' },
  ],
};

const REGISTERED = at('2026-03-01T02:00:00Z');
const fresh = () =>
  initialState({ hazardId: 'hz-9', enterpriseId: 'ent-9', grade: 'major', policy: POLICY, deadline: '2026-03-10' }, REGISTERED);

function fireAll(state: HazardState, until: number): HazardState {
  let s = state;
  for (let step = nextStep(s); step && step.at <= until; step = nextStep(s)) s = fireStep(s, step);
  return s;
}

describe('describeStep', () => {
  it('is null when there is no step', () => {
    expect(describeStep(null)).toBeNull();
  });

  it('shows a reminder with its time and recipient, without a level', () => {
    expect(
      describeStep({ kind: 'reminder', key: 'round-1/reminder-3d', at: at('2026-03-07T01:00:00Z'), daysBefore: 3, recipientRole: 'enterprise' }),
    ).toEqual({ kind: 'reminder', at: '2026-03-07T01:00:00.000Z', recipientRole: 'enterprise' });
  });

  it('shows the overdue step with its time only', () => {
    expect(describeStep({ kind: 'overdue', key: 'round-1/overdue', at: at('2026-03-10T16:00:00Z') })).toEqual({
      kind: 'overdue',
      at: '2026-03-10T16:00:00.000Z',
    });
  });

  it('shows an escalation with its level and recipient', () => {
    expect(
      describeStep({
        kind: 'escalation',
        key: 'round-1/escalation-3d',
        at: at('2026-03-13T01:00:00Z'),
        afterDays: 3,
        level: 2,
        recipientRole: 'responsible_leader',
      }),
    ).toEqual({ kind: 'escalation', at: '2026-03-13T01:00:00.000Z', level: 2, recipientRole: 'responsible_leader' });
  });
});

describe('viewOf', () => {
  it('shows a new hazard: due at the end of the deadline day, not overdue, next the first reminder', () => {
    expect(viewOf(fresh(), REGISTERED)).toEqual({
      hazardId: 'hz-9',
      status: 'rectifying',
      round: 1,
      deadline: '2026-03-10',
      dueAt: '2026-03-10T16:00:00.000Z',
      overdue: false,
      overdueSince: null,
      escalationLevel: 0,
      next: { kind: 'reminder', at: '2026-03-07T01:00:00.000Z', recipientRole: 'enterprise' },
      submission: null,
      closedAt: null,
      extension: {
        pending: null,
        originalDeadline: '2026-03-10',
        count: 0,
        totalDays: 0,
        latestDeadline: '2026-04-09',
        limits: { maxCount: 2, maxTotalDays: 30, minLeadDays: 1 },
        granted: [],
      },
      provisional: false,
      deadlineProvisional: false,
      laterStepsProvisional: false,
      deadlineRule: null,
      reviewDue: null,
      reviewOverdue: false,
      voided: null,
      assignment: { supervisor: null, enterpriseContact: null, delegate: null },
      listingLevel: null,
      plan: null,
      acceptances: [],
      acceptancesOutstanding: [],
      reopenings: 0,
    });
  });

  it('shows an overdue hazard with when it became overdue, its level and the next escalation', () => {
    const now = at('2026-03-11T05:00:00Z');
    const s = fireAll(fresh(), now);
    expect(viewOf(s, now)).toMatchObject({
      overdue: true,
      overdueSince: '2026-03-10T16:00:00.000Z',
      escalationLevel: 1,
      next: { kind: 'escalation', at: '2026-03-13T01:00:00.000Z', level: 2, recipientRole: 'responsible_leader' },
    });
  });

  it('computes overdue from the clock even before the overdue step has fired', () => {
    const v = viewOf(fresh(), at('2026-03-10T16:00:00Z'));
    expect(v.overdue).toBe(true);
    expect(v.overdueSince).toBeNull();
  });

  it('shows a submission with its time as an ISO string and no next step', () => {
    const s = submit(fresh(), { evidence: ['a.jpg', 'b.jpg'], note: 'n', by: 'ent-user' }, at('2026-03-05T02:00:00Z'));
    const v = viewOf(s, at('2026-03-12T00:00:00Z'));
    expect(v.status).toBe('under_review');
    expect(v.overdue).toBe(false);
    expect(v.next).toBeNull();
    expect(v.submission).toEqual({ evidence: ['a.jpg', 'b.jpg'], note: 'n', by: 'ent-user', at: '2026-03-05T02:00:00.000Z' });
  });

  it('shows when a closed hazard was closed', () => {
    const s = review(
      submit(fresh(), { evidence: ['a.jpg'], by: 'u' }, at('2026-03-05T02:00:00Z')),
      { decision: 'accept', by: 'sup' },
      at('2026-03-06T03:04:05Z'),
    );
    expect(viewOf(s, at('2026-03-20T00:00:00Z'))).toMatchObject({
      status: 'closed',
      closedAt: '2026-03-06T03:04:05.000Z',
      overdue: false,
      next: null,
    });
  });
});

describe('snapshotOf', () => {
  it('writes the read-model fields of a new hazard as numbers, with the next step and the given time', () => {
    const now = at('2026-03-01T02:00:00.123Z');
    expect(snapshotOf(fresh(), now)).toEqual({
      status: 'rectifying',
      round: 1,
      deadline: '2026-03-10',
      dueAt: at('2026-03-10T16:00:00Z'),
      overdueSince: null,
      escalationLevel: 0,
      nextStepKind: 'reminder',
      nextStepAt: at('2026-03-07T01:00:00Z'),
      submittedAt: null,
      closedAt: null,
      originalDeadline: '2026-03-10',
      extensionRequest: null,
      extensionsGranted: 0,
      roundExtensions: 0,
      provisional: false,
      deadlineProvisional: false,
      laterStepsProvisional: false,
      deadlineRule: null,
      reviewDueAt: null,
      reviewOverdueSince: null,
      voided: null,
      assignment: { supervisor: null, enterpriseContact: null, delegate: null },
      listingLevel: null,
      plan: null,
      acceptances: [],
      reopenings: 0,
      seq: 1,
      updatedAt: now,
    });
  });

  it('carries overdueSince, level and seq after the ladder has begun', () => {
    const s = fireAll(fresh(), at('2026-03-11T01:00:00Z'));
    expect(snapshotOf(s, 0)).toMatchObject({
      overdueSince: at('2026-03-10T16:00:00Z'),
      escalationLevel: 1,
      nextStepKind: 'escalation',
      nextStepAt: at('2026-03-13T01:00:00Z'),
      seq: 4,
    });
  });

  it('has the submission time and no next step under review', () => {
    const submittedAt = at('2026-03-05T02:00:00Z');
    const s = submit(fresh(), { evidence: ['a.jpg'], by: 'u' }, submittedAt);
    expect(snapshotOf(s, submittedAt)).toMatchObject({
      status: 'under_review',
      submittedAt,
      nextStepKind: null,
      nextStepAt: null,
      seq: 2,
    });
  });

  it('shows the new round and deadline after a rejection, with the submission cleared', () => {
    const s = review(
      submit(fresh(), { evidence: ['a.jpg'], by: 'u' }, at('2026-03-05T02:00:00Z')),
      { decision: 'reject', reasons: ['x'], newDeadline: '2026-03-31', by: 'sup' },
      at('2026-03-06T02:00:00Z'),
    );
    expect(snapshotOf(s, 0)).toMatchObject({
      status: 'rectifying',
      round: 2,
      deadline: '2026-03-31',
      dueAt: at('2026-03-31T16:00:00Z'),
      submittedAt: null,
      nextStepKind: 'reminder',
      nextStepAt: at('2026-03-28T01:00:00Z'),
      seq: 3,
    });
  });
});

describe('extensions in the view and the snapshot', () => {
  const asked = () =>
    requestExtension(fresh(), { requestedDeadline: '2026-03-20', reason: '设备定制', by: 'ent-user' }, at('2026-03-05T02:00:00Z'));
  const approved = () => decideExtension(asked(), { decision: 'approve', newDeadline: '2026-03-18', by: 'sup' }, at('2026-03-06T02:00:00Z'));

  it('shows the pending request with its time as an ISO string', () => {
    expect(viewOf(asked(), at('2026-03-05T03:00:00Z')).extension).toEqual({
      pending: { number: 1, requestedDeadline: '2026-03-20', reason: '设备定制', by: 'ent-user', at: '2026-03-05T02:00:00.000Z' },
      originalDeadline: '2026-03-10',
      count: 0,
      totalDays: 0,
      latestDeadline: '2026-04-09',
      limits: { maxCount: 2, maxTotalDays: 30, minLeadDays: 1 },
      granted: [],
    });
    expect(snapshotOf(asked(), 0)).toMatchObject({
      extensionRequest: { requestedDeadline: '2026-03-20', reason: '设备定制', by: 'ent-user', at: at('2026-03-05T02:00:00Z') },
      extensionsGranted: 0,
      roundExtensions: 0,
      originalDeadline: '2026-03-10',
    });
  });

  it('shows an approved extension: the new deadline and next step, the grant, the days it added', () => {
    const v = viewOf(approved(), at('2026-03-06T03:00:00Z'));
    expect(v).toMatchObject({
      deadline: '2026-03-18',
      dueAt: '2026-03-18T16:00:00.000Z',
      next: { kind: 'reminder', at: '2026-03-15T01:00:00.000Z' },
    });
    expect(v.extension).toMatchObject({ pending: null, originalDeadline: '2026-03-10', count: 1, totalDays: 8 });
    expect(v.extension.granted).toEqual([
      expect.objectContaining({ round: 1, number: 1, from: '2026-03-10', to: '2026-03-18', approvedBy: 'sup', at: '2026-03-06T02:00:00.000Z' }),
    ]);
    expect(snapshotOf(approved(), 0)).toMatchObject({
      deadline: '2026-03-18',
      dueAt: at('2026-03-18T16:00:00Z'),
      nextStepAt: at('2026-03-15T01:00:00Z'),
      extensionRequest: null,
      extensionsGranted: 1,
      roundExtensions: 1,
      originalDeadline: '2026-03-10',
    });
  });

  it('counts grants of every round in the snapshot, and only this round\u2019s as roundExtensions', () => {
    const rejected = review(
      submit(approved(), { evidence: ['a.jpg'], by: 'u' }, at('2026-03-07T02:00:00Z')),
      { decision: 'reject', reasons: ['x'], newDeadline: '2026-04-01', by: 'sup' },
      at('2026-03-08T02:00:00Z'),
    );
    expect(snapshotOf(rejected, 0)).toMatchObject({ extensionsGranted: 1, roundExtensions: 0, originalDeadline: '2026-04-01' });
  });
});
