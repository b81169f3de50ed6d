/**
 * Chain heads kept apart from the rows they protect (audit_heads): advanced, signed, in the
 * transaction that appends, so a chain and its head always change together.
 */
import { eq, sql } from 'drizzle-orm';
import { firstBreak, headMac, type ChainBreak, type ChainRow } from '../domain/audit-chain';
import type { Tx } from './admin-audit';
import type { Database } from './client';
import { auditKey } from './audit-key';
import { auditHeads, auditLegacy } from './schema';

/** Call after appending row `seq` with `hash` to `chain`, in the same transaction. */
export async function advanceHead(tx: Tx, chain: string, seq: number, hash: string): Promise<void> {
  const mac = headMac(auditKey(), chain, seq, hash);
  await tx
    .insert(auditHeads)
    .values({ chain, seq, hash, mac })
    .onConflictDoUpdate({ target: auditHeads.chain, set: { seq, hash, mac, updatedAt: sql`now()` } });
}

export async function readHead(db: Database | Tx, chain: string) {
  const [row] = await db.select({ seq: auditHeads.seq, hash: auditHeads.hash, mac: auditHeads.mac }).from(auditHeads).where(eq(auditHeads.chain, chain));
  return row ?? null;
}

export type AuditTable = 'hazard_events' | 'admin_events' | 'case_events';

/** The highest id of `table` written before the audit key (rows past it must be keyed). */
export async function legacyBound(db: Database | Tx, table: AuditTable): Promise<number> {
  const [row] = await db.select().from(auditLegacy);
  if (!row) return 0;
  return { hazard_events: row.hazardEventsMaxId, admin_events: row.adminEventsMaxId, case_events: row.caseEventsMaxId }[table];
}

/** Checks a chain's rows (in order) against its signed head; read both in one snapshot. */
export async function checkChain(db: Database | Tx, chain: string, table: AuditTable, rows: ChainRow[], legacyMaxId?: number): Promise<ChainCheck> {
  const head = await readHead(db, chain);
  const bound = legacyMaxId ?? (await legacyBound(db, table));
  return { rows: rows.length, broken: firstBreak(chain, rows, head, { key: auditKey(), legacyMaxId: bound }) };
}

export interface ChainCheck {
  rows: number;
  broken: ChainBreak | null;
}
