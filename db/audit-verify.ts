/**
 * Checks every audit chain link by link and against its signed head, and reports the first
 * break: the administrative chain, one chain per hazard (hazard_events), and one per notice,
 * suspension and inspection (case_events). Everything is read in one snapshot, so appends made
 * while it runs never look like a mismatch between a chain and its head.
 */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { checkpointDigest, type ChainBreak } from '../domain/audit-chain';
import { ADMIN_CHAIN, adminEventContent, type Tx } from './admin-audit';
import { checkChain, legacyBound, type ChainCheck } from './audit-heads';
import { verifyCaseChain, type CaseType } from './case-events';
import type { Database } from './client';
import { hazardChain, hazardEventContent } from './hazard-events';
import { adminEvents, auditHeads, CASE_TYPES, caseEvents, hazardEvents, hazards, inspections, notices, suspensions } from './schema';

export const CHAIN_KINDS = ['admin', 'hazard', ...CASE_TYPES] as const;
export type ChainKind = (typeof CHAIN_KINDS)[number];

export interface VerificationReport {
  ok: boolean;
  chainsChecked: number;
  rowsChecked: number;
  /** Chains checked, by kind. */
  chains: Record<ChainKind, number>;
  firstBreak: (ChainBreak & { chain: string }) | null;
  /**
   * A full check that found everything intact: a digest of every chain's head, to be kept
   * outside the database (see README, security); and the heads themselves.
   */
  checkpoint?: { digest: string; heads: Array<{ chain: string; seq: number; hash: string }> };
}

/** What a principal may see of each kind of record; absent: everything. */
export interface VerificationScope {
  hazard: SQL;
  notice: SQL;
  suspension: SQL;
  inspection: SQL;
}

type Reader = Database | Tx;

const hazardChainRows = (db: Reader, hazardId: string) => db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(asc(hazardEvents.chainSeq));

function checkHazardRows(db: Reader, hazardId: string, rows: Array<typeof hazardEvents.$inferSelect>, legacyMaxId?: number): Promise<ChainCheck> {
  return checkChain(
    db,
    hazardChain(hazardId),
    'hazard_events',
    rows.map((r) => ({ id: r.id, seq: r.chainSeq, prevHash: r.prevHash, hash: r.hash, version: r.hashVersion, content: hazardEventContent(r) })),
    legacyMaxId,
  );
}

export async function verifyHazardChain(db: Reader, hazardId: string, legacyMaxId?: number): Promise<ChainCheck> {
  return checkHazardRows(db, hazardId, await hazardChainRows(db, hazardId), legacyMaxId);
}

export async function verifyAdminChain(db: Reader, legacyMaxId?: number): Promise<ChainCheck> {
  const rows = await db.select().from(adminEvents).orderBy(asc(adminEvents.chainSeq));
  return checkChain(
    db,
    ADMIN_CHAIN,
    'admin_events',
    rows.map((r) => ({ id: r.id, seq: r.chainSeq, prevHash: r.prevHash, hash: r.hash, version: r.hashVersion, content: adminEventContent(r) })),
    legacyMaxId,
  );
}

/** One entry of a hazard's trail as its audit page shows it: who, when, what, and its links. */
export interface AuditEntry {
  seq: number;
  type: string;
  actor: string;
  occurredAt: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
  hashVersion: number;
}

