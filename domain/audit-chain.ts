/**
 * The hash chains that make the audit trail tamper-evident. Each row's hash covers its content
 * and the previous row's hash, so editing, deleting or reordering any row breaks every link
 * after it. Content is hashed as canonical JSON (keys sorted) so the database's own JSON
 * formatting never changes a hash.
 *
 * Rows are hashed with HMAC-SHA256 under the audit key, which the database does not hold, so a
 * database login alone cannot append a row that verifies. Each chain's head (last seq and hash)
 * is also kept apart from its rows and signed with the key: rows deleted from the end leave the
 * head pointing past them. Rows from before the key (version 1, plain SHA-256) still verify up
 * to the legacy bound, and only there.
 */
import { createHash, createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** How a row's hash was made: 1 plain SHA-256 (before the audit key), 2 HMAC-SHA256 under it. */
export const UNKEYED = 1;
export const KEYED = 2;
export type HashVersion = typeof UNKEYED | typeof KEYED;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Version 1: the unkeyed link of rows written before the audit key existed. */
export function linkHash(prevHash: string, content: unknown): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** Version 2: the keyed link every new row gets. */
export function linkMac(key: string, prevHash: string, content: unknown): string {
  return createHmac('sha256', key).update('duban.audit.link\n').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** The signature of a chain's head: which chain, how long, ending in which hash. */
export function headMac(key: string, chain: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`duban.audit.head\n${chain}\n${seq}\n${hash}`).digest('hex');
}

export interface ChainRow {
  /** The row's id in its table: unkeyed rows are valid only up to the legacy bound. */
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  version: number;
  content: unknown;
}

export interface ChainHead {
  seq: number;
  hash: string;
  mac: string;
}

export interface ChainRules {
  key: string;
  /** The highest row id of the table that may carry an unkeyed hash (0: none). */
  legacyMaxId: number;
}

/** Why a chain does not verify, as the reports name it (the pages label each). */
export const BREAK_REASONS = [
  'sequence gap',
  'previous hash mismatch',
  'content hash mismatch',
  'unkeyed hash on a row written after the audit key',
  'head anchor missing',
  'head anchor forged',
  'rows missing before the anchored head',
  'rows past the anchored head',
  'head hash mismatch',
  'chain missing for an existing record',
] as const;
export type BreakReason = (typeof BREAK_REASONS)[number];

export interface ChainBreak {
  seq: number;
  reason: BreakReason;
}

/**
 * The first broken link of a chain given in order, or the way its head fails to match it, or
 * null when the chain holds. A chain with no rows and no head is simply empty.
 */
export function firstBreak(chain: string, rows: Iterable<ChainRow>, head: ChainHead | null, rules: ChainRules): ChainBreak | null {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { seq: expectedSeq, reason: 'sequence gap' };
    if (row.prevHash !== prev) return { seq: row.seq, reason: 'previous hash mismatch' };
    if (row.version === UNKEYED) {
      if (row.id > rules.legacyMaxId) return { seq: row.seq, reason: 'unkeyed hash on a row written after the audit key' };
      if (linkHash(row.prevHash, row.content) !== row.hash) return { seq: row.seq, reason: 'content hash mismatch' };
    } else if (row.version !== KEYED || linkMac(rules.key, row.prevHash, row.content) !== row.hash) {
      return { seq: row.seq, reason: 'content hash mismatch' };
    }
    prev = row.hash;
    expectedSeq++;
  }
  const last = expectedSeq - 1;
  if (!head) return last === 0 ? null : { seq: last, reason: 'head anchor missing' };
  if (headMac(rules.key, chain, head.seq, head.hash) !== head.mac) return { seq: head.seq, reason: 'head anchor forged' };
  if (head.seq > last) return { seq: last + 1, reason: 'rows missing before the anchored head' };
  if (head.seq < last) return { seq: head.seq + 1, reason: 'rows past the anchored head' };
  if (head.hash !== prev) return { seq: head.seq, reason: 'head hash mismatch' };
  return null;
}

/** A short fingerprint of a set of chain heads, for operators to keep outside the database. */
export function checkpointDigest(heads: Iterable<{ chain: string; seq: number; hash: string }>): string {
  const lines = [...heads].map((h) => `${h.chain} ${h.seq} ${h.hash}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
