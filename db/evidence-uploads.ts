/**
 * What an evidence upload reads and writes, in as few round trips as its checks allow: one before
 * any byte is read (the caller's rate-limit hit, the hazard within reach with its state and its
 * file count), then one transaction that locks the hazard, reads the round's files with the count
 * again, and inserts. The checks made before the lock only spare work (reading, inspecting and
 * storing a refused upload's bytes); the ones under it are the rule.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Tx } from './admin-audit';
import type { Database } from './client';
import { hazardScope } from './hazard-queries';
import { rateLimitHit } from './rate-limits';
import { evidenceFiles, hazards } from './schema';

export type EvidenceFileRow = typeof evidenceFiles.$inferSelect;

export interface UploadOpening {
  /** The window's hits against the caller's upload limit, this request counted (found or not). */
  hits: number;
  /** The hazard within reach, its state and how many files it holds; null when out of reach or missing. */
  hazard: { id: string; status: string; files: number } | null;
}

/**
 * The upload's first statement: the hit is counted whatever the hazard (a data-modifying CTE runs
 * to its end), and the hazard is looked up by the same reach rule as findHazard.
 */
export async function openUpload(db: Database, principal: Principal, hazardId: string, hit: { key: string; windowStart: Date }): Promise<UploadOpening> {
  const { rows } = await db.execute<{ hits: number; id: string | null; status: string | null; files: number | null }>(sql`
    with hit as (${rateLimitHit(hit.key, hit.windowStart)})
    select hit.hits, ${hazards.id} as id, ${hazards.status} as status,
      (select count(*) from ${evidenceFiles} where ${evidenceFiles.hazardId} = ${hazards.id})::int as files
    from hit left join ${hazards} on ${hazards.id} = ${hazardId} and ${hazardScope(principal)}`);
  const row = rows[0]!;
  return { hits: Number(row.hits), hazard: row.id === null ? null : { id: row.id, status: row.status!, files: Number(row.files) } };
}

/** The uploader's files of this hazard's current round (not yet submitted) with these hashes. */
const sameRoundSameFiles = (hazardId: string, uploadedBy: string, hashes: string[]) =>
  and(eq(evidenceFiles.hazardId, hazardId), eq(evidenceFiles.uploadedBy, uploadedBy), isNull(evidenceFiles.submittedRound), inArray(evidenceFiles.sha256, hashes));

/** How many of these files the uploader already holds in the current round (they would be answered, not added). */
export async function heldInRound(db: Database, hazardId: string, uploadedBy: string, hashes: string[]): Promise<number> {
  const [held] = await db.select({ n: sql<number>`count(*)::int` }).from(evidenceFiles).where(sameRoundSameFiles(hazardId, uploadedBy, hashes));
  return held?.n ?? 0;
}

/** The hazard's state under its row lock, which a submission's freeze takes too. */
export async function lockForUpload(tx: Tx, hazardId: string): Promise<string | undefined> {
  const [locked] = await tx.select({ status: hazards.status }).from(hazards).where(eq(hazards.id, hazardId)).for('update');
  return locked?.status;
}

/**
 * Under the lock, in one statement: the files the hazard holds, and the uploader's files of the
 * round with these hashes, earliest first. Read after the lock was granted, so an upload that held
 * it before is counted and its files found.
 */
export async function roundFiles(tx: Tx, hazardId: string, uploadedBy: string, hashes: string[]): Promise<{ held: number; present: EvidenceFileRow[] }> {
  const held = tx.select({ n: sql<number>`count(*)::int`.as('n') }).from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazardId)).as('held');
  const rows = await tx
    .select({ held: held.n, file: evidenceFiles })
    .from(held)
    .leftJoin(evidenceFiles, sameRoundSameFiles(hazardId, uploadedBy, hashes))
    .orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id));
  return { held: Number(rows[0]?.held ?? 0), present: rows.flatMap((r) => (r.file ? [r.file] : [])) };
}