/** One hazard's entries with their hashes, and their check against the signed head, read in one snapshot. */
export function hazardAuditTrail(db: Database, hazardId: string): Promise<ChainCheck & { entries: AuditEntry[] }> {
  return db.transaction(
    async (tx) => {
      const rows = await hazardChainRows(tx, hazardId);
      const check = await checkHazardRows(tx, hazardId, rows);
      const entries = rows.map((r) => ({
        seq: r.chainSeq,
        type: r.type,
        actor: r.actor,
        occurredAt: r.occurredAt.toISOString(),
        recordedAt: r.recordedAt.toISOString(),
        prevHash: r.prevHash,
        hash: r.hash,
        hashVersion: r.hashVersion,
      }));
      return { ...check, entries };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

const RECORD_TABLES = { hazard: hazards, notice: notices, suspension: suspensions, inspection: inspections } as const;

/**
 * Every chain within `scope`, stopping at the first break; the administrative chain too when
 * `includeAdmin` (it spans the whole system). Without a scope, also every signed head whose
 * record is gone, and the report carries a checkpoint when all holds.
 */
export async function verifyAll(db: Database, opts: { scope?: VerificationScope; includeAdmin?: boolean } = {}): Promise<VerificationReport> {
  return db.transaction((tx) => verifyInSnapshot(tx, opts), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function verifyInSnapshot(tx: Tx, opts: { scope?: VerificationScope; includeAdmin?: boolean }): Promise<VerificationReport> {
  const chains = Object.fromEntries(CHAIN_KINDS.map((k) => [k, 0])) as Record<ChainKind, number>;
  const report: VerificationReport = { ok: true, chainsChecked: 0, rowsChecked: 0, chains, firstBreak: null };
  const bounds = {
    hazard: await legacyBound(tx, 'hazard_events'),
    admin: await legacyBound(tx, 'admin_events'),
    case: await legacyBound(tx, 'case_events'),
  };
  const visited = new Set<string>();
  const tally = (kind: ChainKind, chain: string, check: ChainCheck, recordExists: boolean): VerificationReport | null => {
    visited.add(chain);
    report.chainsChecked++;
    report.chains[kind]++;
    report.rowsChecked += check.rows;
    // A record is written together with the first event of its chain: no rows means they were removed.
    const broken = check.broken ?? (recordExists && check.rows === 0 ? { seq: 1, reason: 'chain missing for an existing record' as const } : null);
    return broken ? { ...report, ok: false, firstBreak: { chain, ...broken } } : null;
  };
  const verifyChain = (kind: Exclude<ChainKind, 'admin'>, id: string) =>
    kind === 'hazard' ? verifyHazardChain(tx, id, bounds.hazard) : verifyCaseChain(tx, kind as CaseType, id, bounds.case);

  if (opts.includeAdmin ?? true) {
    const broken = tally('admin', ADMIN_CHAIN, await verifyAdminChain(tx, bounds.admin), false);
    if (broken) return broken;
  }
  for (const kind of ['hazard', ...CASE_TYPES] as const) {
    const table = RECORD_TABLES[kind];
    const ids = await tx.select({ id: table.id }).from(table).where(opts.scope?.[kind]).orderBy(asc(table.id));
    for (const { id } of ids) {
      const broken = tally(kind, `${kind}:${id}`, await verifyChain(kind, id), true);
      if (broken) return broken;
    }
  }
  if (opts.scope) return report;

  // Unscoped: a head whose chain was not walked above belongs to a record that is gone.
  const heads = await tx.select({ chain: auditHeads.chain, seq: auditHeads.seq, hash: auditHeads.hash }).from(auditHeads).orderBy(asc(auditHeads.chain));
  for (const head of heads) {
    if (visited.has(head.chain)) continue;
    const [kind, id] = splitChain(head.chain);
    if (!kind || kind === 'admin' || !id) {
      return { ...report, ok: false, firstBreak: { chain: head.chain, seq: head.seq, reason: 'rows missing before the anchored head' } };
    }
    const broken = tally(kind, head.chain, await verifyChain(kind, id), false);
    if (broken) return broken;
  }
  // …and case rows with neither a record nor a head (hazard rows cannot outlive their hazard).
  const cases = await tx.selectDistinct({ caseType: caseEvents.caseType, caseId: caseEvents.caseId }).from(caseEvents);
  for (const c of cases) {
    if (visited.has(`${c.caseType}:${c.caseId}`)) continue;
    const broken = tally(c.caseType, `${c.caseType}:${c.caseId}`, await verifyChain(c.caseType, c.caseId), false);
    if (broken) return broken;
  }
  return { ...report, checkpoint: { digest: checkpointDigest(heads), heads } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function splitChain(chain: string): [ChainKind | null, string | null] {
  const i = chain.indexOf(':');
  const kind = (i < 0 ? chain : chain.slice(0, i)) as ChainKind;
  const id = i < 0 ? null : chain.slice(i + 1);
  if (!CHAIN_KINDS.includes(kind)) return [null, null];
  return [kind, id && UUID.test(id) ? id : null];
}

/**
 * Checks that the chains still extend the heads of a checkpoint kept outside the database:
 * returns the first chain whose row at the checkpoint's seq is gone or different. This is what
 * finds rows and heads rolled back together to an earlier state that is consistent in itself.
 */
export async function checkAgainstCheckpoint(db: Database, heads: Array<{ chain: string; seq: number; hash: string }>): Promise<{ chain: string; seq: number } | null> {
  for (const head of heads) {
    const [kind, id] = splitChain(head.chain);
    let hash: string | undefined;
    if (kind === 'admin') {
      [{ hash } = { hash: undefined }] = await db.select({ hash: adminEvents.hash }).from(adminEvents).where(eq(adminEvents.chainSeq, head.seq));
    } else if (kind === 'hazard' && id) {
      [{ hash } = { hash: undefined }] = await db
        .select({ hash: hazardEvents.hash })
        .from(hazardEvents)
        .where(and(eq(hazardEvents.hazardId, id), eq(hazardEvents.chainSeq, head.seq)));
    } else if (kind && id) {
      [{ hash } = { hash: undefined }] = await db
        .select({ hash: caseEvents.hash })
        .from(caseEvents)
        .where(and(eq(caseEvents.caseType, kind as CaseType), eq(caseEvents.caseId, id), eq(caseEvents.chainSeq, head.seq)));
    }
    if (hash !== head.hash) return { chain: head.chain, seq: head.seq };
  }
  return null;
}
