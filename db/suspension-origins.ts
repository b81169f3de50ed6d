/**
 * A notice's 停产整顿 decision is carried out by one suspension. The order claims the decision in a
 * short transaction of its own before the suspension's workflow starts (suspension_origins, one
 * row per decision); api/claimed-start.ts says when a claim whose start went wrong is let go.
 */
import { and, eq, inArray, lt, notExists } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from './client';
import { noticeScope } from './notice-queries';
import { noticeDecisions, notices, suspensionOrigins, suspensions } from './schema';

/** Claims the decision for the suspension; answers the suspension that holds it (this one, or another). */
export async function claimDecision(db: Database, decisionId: string, suspensionId: string, by: string): Promise<string> {
  return db.transaction(async (tx) => {
    // A claim being taken by a transaction still open makes this wait for its outcome.
    await tx.insert(suspensionOrigins).values({ decisionId, suspensionId, claimedBy: by }).onConflictDoNothing({ target: suspensionOrigins.decisionId });
    const [holder] = await tx.select({ suspensionId: suspensionOrigins.suspensionId }).from(suspensionOrigins).where(eq(suspensionOrigins.decisionId, decisionId));
    return holder!.suspensionId;
  });
}

/** Lets go of the suspension's claim unless the suspension is recorded (its workflow never ran). */
export async function releaseDecisionUnlessRecorded(db: Database, suspensionId: string): Promise<void> {
  const recorded = db.select({ id: suspensions.id }).from(suspensions).where(eq(suspensions.id, suspensionId));
  await db.delete(suspensionOrigins).where(and(eq(suspensionOrigins.suspensionId, suspensionId), notExists(recorded)));
}

/** The suspension holding the decision since before `claimedBefore`, if it was never recorded. */
export async function unrecordedHolder(db: Database, decisionId: string, claimedBefore: Date): Promise<string[]> {
  const recorded = db.select({ id: suspensions.id }).from(suspensions).where(eq(suspensions.id, suspensionOrigins.suspensionId));
  const rows = await db
    .select({ suspensionId: suspensionOrigins.suspensionId })
    .from(suspensionOrigins)
    .where(and(eq(suspensionOrigins.decisionId, decisionId), lt(suspensionOrigins.claimedAt, claimedBefore), notExists(recorded)));
  return rows.map((r) => r.suspensionId);
}

/** The suspensions that carry out the given decisions. */
export async function suspensionsOfDecisions(db: Database, decisionIds: string[]): Promise<Map<string, string>> {
  if (!decisionIds.length) return new Map();
  const rows = await db.select().from(suspensionOrigins).where(inArray(suspensionOrigins.decisionId, decisionIds));
  return new Map(rows.map((r) => [r.decisionId, r.suspensionId]));
}

/** Of the decisions the suspensions carry out, those whose notice `p` may open (noticeScope's rule). */
export async function openableOrigins(db: Database, p: Principal, rows: Array<{ origin: { id: string } | null }>): Promise<ReadonlySet<string>> {
  const ids = [...new Set(rows.flatMap((r) => (r.origin ? [r.origin.id] : [])))];
  if (!ids.length) return new Set();
  const open = await db
    .select({ id: noticeDecisions.id })
    .from(noticeDecisions)
    .innerJoin(notices, eq(notices.id, noticeDecisions.noticeId))
    .where(and(inArray(noticeDecisions.id, ids), noticeScope(p)));
  return new Set(open.map((r) => r.id));
}
