/** The messages of a calendar publication's workflow. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PublicationCounts, PublicationPhase, PublicationProgress, PublicationStart } from '../domain/calendar-publication';
import type { YearCalendar } from '../domain/work-calendar';

export const CALENDAR_PUBLICATION_PREFIX = 'calendar-publication-';

export interface CalendarPublicationInput {
  publicationId: string;
  actor: string;
  year: YearCalendar;
  /** Ids read and told per run; the workflow continues as new after each page. */
  pageSize: number;
  /** Where an earlier run of this publication stopped; absent on the first run. */
  carried?: {
    start: PublicationStart;
    /** The first run's id: the progress row belongs to it. */
    runId: string;
    phase: PublicationPhase;
    after: string | null;
    counts: PublicationCounts;
  };
}

/** Answers once the year is stored and the progress row exists, so a caller can point at it. */
export const publicationStartedUpdate = defineUpdate<PublicationStart>('publicationStarted');
export const publicationProgressQuery = defineQuery<PublicationProgress>('progress');
