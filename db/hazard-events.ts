/**
 * A hazard's audit chain (hazard_events): one chain per hazard, appended by the hazard
 * workflow's recording activity, each append advancing the chain's signed head.
 */
import { desc, eq, sql, type SQL } from 'drizzle-orm';
import type { WithSubquery } from 'drizzle-orm';
import { GENESIS_HASH, KEYED, headMac, linkMac } from '../domain/audit-chain';
import type { Tx } from './admin-audit';
import { auditKey } from './audit-key';
import { auditHeads, hazardEvents, hazards } from './schema';

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
 * Locks the hazard's row for the rest of the transaction, so appends to its chain never
 * interleave, even if a retry races its own first attempt. Answers the row's region (null: no
 * row). A statement of its own: the chain's last link must be read after the lock is granted, in
 * a snapshot taken then (a read joined to the lock would keep the snapshot from before the wait).
 */
export async function lockHazard(tx: Tx, hazardId: string): Promise<{ regionPath: string } | null> {
  const [row] = await tx.select({ regionPath: hazards.regionPath }).from(hazards).where(eq(hazards.id, hazardId)).for('update');
  return row ?? null;
}

/**
 * Appends the step's event to the hazard's chain once, with the chain's head, in one statement;
 * `alongside` are further writes of the step sent in the same statement (each a data-modifying
 * CTE on another row than these two). The hazard must be locked (lockHazard) in this
 * transaction. Answers whether the event was appended: false when a retried step finds its
 * event there already (same hazard and step), and then neither it nor the head changes.
 */
export async function appendHazardEvent(tx: Tx, e: HazardEventAppend, alongside: WithSubquery[] = []): Promise<boolean> {
  const [last] = await tx
    .select({ chainSeq: hazardEvents.chainSeq, hash: hazardEvents.hash })
    .from(hazardEvents)
    .where(eq(hazardEvents.hazardId, e.hazardId))
    .orderBy(desc(hazardEvents.chainSeq))
    .limit(1);
  const event = { ...e, chainSeq: (last?.chainSeq ?? 0) + 1, occurredAt: new Date(e.occurredAt) };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = linkMac(auditKey(), prevHash, hazardEventContent(event));
  const chain = hazardChain(e.hazardId);
  const appended = tx.$with('appended').as(
    tx
      .insert(hazardEvents)
      .values({ ...event, prevHash, hash, hashVersion: KEYED })
      .onConflictDoNothing({ target: [hazardEvents.hazardId, hazardEvents.stepKey] })
      .returning({ id: hazardEvents.id }),
  );
  // The head moves only with an appended row: selected from the insert's result, none on a retry.
  const head = tx.$with('head').as(
    tx
      .insert(auditHeads)
      .select(sql`select ${chain}, ${event.chainSeq}::integer, ${hash}, ${headMac(auditKey(), chain, event.chainSeq, hash)}, now() from ${appended}` as SQL)
      .onConflictDoUpdate({ target: auditHeads.chain, set: { seq: sql`excluded.seq`, hash: sql`excluded.hash`, mac: sql`excluded.mac`, updatedAt: sql`now()` } }),
  );
  const [row] = await tx
    .with(appended, head, ...alongside)
    .select({ n: sql<number>`count(*)::integer` })
    .from(appended);
  return (row?.n ?? 0) > 0;
}
