/**
 * The events each hazard change returns: the payloads and step keys the workflow records as they
 * are. Both are a persisted schema (hashed into the audit chain, keying the recording's
 * idempotency), so the literals below are the schema, not examples.
 */
import { describe, expect, it } from 'vitest';
import {
  acceptanceChange,
  assignChange,
  extensionDecisionChange,
  extensionRequestChange,
  noticeAttachedChange,
  planChange,
  policyChange,
  reopenChange,
  reviewChange,
  stepChange,
  submitChange,
  voidChange,
} from '../../domain/hazard-changes';
import { calendarAppliedEvent, registeredEvent } from '../../domain/hazard-events';
import { fireStep, nextStep, review, submit, voidHazard, type HazardState } from '../../domain/hazard-lifecycle';
import { applyCalendarYear } from '../../domain/hazard-calendar';
import { escalationText, reminderText, reviewOverdueText } from '../../domain/notification-text';
import type { HazardPolicy } from '../../domain/policy';
import { at, freshHazard, HAZARD, POLICY, runUntil } from '../support/hazard-states';

const NOW = at('2026-03-05T02:00:00Z');
const fresh = () => freshHazard();
const MAJOR: HazardPolicy = { ...POLICY, major: { acceptanceParties: ['enterprise', 'expert', 'government'], suspensionMaxDays: 183 } };
const major = (): HazardState => ({ ...freshHazard(MAJOR), grade: 'major' });
const submitted = (s: HazardState = fresh()) => submit(s, { evidence: ['f-1'], by: 'ent-user' }, NOW);

describe('registration and calendar events', () => {
  it('registers with the order, adding the rule, listing and people only when given', () => {
    expect(registeredEvent(HAZARD, 'sup-a', NOW)).toEqual({
      key: 'round-0/registered',
      event: { type: 'registered', actor: 'sup-a', occurredAt: NOW, data: { deadline: '2026-03-10', grade: 'general', policy: POLICY } },
    });
    const rule = { from: '2026-03-01', days: 9, unit: 'calendar' as const, legalBasis: '第六十五条' };
    const assignment = { supervisor: 'sup-a', enterpriseContact: null, delegate: null };
    expect(registeredEvent({ ...HAZARD, deadlineRule: rule, listingLevel: 'city', assignment }, 'sup-a', NOW).event.data).toEqual({
      deadline: '2026-03-10',
      grade: 'general',
      policy: POLICY,
      deadlineRule: rule,
      listingLevel: 'city',
      assignment,
    });
  });

  it('keys an applied year by the round and the seq the change left', () => {
    const { state, change } = applyCalendarYear(fresh(), { year: 2027, source: 't', holidays: [], workdays: [] });
    expect(calendarAppliedEvent(state, change, NOW)).toEqual({
      key: `round-1/calendar-2027-s${state.seq}`,
      event: { type: 'calendar_applied', actor: 'system', occurredAt: NOW, data: { ...change } },
    });
  });
});

