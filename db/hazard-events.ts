/**
 * A hazard's audit chain (hazard_events): one chain per hazard, appended by the hazard
 * workflow's recording activity, each append advancing the chain's signed head.
 */
import { desc, eq } from 'drizzle-orm';
import { GENESIS_HASH, KEYED, linkMac } from '../domain/audit-chain';
import type { Tx } from './admin-audit';
import { advanceHead } from './audit-heads';
import { auditKey } from './audit-key';
import { hazardEvents, hazards } from './schema';

/** The chain's name in reports and in audit_heads. */
export const hazardChain = (hazardId: string) => `hazard:${hazardId}`;

/** What a hazard event's hash covers. */
export function hazardEventContent(e: {
  hazardId: string;
  chainSeq: number;
  stepKey: string;
  type: string;
  actor: string;
  occurredAt: Date;
  data: unknown;
}) {
  return {
    hazardId: e.hazardId,
    seq: e.chainSeq,
    step: e.stepKey,
    type: e.type,
    actor: e.actor,
    occurredAt: e.occurredAt.toISOString(),
    data: e.data,
  };
}

export interface HazardEventAppend {
  hazardId: string;
  /** The workflow step that made the event; unique per hazard. */
  stepKey: string;
  type: string;
  actor: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

/**
 * Appends the step's event to the hazard's chain, once. The hazard row is locked first, so
 * appends to one chain never interleave, even if a retry races its own first attempt.
 */
export async function appendHazardEvent(tx: Tx, e: HazardEventAppend): Promise<void> {
  await tx.select({ id: hazards.id }).from(hazards).where(eq(hazards.id, e.hazardId)).for('update');
  const [last] = await tx
    .select({ chainSeq: hazardEvents.chainSeq, hash: hazardEvents.hash })
    .from(hazardEvents)
    .where(eq(hazardEvents.hazardId, e.hazardId))
    .orderBy(desc(hazardEvents.chainSeq))
    .limit(1);
  const event = { ...e, chainSeq: (last?.chainSeq ?? 0) + 1, occurredAt: new Date(e.occurredAt) };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = linkMac(auditKey(), prevHash, hazardEventContent(event));
  // A retried step finds its event already there (same hazard and step): nothing is appended.
  const appended = await tx
    .insert(hazardEvents)
    .values({ ...event, prevHash, hash, hashVersion: KEYED })
    .onConflictDoNothing({ target: [hazardEvents.hazardId, hazardEvents.stepKey] })
    .returning({ id: hazardEvents.id });
  if (appended.length) await advanceHead(tx, hazardChain(e.hazardId), event.chainSeq, hash);
}
