/**
 * What an enterprise sees of a notice: what is addressed to it. The instruments issued to it,
 * its deadlines and the steps of its own case (issued, signed, deadline moved, hazards settled,
 * urged, closed), and decisions once taken (served on it). The bureau's internal deliberations —
 * decisions pending or declined, instruments and escalations addressed to officials — stay inside.
 */

export interface DisclosedParts<I, D, E, N> {
  instruments: I[];
  decisions: D[];
  timeline: E[];
  notifications: N[];
}

/** Event types of a notice's trail that concern the enterprise itself. */
const ENTERPRISE_EVENTS = new Set(['issued', 'signed', 'deadline_extended', 'deadline_recomputed', 'calendar_applied', 'became_overdue', 'closed', 'urged', 'decision_taken']);

const addressedToEnterprise = (role: unknown) => role === 'enterprise';

/** Whether an event of the notice's trail is the enterprise's to see. */
export function enterpriseSeesEvent(e: { type: string; data: unknown }): boolean {
  if (e.type.startsWith('hazard_')) return true;
  if (e.type === 'instrument_issued') return addressedToEnterprise((e.data as { recipientRole?: unknown } | null)?.recipientRole);
  return ENTERPRISE_EVENTS.has(e.type);
}

/** Strips from an event's data what tells of internal deliberation (the decisions a closing let lapse). */
function enterpriseEventData(e: { type: string; data: unknown }): unknown {
  if (e.type !== 'closed' || !e.data || typeof e.data !== 'object') return e.data;
  const { lapsedDecisions: _lapsed, ...rest } = e.data as Record<string, unknown>;
  return rest;
}

export function enterpriseNoticeParts<
  I extends { recipientRole: string },
  D extends { status: string },
  E extends { type: string; data: unknown },
  N extends { recipientRole: string },
>(parts: DisclosedParts<I, D, E, N>): DisclosedParts<I, D, E, N> {
  return {
    instruments: parts.instruments.filter((i) => addressedToEnterprise(i.recipientRole)),
    decisions: parts.decisions.filter((d) => d.status === 'taken'),
    timeline: parts.timeline.filter(enterpriseSeesEvent).map((e) => ({ ...e, data: enterpriseEventData(e) })),
    notifications: parts.notifications.filter((n) => addressedToEnterprise(n.recipientRole)),
  };
}
