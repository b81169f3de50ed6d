/**
 * Appends to the audit chain of one case (a notice, suspension or inspection) and verifies it.
 * Appends to one chain take turns on a transaction-scoped lock of that case, so a retried
 * activity racing its first attempt can neither fork the chain nor append twice.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { GENESIS_HASH, KEYED, linkMac } from '../domain/audit-chain';
import type { Tx } from './admin-audit';
import { advanceHead, checkChain, type ChainCheck } from './audit-heads';
import { auditKey } from './audit-key';
import type { Database } from './client';
import { CASE_TYPES, caseEvents } from './schema';

export type CaseType = (typeof CASE_TYPES)[number];

export interface CaseEvent {
  caseType: CaseType;
  caseId: string;
  /** The workflow step (or API command) that made the event; unique per case. */
  stepKey: string;
  type: string;
  actor: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

/** The chain's name in reports and in audit_heads. */
export const caseChain = (caseType: CaseType, caseId: string) => `${caseType}:${caseId}`;

/** What a case event's hash covers. */
export function caseEventContent(e: {
  caseType: string;
  caseId: string;
  chainSeq: number;
  stepKey: string;
  type: string;
  actor: string;
  occurredAt: Date;
  data: unknown;
}) {
  return {
    case: `${e.caseType}:${e.caseId}`,
    seq: e.chainSeq,
    step: e.stepKey,
    type: e.type,
    actor: e.actor,
    occurredAt: e.occurredAt.toISOString(),
    data: e.data,
  };
}

/**
 * Takes the case's turn for the rest of the transaction (appends take it too; taking it again is
 * harmless): what is decided under it before an append, such as a number, is decided once.
 */
export async function lockCase(tx: Tx, caseType: CaseType, caseId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`duban.case:${caseType}:${caseId}`}))`);
}

/** Appends the event once; returns false when this step was already recorded. */
export async function appendCaseEvent(tx: Tx, e: CaseEvent): Promise<boolean> {
  await lockCase(tx, e.caseType, e.caseId);
  const where = and(eq(caseEvents.caseType, e.caseType), eq(caseEvents.caseId, e.caseId));
  const [done] = await tx
    .select({ id: caseEvents.id })
    .from(caseEvents)
    .where(and(where, eq(caseEvents.stepKey, e.stepKey)));
  if (done) return false;
  const [last] = await tx
    .select({ chainSeq: caseEvents.chainSeq, hash: caseEvents.hash })
    .from(caseEvents)
    .where(where)
    .orderBy(desc(caseEvents.chainSeq))
    .limit(1);
  const row = { ...e, chainSeq: (last?.chainSeq ?? 0) + 1, occurredAt: new Date(e.occurredAt) };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = linkMac(auditKey(), prevHash, caseEventContent(row));
  await tx.insert(caseEvents).values({ ...row, prevHash, hash, hashVersion: KEYED });
  await advanceHead(tx, caseChain(e.caseType, e.caseId), row.chainSeq, hash);
  return true;
}

export async function caseTimeline(db: Database | Tx, caseType: CaseType, caseId: string) {
  return db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseType, caseType), eq(caseEvents.caseId, caseId)))
    .orderBy(asc(caseEvents.chainSeq));
}

export async function verifyCaseChain(db: Database | Tx, caseType: CaseType, caseId: string, legacyMaxId?: number): Promise<ChainCheck> {
  const rows = await caseTimeline(db, caseType, caseId);
  return checkChain(
    db,
    caseChain(caseType, caseId),
    'case_events',
    rows.map((r) => ({ id: r.id, seq: r.chainSeq, prevHash: r.prevHash, hash: r.hash, version: r.hashVersion, content: caseEventContent(r) })),
    legacyMaxId,
  );
}
