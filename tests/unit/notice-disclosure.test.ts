/**
 * What an enterprise sees of a notice: what is addressed to it; the bureau's deliberations
 * (pending or declined decisions, instruments and escalations to officials) stay internal.
 */
import { describe, expect, it } from 'vitest';
import { enterpriseNoticeParts, enterpriseSeesEvent } from '../../domain/notice-disclosure';

describe('enterpriseNoticeParts', () => {
  const parts = {
    instruments: [
      { code: 'A〔2026〕2号', recipientRole: 'enterprise' },
      { code: 'A〔2026〕3号', recipientRole: 'supervisor_chief' },
    ],
    decisions: [
      { kind: 'warning_interview', status: 'pending' },
      { kind: 'penalty', status: 'taken' },
      { kind: 'judicial_transfer', status: 'declined' },
      { kind: 'suspension', status: 'lapsed' },
    ],
    timeline: [
      { type: 'issued', data: {} },
      { type: 'sign_escalated', data: { recipientRole: 'supervisor_chief' } },
      { type: 'instrument_issued', data: { instrument: 'reminder_card', recipientRole: 'enterprise' } },
      { type: 'instrument_issued', data: { instrument: 'list', recipientRole: 'supervisor_chief' } },
      { type: 'decision_opened', data: { kind: 'judicial_transfer' } },
      { type: 'decision_taken', data: { kind: 'penalty' } },
      { type: 'decision_declined', data: { kind: 'judicial_transfer' } },
      { type: 'hazard_closed', data: { hazardId: 'h1' } },
      { type: 'closed', data: { reason: 'all closed', lapsedDecisions: ['d1'] } },
    ],
    notifications: [
      { kind: 'reminder_card', recipientRole: 'enterprise' },
      { kind: 'decision', recipientRole: 'city_leader' },
    ],
  };

  it('keeps what is addressed to the enterprise and decisions once taken', () => {
    const seen = enterpriseNoticeParts(parts);
    expect(seen.instruments.map((i) => i.code)).toEqual(['A〔2026〕2号']);
    expect(seen.decisions.map((d) => d.kind)).toEqual(['penalty']);
    expect(seen.timeline.map((e) => e.type)).toEqual(['issued', 'instrument_issued', 'decision_taken', 'hazard_closed', 'closed']);
    expect(seen.notifications.map((n) => n.kind)).toEqual(['reminder_card']);
  });

  it('strips the decisions a closing let lapse, and never mentions one pending', () => {
    const seen = enterpriseNoticeParts(parts);
    expect(seen.timeline.at(-1)!.data).toEqual({ reason: 'all closed' });
    expect(JSON.stringify(seen)).not.toContain('judicial_transfer');
  });

  it('reads an instrument event without a recipient as internal', () => {
    expect(enterpriseSeesEvent({ type: 'instrument_issued', data: null })).toBe(false);
    expect(enterpriseSeesEvent({ type: 'urged', data: {} })).toBe(true);
  });
});
