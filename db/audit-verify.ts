/**
 * Checks the audit chains link by link and reports the first broken link: per hazard for hazard
 * events, and the one global chain of administrative changes.
 */
import { asc, eq, type SQL } from 'drizzle-orm';
import { firstBreak, type ChainBreak } from '../domain/audit-chain';
import { adminEventContent } from './admin-audit';
import type { Database } from './client';
import { adminEvents, hazardEvents, hazards } from './schema';
import { hazardEventContent } from '../activities/hazard-records';

export interface VerificationReport {
  ok: boolean;
  chainsChecked: number;
  rowsChecked: number;
  firstBreak: (ChainBreak & { chain: string }) | null;
}

export async function verifyHazardChain(db: Database, hazardId: string): Promise<{ rows: number; broken: ChainBreak | null }> {
  const rows = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(asc(hazardEvents.chainSeq));
  const broken = firstBreak(rows.map((r) => ({ seq: r.chainSeq, prevHash: r.prevHash, hash: r.hash, content: hazardEventContent(r) })));
  return { rows: rows.length, broken };
}

export async function verifyAdminChain(db: Database): Promise<{ rows: number; broken: ChainBreak | null }> {
  const rows = await db.select().from(adminEvents).orderBy(asc(adminEvents.chainSeq));
  const broken = firstBreak(rows.map((r) => ({ seq: r.chainSeq, prevHash: r.prevHash, hash: r.hash, content: adminEventContent(r) })));
  return { rows: rows.length, broken };
}

/**
 * Every chain within `scope` (hazards in id order), stopping at the first broken link; the
 * administrative chain too when `includeAdmin` (it spans the whole system).
 */
export async function verifyAll(db: Database, opts: { scope?: SQL; includeAdmin?: boolean } = {}): Promise<VerificationReport> {
  const report: VerificationReport = { ok: true, chainsChecked: 0, rowsChecked: 0, firstBreak: null };
  if (opts.includeAdmin ?? true) {
    const admin = await verifyAdminChain(db);
    report.chainsChecked++;
    report.rowsChecked += admin.rows;
    if (admin.broken) return { ...report, ok: false, firstBreak: { chain: 'admin', ...admin.broken } };
  }
  const ids = await db.select({ id: hazards.id }).from(hazards).where(opts.scope).orderBy(asc(hazards.id));
  for (const { id } of ids) {
    const chain = await verifyHazardChain(db, id);
    report.chainsChecked++;
    report.rowsChecked += chain.rows;
    if (chain.broken) return { ...report, ok: false, firstBreak: { chain: `hazard:${id}`, ...chain.broken } };
  }
  return report;
}