describe('command changes', () => {
  it('void records the kind, the trimmed reason and the status it left', () => {
    const s = submitted();
    const { state, events } = voidChange(s, { kind: 'misreport', reason: ' 误报 ', by: 'sup-a' }, NOW);
    expect(state).toEqual(voidHazard(s, { kind: 'misreport', reason: ' 误报 ', by: 'sup-a' }, NOW));
    expect(events).toEqual([
      { key: 'round-1/voided', event: { type: 'voided', actor: 'sup-a', occurredAt: NOW, data: { kind: 'misreport', reason: '误报', statusBefore: 'under_review' } } },
    ]);
  });

  it('assignment names the role, who held it and who holds it now, keyed by the new seq', () => {
    const s = fresh();
    const reassigned = assignChange(s, { kind: 'reassign', role: 'supervisor', to: 'sup-b', reason: ' 调岗 ', by: 'chief' }, NOW);
    expect(reassigned.events).toEqual([
      {
        key: `round-1/assignment-s${s.seq + 1}`,
        event: { type: 'reassigned', actor: 'chief', occurredAt: NOW, data: { role: 'supervisor', from: null, to: 'sup-b', reason: '调岗' } },
      },
    ]);
    const delegated = assignChange(reassigned.state, { kind: 'delegate', to: 'sup-c', reason: '出差', by: 'sup-b' }, NOW);
    expect(delegated.events[0]!.event).toMatchObject({ type: 'delegated', data: { role: 'delegate', from: null, to: 'sup-c' } });
    const withdrawn = assignChange(delegated.state, { kind: 'delegate', to: null, reason: '返回', by: 'sup-b' }, NOW);
    expect(withdrawn.events[0]).toMatchObject({ key: `round-1/assignment-s${s.seq + 3}`, event: { type: 'delegation_withdrawn', data: { from: 'sup-c', to: null } } });
  });

  it('a policy change names both versions and carries the policy to write', () => {
    const s = fresh();
    const cmd = { policyId: 7, version: 3, policy: MAJOR, reason: ' 新规 ', by: 'admin' };
    expect(policyChange(s, cmd, 5, NOW).events).toEqual([
      {
        key: `round-1/policy-7-s${s.seq + 1}`,
        event: { type: 'policy_changed', actor: 'admin', occurredAt: NOW, data: { fromPolicyId: 5, toPolicyId: 7, version: 3, reason: '新规' } },
        policyChange: { policy: MAJOR, policyId: 7 },
      },
    ]);
    expect(policyChange({ ...s, policyId: 6 }, cmd, 5, NOW).events[0]!.event.data.fromPolicyId).toBe(6);
    expect(policyChange(s, cmd, null, NOW).events[0]!.event.data.fromPolicyId).toBeNull();
  });

  it('a plan is recorded as filed (trimmed, versioned), without who and when', () => {
    const cmd = { measures: ' 更换 ', funds: 5000, deadline: '2026-03-09', responsiblePerson: ' 王五 ', contingencyPlan: ' 停用 ', by: 'ent-user' };
    const first = planChange(major(), cmd, NOW);
    expect(first.events).toEqual([
      {
        key: 'round-1/plan-v1',
        event: {
          type: 'plan_filed',
          actor: 'ent-user',
          occurredAt: NOW,
          data: { measures: '更换', funds: 5000, deadline: '2026-03-09', responsiblePerson: '王五', contingencyPlan: '停用', version: 1 },
        },
      },
    ]);
    expect(planChange(first.state, cmd, NOW).events[0]!.key).toBe('round-1/plan-v2');
  });

  it('an acceptance records the party, result, opinion and signatory of the round', () => {
    const s = submitted(major());
    const { events } = acceptanceChange(s, { party: 'expert', passed: true, opinion: ' 合格 ', signatory: ' 李四 ', by: 'sup-a' }, NOW);
    expect(events).toEqual([
      {
        key: `round-1/acceptance-expert-s${s.seq + 1}`,
        event: { type: 'acceptance_recorded', actor: 'sup-a', occurredAt: NOW, data: { round: 1, party: 'expert', passed: true, opinion: '合格', signatory: '李四' } },
      },
    ]);
  });

  it('a submission records its evidence and lateness, freezes a hashed set, and lapses a pending extension request', () => {
    const plain = submitChange(fresh(), { evidence: ['f-1'], by: 'ent-user' }, NOW);
    expect(plain.events).toEqual([
      { key: 'round-1/submitted', event: { type: 'rectification_submitted', actor: 'ent-user', occurredAt: NOW, data: { evidence: ['f-1'], note: '', lateBy: 0 } } },
    ]);
    expect(plain.state).toEqual(submit(fresh(), { evidence: ['f-1'], by: 'ent-user' }, NOW));

    const overdue = runUntil(fresh(), at('2026-03-11T00:00:00Z'));
    const late = at('2026-03-11T02:00:00Z');
    const asked = extensionRequestChange(fresh(), { requestedDeadline: '2026-03-20', reason: '备件', by: 'ent-user' }, NOW).state;
    const hashed = submitChange({ ...overdue, extension: asked.extension }, { evidence: ['f-1', 'f-2'], note: '已改', by: 'ent-user', manifestHash: 'abc' }, late);
    expect(hashed.events).toEqual([
      {
        key: 'round-1/submitted',
        event: {
          type: 'rectification_submitted',
          actor: 'ent-user',
          occurredAt: late,
          data: { evidence: ['f-1', 'f-2'], note: '已改', lateBy: late - overdue.overdueSince!, manifestHash: 'abc' },
        },
        freezeEvidence: { fileIds: ['f-1', 'f-2'], round: 1, manifestHash: 'abc' },
      },
      {
        key: 'round-1/extension-request-1/lapsed',
        event: {
          type: 'extension_lapsed',
          actor: 'ent-user',
          occurredAt: late,
          data: { round: 1, request: 1, requestedDeadline: '2026-03-20', requestedBy: 'ent-user', because: 'rectification_submitted' },
        },
      },
    ]);
  });

  it('a closure records whether its round was rectified by the deadline, so a later reopening cannot rejudge it', () => {
    const s = submitted();
    const late = { ...s, submission: { ...s.submission!, at: at('2026-03-10T16:00:01Z') } };
    const onTime = { ...s, submission: { ...s.submission!, at: at('2026-03-10T15:59:59Z') } };
    const verdict = (x: typeof s) => reviewChange(x, { decision: 'accept', by: 'sup-a' }, NOW).events[0]!.event.data.onTime;
    expect(verdict(late)).toBe(false);
    expect(verdict(onTime)).toBe(true);
  });

  it('a review is keyed by the round it decided, accepting or rejecting', () => {
    const s = submitted();
    const accepted = reviewChange(s, { decision: 'accept', by: 'sup-a' }, NOW);
    expect(accepted.state).toEqual(review(s, { decision: 'accept', by: 'sup-a' }, NOW));
    expect(accepted.events).toEqual([{ key: 'round-1/reviewed', event: { type: 'review_accepted', actor: 'sup-a', occurredAt: NOW, data: { round: 1, comment: '', onTime: true } } }]);
    const rejected = reviewChange(s, { decision: 'reject', reasons: ['不彻底'], newDeadline: '2026-03-20', by: 'sup-a' }, NOW);
    expect(rejected.state.round).toBe(2);
    expect(rejected.events).toEqual([
      { key: 'round-1/reviewed', event: { type: 'review_rejected', actor: 'sup-a', occurredAt: NOW, data: { round: 1, reasons: ['不彻底'], newDeadline: '2026-03-20' } } },
    ]);
  });

  it('an extension request, its approval and its denial', () => {
    const asked = extensionRequestChange(fresh(), { requestedDeadline: '2026-03-20', reason: ' 备件 ', by: 'ent-user' }, NOW);
    expect(asked.events).toEqual([
      {
        key: 'round-1/extension-request-1/requested',
        event: {
          type: 'extension_requested',
          actor: 'ent-user',
          occurredAt: NOW,
          data: { round: 1, request: 1, requestedDeadline: '2026-03-20', reason: '备件', currentDeadline: '2026-03-10', originalDeadline: '2026-03-10' },
        },
      },
    ]);
    const approved = extensionDecisionChange(asked.state, { decision: 'approve', newDeadline: '2026-03-15', by: 'sup-a' }, NOW);
    expect(approved.state.deadline).toBe('2026-03-15');
    expect(approved.events).toEqual([
      {
        key: 'round-1/extension-request-1/approved',
        event: {
          type: 'extension_approved',
          actor: 'sup-a',
          occurredAt: NOW,
          data: { round: 1, request: 1, requestedDeadline: '2026-03-20', requestedBy: 'ent-user', extension: 1, previousDeadline: '2026-03-10', newDeadline: '2026-03-15', days: 5, totalDays: 5 },
        },
      },
    ]);
    const denied = extensionDecisionChange(asked.state, { decision: 'deny', reason: ' 无理由 ', by: 'sup-a' }, NOW);
    expect(denied.events).toEqual([
      {
        key: 'round-1/extension-request-1/denied',
        event: { type: 'extension_denied', actor: 'sup-a', occurredAt: NOW, data: { round: 1, request: 1, requestedDeadline: '2026-03-20', requestedBy: 'ent-user', reason: '无理由' } },
      },
    ]);
  });

  it('a reopening is keyed by its new round and keeps when the hazard had closed', () => {
    const closed = review(submitted(), { decision: 'accept', by: 'sup-a' }, NOW);
    const when = at('2026-04-01T02:00:00Z');
    const { state, events } = reopenChange(closed, { reason: ' 复发 ', newDeadline: '2026-04-10', by: 'sup-a', at: when });
    expect(state).toMatchObject({ status: 'rectifying', round: 2, deadline: '2026-04-10' });
    expect(events).toEqual([
      { key: 'round-2/reopened', event: { type: 'reopened', actor: 'sup-a', occurredAt: when, data: { reason: '复发', newDeadline: '2026-04-10', closedAt: NOW, round: 2 } } },
    ]);
  });

  it('joining a notice is keyed by the notice, not the round', () => {
    const s = fresh();
    const link = { noticeId: 'n-1', workflowId: 'notice-n-1' };
    const { state, events } = noticeAttachedChange(s, link, NOW);
    expect(state).toMatchObject({ notices: [link], seq: s.seq + 1 });
    expect(events).toEqual([{ key: 'notice-n-1/attached', event: { type: 'notice_attached', actor: 'system', occurredAt: NOW, data: { noticeId: 'n-1' } } }]);
  });
});

