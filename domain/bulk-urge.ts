/**
 * A bulk urge: every overdue hazard and notice of one enterprise, or of one region's subtree,
 * within the reach of the leader who urges, urged page by page by its own workflow. Overdue is
 * judged at the moment the bulk urge began, so the set it concerns does not grow as it runs.
 */

/** What a bulk urge covers; `reachPath` is the urging leader's jurisdiction, never left. */
export type BulkUrgeScope =
  | { kind: 'enterprise'; enterpriseId: string; reachPath: string }
  | { kind: 'region'; regionId: string; regionPath: string; reachPath: string };

export type BulkUrgePhase = 'hazards' | 'notices' | 'done';

export interface BulkUrgeProgress {
  bulkUrgeId: string;
  scope: { kind: 'enterprise' | 'region'; id: string };
  message: string;
  urgedBy: string;
  phase: BulkUrgePhase;
  /** Overdue hazards and notices in scope when the bulk urge began. */
  concerned: number;
  /** Items the bulk urge was delivered to (each judged by its own rules: `urged` counts those it urged). */
  told: number;
  /** Urges recorded on items as part of this bulk urge. */
  urged: number;
  /** Told, but not urged: settled meanwhile, or urged by someone within the quiet window. */
  passedOver: number;
  /** Listed as open, but their workflow had ended before the urge reached it. */
  alreadyEnded: number;
  /** Not reachable for another reason after retries. */
  failed: number;
  remaining: number;
  done: boolean;
}

/** Concerned at the start and not yet handled (never below zero). */
export function bulkRemaining(concerned: number, c: { told: number; alreadyEnded: number; failed: number }): number {
  return Math.max(0, concerned - c.told - c.alreadyEnded - c.failed);
}

export interface OverduePage {
  ids: string[];
  /** The last id of the page, to read the next page after; null when this was the last page. */
  next: string | null;
}
