/** The records side of a bulk urge: its row, the pages of overdue items it urges, its progress. */
import type { Database } from '../db/client';
import { beginBulkUrge, overduePage, recordBulkUrgeProgress } from '../db/urges';
import type { BulkUrgePhase, BulkUrgeScope, OverduePage } from '../domain/bulk-urge';

export function createBulkUrgeActivities(db: Database) {
  return {
    beginBulkUrge(p: { bulkUrgeId: string; runId: string; by: string; message: string; scope: BulkUrgeScope; at: number }): Promise<{ concerned: number; asOf: number }> {
      return beginBulkUrge(db, { ...p, at: new Date(p.at) });
    },
    bulkUrgePage(q: { target: 'hazard' | 'notice'; scope: BulkUrgeScope; asOf: number; after: string | null; limit: number }): Promise<OverduePage> {
      return overduePage(db, { ...q, asOf: new Date(q.asOf) });
    },
    recordBulkUrgeProgress(p: { bulkUrgeId: string; runId: string; phase: BulkUrgePhase; counts: { told: number; alreadyEnded: number; failed: number }; at: number }): Promise<void> {
      return recordBulkUrgeProgress(db, { ...p, at: new Date(p.at) });
    },
  };
}
