/**
 * The case file of one hazard (案卷): its whole story as a bureau hands it to a court or an
 * appeal — timeline, evidence manifest, decisions, instruments, the audit chains' entries with
 * their hashes, and the workflow's runs — signed under the audit key. A holder checks it against
 * the database (scripts/verify-case-file.ts): every entry must be the database's own, link to the
 * one before it, and hash to what it says; the signature must cover the file as it is.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, KEYED, linkHash, linkMac, UNKEYED } from './audit-chain';

export const CASE_FILE_FORMAT = 'duban-case-file/1';

export interface ChainEntry {
  seq: number;
  /** Exactly what the entry's hash covers (the chain's content shape). */
  content: Record<string, unknown>;
  prevHash: string;
  hash: string;
  version: number;
  /**
   * Its content shown in part: what names a record the reader may not open is left out. It links
   * and matches the database by its hash; its content cannot be checked against that hash.
   */
  withheld?: true;
}

export interface CaseChain {
  /** The chain's name in the audit heads: `hazard:<id>`, `notice:<id>`, `suspension:<id>`. */
  chain: string;
  entries: ChainEntry[];
}

export interface CaseFile {
  format: typeof CASE_FILE_FORMAT;
  hazard: Record<string, unknown> & { id: string; title: string };
  /** Login name → display name of everyone the file names. */
  people: Record<string, string>;
  timeline: Array<{ chain: string; seq: number; step: string; type: string; actor: string; actorName: string | null; occurredAt: string }>;
  evidence: Array<{ id: string; name: string; mediaType: string; size: number; sha256: string; phase: string; round: number | null; uploadedBy: string; uploadedAt: string }>;
  /** Each decision named by its title, as its page and the document list name it; null for a notice's decision not taken (it has no page). */
  decisions: Array<Record<string, unknown> & { kind: string; status: string; title: string | null }>;
  instruments: Array<{ code: string; kind: string; title: string; issuedAt: string; issuedBy: string; subject: string }>;
  audit: CaseChain[];
  workflow: { workflowId: string; runs: Array<{ runId: string; status: string; startTime: string | null; closeTime: string | null; events: number }>; events: number };
  /** The last entry's time: what the file is as of (its PDF carries this as its date). */
  asOf: string;
  /** HMAC-SHA256 under the audit key over the canonical JSON of everything above. */
  signature: string;
}

export type UnsignedCaseFile = Omit<CaseFile, 'signature'>;

export function signCaseFile(key: string, file: UnsignedCaseFile): CaseFile {
  return { ...file, signature: caseFileMac(key, file) };
}

function caseFileMac(key: string, file: UnsignedCaseFile): string {
  return createHmac('sha256', key).update('duban.case-file\n').update(canonicalJson(file)).digest('hex');
}

export interface CaseFileProblem {
  /** `hazard:<id> #3` for an entry, or the part of the file at fault. */
  where: string;
  reason: string;
}

/** Checks one chain of the file against the database's rows of the same chain (in seq order). */
export function checkChainEntries(key: string, chain: CaseChain, stored: ChainEntry[]): CaseFileProblem[] {
  const problems: CaseFileProblem[] = [];
  const bySeq = new Map(stored.map((r) => [r.seq, r]));
  let prev = GENESIS_HASH;
  chain.entries.forEach((e, i) => {
    const where = `${chain.chain} #${e.seq}`;
    if (e.seq !== i + 1) problems.push({ where, reason: `out of order: expected entry ${i + 1}` });
    const mine = e.version === UNKEYED ? linkHash(e.prevHash, e.content) : e.version === KEYED ? linkMac(key, e.prevHash, e.content) : null;
    if (!e.withheld && mine !== e.hash) problems.push({ where, reason: 'its content does not hash to the hash it carries (changed in the file)' });
    if (e.prevHash !== prev) problems.push({ where, reason: 'does not link to the entry before it' });
    prev = e.hash;
    const row = bySeq.get(e.seq);
    if (!row) problems.push({ where, reason: 'is not in the database' });
    else if (row.hash !== e.hash || row.prevHash !== e.prevHash) problems.push({ where, reason: 'differs from the database (hash)' });
    else if (!e.withheld && canonicalJson(row.content) !== canonicalJson(e.content)) problems.push({ where, reason: 'differs from the database (content)' });
  });
  return problems;
}

/**
 * Every way the file fails to match: its entries first (named), then its signature. Entries the
 * database gained after the file was made are no mismatch: the file is the case as of `asOf`.
 */
export function checkCaseFile(key: string, file: CaseFile, stored: Map<string, ChainEntry[]>): CaseFileProblem[] {
  const problems: CaseFileProblem[] = [];
  if (file.format !== CASE_FILE_FORMAT) problems.push({ where: 'format', reason: `not a ${CASE_FILE_FORMAT} file` });
  for (const chain of file.audit ?? []) {
    const rows = stored.get(chain.chain);
    if (!rows) problems.push({ where: chain.chain, reason: 'no such chain in the database' });
    else problems.push(...checkChainEntries(key, chain, rows));
  }
  const { signature, ...unsigned } = file;
  if (caseFileMac(key, unsigned) !== signature) problems.push({ where: 'signature', reason: 'does not cover the file as it is (the file was changed after signing, or signed under another key)' });
  return problems;
}
