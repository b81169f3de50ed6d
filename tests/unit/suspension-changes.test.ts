/**
 * The events each suspension change returns: payloads and step keys as the workflow records them
 * (a persisted schema, hashed into the case's chain), so the literals below are the schema.
 */
import { describe, expect, it } from 'vitest';
import { fireStep, initialState, maximumReachedText, nextStep, reviewOverdueText, suspensionReminderText, type NewSuspension, type SuspensionStep } from '../../domain/suspension';
import { extensionChange, liftChange, orderedEvent, resumptionRequestChange, resumptionReviewChange, stepChange, type SuspensionRecord } from '../../domain/suspension-changes';

/** 2026-03-02 10:00 Shanghai. */
const NOW = Date.parse('2026-03-02T02:00:00Z');
const LATER = Date.parse('2026-03-20T02:00:00Z');

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
const start = () => initialState(ORDER, NOW);
const asked = () => resumptionRequestChange(start(), { note: '已整改', evidence: ['f-1'], selfCheck: { passed: true, summary: '合格' }, by: 'ent-user' }, LATER);

describe('suspension changes', () => {
  it('the order is recorded as the suspension starts from it, at the moment it was ordered', () => {
    expect(orderedEvent(start())).toEqual({
      key: 'ordered',
      event: {
        type: 'ordered',
        actor: 'supervisor-a',
        occurredAt: NOW,
        data: {
          enterpriseId: ORDER.enterpriseId,
          hazardId: null,
          origin: null,
          documentNumber: '甲县应急停〔2026〕3号',
          reason: '重大事故隐患未整改',
          scope: 'full',
          scopeNote: '',
          startsOn: '2026-03-02',
          plannedEnd: '2026-04-30',
          maxDays: 183,
          maxEnd: '2026-09-01',
        },
      },
    });
  });

  it('a resumption request and its review are keyed by the request they answer', () => {
    const { state, events } = asked();
    expect(state.status).toBe('resumption_requested');
    expect(events).toEqual([
      {
        key: 'request-1/requested',
        event: {
          type: 'resumption_requested',
          actor: 'ent-user',
          occurredAt: LATER,
          data: { note: '已整改', evidence: ['f-1'], selfCheck: { passed: true, summary: '合格' }, plannedEnd: '2026-04-30' },
        },
      },
    ]);
    const rejected = resumptionReviewChange(state, { decision: 'reject', reasons: ['未彻底'], plannedEnd: '2026-05-31', by: 'sup-a' }, LATER);
    expect(rejected.state).toMatchObject({ status: 'suspended', rejections: 1, plannedEnd: '2026-05-31' });
    expect(rejected.events).toEqual([
      {
        key: 'request-1/reviewed',
        event: { type: 'resumption_rejected', actor: 'sup-a', occurredAt: LATER, data: { request: 1, reasons: ['未彻底'], previousPlannedEnd: '2026-04-30', plannedEnd: '2026-05-31' } },
      },
    ]);
    const again = resumptionRequestChange(rejected.state, { note: '', selfCheck: { passed: true, summary: '' }, by: 'ent-user' }, LATER);
    expect(again.events[0]!.key).toBe('request-2/requested');
    expect(resumptionReviewChange(again.state, { decision: 'approve', by: 'sup-a' }, LATER).events).toEqual([
      { key: 'request-2/reviewed', event: { type: 'resumption_approved', actor: 'sup-a', occurredAt: LATER, data: { request: 2, comment: '' } } },
    ]);
  });

  it('an extension is keyed by its number and names the planned end before and after; lifting trims its words', () => {
    const { state, events } = extensionChange(start(), { plannedEnd: '2026-05-31', reason: ' 设备 ', by: 'sup-a' }, LATER);
    expect(events).toEqual([
      {
        key: 'extension-1',
        event: { type: 'extended', actor: 'sup-a', occurredAt: LATER, data: { previousPlannedEnd: '2026-04-30', plannedEnd: '2026-05-31', reason: '设备', maxEnd: '2026-09-01' } },
      },
    ]);
    expect(liftChange(state, { documentNumber: ' 解〔2026〕1号 ', reason: ' 整改完成 ', by: 'leader' }, LATER)).toEqual({
      state: { ...state, status: 'lifted', liftedAt: LATER, seq: state.seq + 1 },
      events: [{ key: 'lifted', event: { type: 'lifted', actor: 'leader', occurredAt: LATER, data: { documentNumber: '解〔2026〕1号', reason: '整改完成' } } }],
    });
  });

  it('each due step fires with the record and notification it sends', () => {
    let s = start();
    const records: Array<{ step: SuspensionStep; record: SuspensionRecord }> = [];
    for (let step = nextStep(s); step; step = nextStep(s)) {
      const change = stepChange(s, step, step.at + 1);
      expect(change.state).toEqual(fireStep(s, step));
      records.push({ step, record: change.events[0]! });
      expect(change.events).toHaveLength(1);
      s = change.state;
    }
    const byKind = (kind: string) => records.find((r) => r.step.kind === kind)!;
    const reminder = byKind('reminder');
    expect(reminder.record).toEqual({
      key: reminder.step.key,
      event: { occurredAt: reminder.step.at + 1, actor: 'system', type: 'reminder_sent', data: { daysBefore: 7, plannedEnd: '2026-04-30', scheduledAt: reminder.step.at } },
      notification: { kind: 'reminder', recipientRole: reminder.step.recipientRole, message: suspensionReminderText(ORDER.documentNumber, '2026-04-30', 7), scheduledAt: reminder.step.at },
    });
    const overdue = byKind('review_overdue');
    expect(overdue.record).toEqual({
      key: overdue.step.key,
      event: { occurredAt: overdue.step.at + 1, actor: 'system', type: 'review_overdue', data: { plannedEnd: '2026-04-30', status: 'suspended', recipientRole: 'supervisor_chief', scheduledAt: overdue.step.at } },
      notification: { kind: 'escalation', recipientRole: 'supervisor_chief', message: reviewOverdueText(ORDER.documentNumber, '2026-04-30'), scheduledAt: overdue.step.at },
    });
    const maximum = byKind('maximum_reached');
    expect(maximum.record).toEqual({
      key: maximum.step.key,
      event: { occurredAt: maximum.step.at + 1, actor: 'system', type: 'maximum_reached', data: { maxEnd: '2026-09-01', maxDays: 183, status: 'suspended', recipientRole: 'county_leader', scheduledAt: maximum.step.at } },
      notification: { kind: 'escalation', recipientRole: 'county_leader', message: maximumReachedText(ORDER.documentNumber, '2026-09-01', 183), scheduledAt: maximum.step.at },
    });
  });
});
