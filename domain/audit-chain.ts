/**
 * The hash chain that makes the audit trail tamper-evident. Each row's hash covers its content
 * and the previous row's hash, so editing, deleting or reordering any row breaks every link
 * after it. Content is hashed as canonical JSON (keys sorted) so the database's own JSON
 * formatting never changes a hash.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function linkHash(prevHash: string, content: unknown): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

export interface ChainRow {
  seq: number;
  prevHash: string;
  hash: string;
  content: unknown;
}

export interface ChainBreak {
  seq: number;
  reason: 'sequence gap' | 'previous hash mismatch' | 'content hash mismatch';
}

/** The first broken link of a chain given in order, or null when every link holds. */
export function firstBreak(rows: Iterable<ChainRow>): ChainBreak | null {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (row.seq !== expectedSeq) return { seq: expectedSeq, reason: 'sequence gap' };
    if (row.prevHash !== prev) return { seq: row.seq, reason: 'previous hash mismatch' };
    if (linkHash(row.prevHash, row.content) !== row.hash) return { seq: row.seq, reason: 'content hash mismatch' };
    prev = row.hash;
    expectedSeq++;
  }
  return null;
}
