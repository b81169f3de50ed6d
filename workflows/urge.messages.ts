/** The messages every urgeable workflow (hazard, notice) answers, and the bulk urge's own. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UrgeCommand } from '../domain/urge';
import type { BulkUrgeProgress, BulkUrgeScope } from '../domain/bulk-urge';

/** What an urge answers: when it was recorded. */
export interface UrgeAnswer {
  urgedAt: number;
}

/** A leader urges one item (催办); refused when it is settled or was urged within the quiet window. */
export const urgeUpdate = defineUpdate<UrgeAnswer, [UrgeCommand]>('urge');
/** The same urge sent by a bulk urge: an item it may not urge now is passed over, with nothing recorded. */
export const bulkUrgeSignal = defineSignal<[UrgeCommand]>('bulkUrge');

export const BULK_URGE_PREFIX = 'urge-';

export interface BulkUrgeInput {
  bulkUrgeId: string;
  by: string;
  message: string;
  scope: BulkUrgeScope;
  /** Ids read and urged per run; the workflow continues as new after each page. */
  pageSize: number;
  /** Where an earlier run stopped; absent on the first run. */
  carried?: { runId: string; begun: { concerned: number; asOf: number }; phase: 'hazards' | 'notices' | 'done'; after: string | null; counts: BulkUrgeCounts };
}

export interface BulkUrgeCounts {
  told: number;
  alreadyEnded: number;
  failed: number;
}

/** Answers once the bulk urge's row exists, with what it concerns. */
export const bulkUrgeStartedUpdate = defineUpdate<{ concerned: number; asOf: number }>('bulkUrgeStarted');
export const bulkUrgeProgressQuery = defineQuery<BulkUrgeProgress>('progress');
