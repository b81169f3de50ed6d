/**
 * A published calendar year told to every open hazard and notice it concerns, page by page: what
 * the publication has done so far, as its workflow reports it and an admin reads it.
 */
import type { YearCalendar } from './work-calendar';

export type PublicationPhase = 'hazards' | 'notices' | 'done';

/** What beginning a publication found: whether it replaced an import, and what it concerns. */
export interface PublicationStart {
  year: number;
  replaced: boolean;
  /** The year as it stood before (null: first publication), for counting the deadlines that move. */
  previous: YearCalendar | null;
  /** Open hazards and notices holding a provisional date or counted on the year, at the start. */
  concerned: number;
}

export interface PublicationCounts {
  hazardsTold: number;
  noticesTold: number;
  /** Listed as open, but their workflow had ended before the signal reached it. */
  alreadyEnded: number;
  /** Not reachable for another reason after retries. */
  failed: number;
  /** Counted deadlines the year moves (each hazard records its own move). */
  deadlinesMoved: number;
}

export const NO_COUNTS: PublicationCounts = { hazardsTold: 0, noticesTold: 0, alreadyEnded: 0, failed: 0, deadlinesMoved: 0 };

export interface PublicationProgress extends PublicationCounts {
  publicationId: string;
  year: number;
  replaced: boolean;
  phase: PublicationPhase;
  concerned: number;
  /** Concerned at the start and not yet handled (never below zero: items may join meanwhile). */
  remaining: number;
  done: boolean;
}

export function remainingOf(concerned: number, c: PublicationCounts): number {
  return Math.max(0, concerned - c.hazardsTold - c.noticesTold - c.alreadyEnded - c.failed);
}

/** Which kind of workflow a page of ids belongs to. */
export type PublicationTarget = 'hazard' | 'notice';

export interface ConcernedPage {
  ids: string[];
  /** Among the hazards of the page, counted deadlines the year moves. */
  moved: number;
  /** The last id of the page, to read the next page after; null when this was the last page. */
  next: string | null;
}
