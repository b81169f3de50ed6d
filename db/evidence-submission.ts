/**
 * What a submission reads before its command, in one statement: the hazard within reach (by the
 * same rule as findHazard) and the evidence files it names that belong to that hazard.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from './client';
import type { EvidenceFileRow } from './evidence-uploads';
import { hazardScope, type HazardRow } from './hazard-queries';
import { evidenceFiles, hazards } from './schema';

/** The hazard (id, state) and those of `evidenceIds` uploaded to it; null when it is out of reach or missing. */
export async function submissionTarget(
  db: Database,
  principal: Principal,
  hazardId: string,
  evidenceIds: string[],
): Promise<{ id: string; status: HazardRow['status']; files: EvidenceFileRow[] } | null> {
  const rows = await db
    .select({ id: hazards.id, status: hazards.status, file: evidenceFiles })
    .from(hazards)
    .leftJoin(evidenceFiles, and(eq(evidenceFiles.hazardId, hazards.id), inArray(evidenceFiles.id, evidenceIds)))
    .where(and(eq(hazards.id, hazardId), hazardScope(principal)));
  const first = rows[0];
  return first ? { id: first.id, status: first.status, files: rows.flatMap((r) => (r.file ? [r.file] : [])) } : null;
}
