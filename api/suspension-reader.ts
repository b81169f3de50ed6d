/**
 * Reading one suspension for an answer: found within the caller's reach (else 404, exactly as if
 * it did not exist), with its timeline and notifications; an enterprise sees what was sent to it,
 * not whom inside government the clock told.
 */
import type { Principal } from '../auth/principal';
import { caseTimeline } from '../db/case-events';
import type { Database } from '../db/client';
import { openableOrigins } from '../db/suspension-origins';
import { findSuspension, suspensionNotificationsOf, type SuspensionRow } from '../db/suspension-queries';
import type { SuspensionOrigin } from '../domain/suspension';
import { shownOrigin } from '../domain/suspension-disclosure';
import { reachedFor, withPeople } from './people';
import { problems } from './problem';
import { suspensionJson } from './suspension-json';

export function suspensionReader(db: Database, clock: () => number) {
  async function load(principal: Principal, id: string): Promise<SuspensionRow> {
    const row = await findSuspension(db, principal, id);
    if (!row) throw problems.notFound('suspension');
    return row;
  }

  async function detail(row: SuspensionRow, principal: Principal) {
    const [timeline, notices, openable] = await Promise.all([caseTimeline(db, 'suspension', row.id), suspensionNotificationsOf(db, row.id), openableOrigins(db, principal, [row])]);
    const internal = principal.role !== 'enterprise';
    return withPeople(db, {
      ...suspensionJson(row, clock(), openable),
      timeline: timeline.map((e) => {
        // Events are stored with an object of data (case_events.data defaults to {}); the order's names its origin.
        const stored = e.data as Record<string, unknown>;
        const data = 'origin' in stored ? { ...stored, origin: shownOrigin(stored.origin as SuspensionOrigin | null, openable) } : stored;
        const { recipientRole: _to, ...rest } = data;
        return { step: e.stepKey, type: e.type, actor: e.actor, occurredAt: e.occurredAt.toISOString(), data: internal ? data : rest };
      }),
      notifications: notices
        .filter((n) => internal || n.recipientRole === 'enterprise')
        .map((n) => ({ ...n, scheduledAt: n.scheduledAt.toISOString() })),
      ...(await reachedFor(db, principal, 'suspension', row.id)),
    });
  }

  return { load, detail };
}