describe('due steps', () => {
  const title = '配电箱未接地';

  it('fires the step and records the reminder, the overdue mark and each escalation with its notification', () => {
    let s = fresh();
    const seen: unknown[] = [];
    const times: number[] = [];
    for (let step = nextStep(s); step && seen.length < 5; step = nextStep(s)) {
      // Fired a minute late, as a workflow woken by its timer may be.
      const change = stepChange(s, step, title, step.at + 60_000);
      expect(change.state).toEqual(fireStep(s, step));
      seen.push(change.events);
      times.push(step.at);
      s = change.state;
    }
    expect(seen[0]).toEqual([
      {
        key: 'round-1/reminder-3d',
        event: { occurredAt: times[0]! + 60_000, actor: 'system', type: 'reminder_sent', data: { daysBefore: 3, scheduledAt: times[0] } },
        notification: { kind: 'reminder', recipientRole: 'enterprise', level: null, message: reminderText(title, '2026-03-10', 3), scheduledAt: times[0] },
      },
    ]);
    expect(seen[2]).toEqual([
      { key: 'round-1/overdue', event: { occurredAt: at('2026-03-10T16:01:00Z'), actor: 'system', type: 'became_overdue', data: { deadline: '2026-03-10', round: 1 } } },
    ]);
    expect(seen[3]).toEqual([
      {
        key: 'round-1/escalation-1d',
        event: { occurredAt: times[3]! + 60_000, actor: 'system', type: 'escalated', data: { afterDays: 1, level: 1, recipientRole: 'supervisor', scheduledAt: times[3] } },
        notification: { kind: 'escalation', recipientRole: 'supervisor', level: 1, message: escalationText(title, '2026-03-10', 1, 1), scheduledAt: times[3] },
      },
    ]);
  });

  it('records an overdue review with the submission, the review deadline and whom it tells', () => {
    const policy: HazardPolicy = { ...POLICY, review: { withinDays: 3, escalateTo: 'supervisor_chief' } };
    const s = submit(freshHazard(policy), { evidence: ['f-1'], by: 'ent-user' }, NOW);
    const step = nextStep(s)!;
    expect(step.kind).toBe('review_overdue');
    const { events } = stepChange(s, step, title, step.at + 1);
    expect(events).toEqual([
      {
        key: 'round-1/review-overdue',
        event: {
          occurredAt: step.at + 1,
          actor: 'system',
          type: 'review_overdue',
          data: { submittedAt: NOW, reviewDue: s.reviewDue!.date, recipientRole: 'supervisor_chief', scheduledAt: step.at },
        },
        notification: {
          kind: 'escalation',
          recipientRole: 'supervisor_chief',
          level: null,
          message: reviewOverdueText(title, '2026-03-05', s.reviewDue!.date),
          scheduledAt: step.at,
        },
      },
    ]);
  });
});
