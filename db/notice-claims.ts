/**
 * Which open notice holds a hazard (notice_claims, one row per hazard). A notice claims all its
 * hazards in one short transaction of its own before its workflow starts: all or none, so two
 * notices issued at once can never both hold a hazard. The workflow's recording activity lets
 * go of them as the notice closes; api/claimed-start.ts says when a claim whose start went wrong is let go.
 */
import { and, eq, inArray, lt, ne, notExists } from 'drizzle-orm';
import type { Database } from './client';
import { noticeClaims, notices } from './schema';

class HeldElsewhere extends Error {
  constructor(readonly hazardIds: string[]) {
    super('hazards held by another notice');
  }
}

/**
 * Claims the hazards for the notice; returns those another notice holds (then nothing is
 * claimed). Claiming again for the same notice (a retried issuance) holds what it holds.
 */
export async function claimHazards(db: Database, noticeId: string, hazardIds: string[], by: string): Promise<string[]> {
  // One order for every claimer, so two notices sharing hazards wait on each other, never deadlock.
  const ids = [...new Set(hazardIds)].sort();
  if (!ids.length) return [];
  try {
    await db.transaction(async (tx) => {
      // A claim being taken by a transaction still open makes this wait for its outcome.
      await tx
        .insert(noticeClaims)
        .values(ids.map((hazardId) => ({ hazardId, noticeId, claimedBy: by })))
        .onConflictDoNothing({ target: noticeClaims.hazardId });
      const holders = await tx.select({ hazardId: noticeClaims.hazardId, noticeId: noticeClaims.noticeId }).from(noticeClaims).where(inArray(noticeClaims.hazardId, ids));
      const elsewhere = holders.filter((h) => h.noticeId !== noticeId).map((h) => h.hazardId);
      if (elsewhere.length) throw new HeldElsewhere(elsewhere.sort());
    });
    return [];
  } catch (error) {
    if (error instanceof HeldElsewhere) return error.hazardIds;
    throw error;
  }
}

/** Lets go of a notice's claims unless it is recorded and open (its workflow never ran, or it had closed). */
export async function releaseClaimsUnlessOpen(db: Database, noticeId: string): Promise<void> {
  const open = db
    .select({ id: notices.id })
    .from(notices)
    .where(and(eq(notices.id, noticeId), ne(notices.status, 'closed')));
  await db.delete(noticeClaims).where(and(eq(noticeClaims.noticeId, noticeId), notExists(open)));
}

/** The notices holding any of the hazards since before `claimedBefore` that were never recorded. */
export async function unrecordedClaimants(db: Database, hazardIds: string[], claimedBefore: Date): Promise<string[]> {
  if (!hazardIds.length) return [];
  const recorded = db.select({ id: notices.id }).from(notices).where(eq(notices.id, noticeClaims.noticeId));
  const rows = await db
    .selectDistinct({ noticeId: noticeClaims.noticeId })
    .from(noticeClaims)
    .where(and(inArray(noticeClaims.hazardId, hazardIds), lt(noticeClaims.claimedAt, claimedBefore), notExists(recorded)));
  return rows.map((r) => r.noticeId);
}
