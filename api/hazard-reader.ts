/**
 * Reading one hazard for an answer: found within the caller's reach (else 404, exactly as if it
 * did not exist), and shown with its timeline and notifications as the caller's role may see it.
 */
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { findHazard, type HazardRow } from '../db/hazard-queries';
import { findHazardRecord, type HazardRecord } from '../db/hazard-record';
import { reachedFor, withPeople } from './people';
import type { HazardPolicy } from '../domain/policy';
import { problems } from './problem';
import { hazardJson } from './hazard-json';

/** What an event tells an enterprise: that it was escalated and to which level, not to whom; its registration without the bureau's policy. */
function forEnterprise(type: string, data: unknown): unknown {
  if (type === 'escalated') return { level: (data as { level?: number }).level };
  if (type === 'review_overdue') return { reviewDue: (data as { reviewDue?: string }).reviewDue };
  if (type === 'registered' && data && typeof data === 'object') {
    const { policy: _policy, ...rest } = data as Record<string, unknown>;
    return rest;
  }
  return data;
}

export function hazardReader(db: Database, clock: () => number) {
  async function load(principal: Principal, id: string): Promise<HazardRow> {
    const row = await findHazard(db, principal, id);
    if (!row) throw problems.notFound('hazard');
    return row;
  }

  /**
   * The record with its timeline and notifications: an enterprise sees what was sent to it and
   * that it was escalated, but not the bureau's internal ladder (policy, who inside government was
   * told, whom each step reached).
   */
  async function detail({ row, timeline, notifications, reached }: HazardRecord, principal: Principal) {
    const internal = principal.role !== 'enterprise';
    return withPeople(db, {
      ...hazardJson(row, clock()),
      ...(internal ? { policy: row.policy as HazardPolicy, policyId: row.policyId } : {}),
      timeline: timeline.map((e) => ({ ...e, data: internal ? e.data : forEnterprise(e.type, e.data) })),
      notifications: notifications.filter((n) => internal || n.recipientRole === 'enterprise'),
      ...(await reachedFor(db, principal, 'hazard', row.id, reached)),
    });
  }

  /** The answer of a read or a command: the record as it stands now, read once. */
  async function answer(principal: Principal, id: string) {
    const record = await findHazardRecord(db, principal, id);
    if (!record) throw problems.notFound('hazard');
    return detail(record, principal);
  }

  return { load, detail, answer };
}
