/** The records side of a calendar publication: the import, the pages of ids to tell, the progress. */
import type { Database } from '../db/client';
import { beginPublication, concernedPage, recordPublicationProgress } from '../db/calendar-publications';
import type { ConcernedPage, PublicationCounts, PublicationPhase, PublicationStart, PublicationTarget } from '../domain/calendar-publication';
import type { YearCalendar } from '../domain/work-calendar';

export function createCalendarPublicationActivities(db: Database) {
  return {
    beginCalendarPublication(p: { publicationId: string; runId: string; actor: string; year: YearCalendar; at: number }): Promise<PublicationStart> {
      return beginPublication(db, { ...p, at: new Date(p.at) });
    },
    calendarPublicationPage(q: { target: PublicationTarget; year: number; replaced: boolean; previous: YearCalendar | null; after: string | null; limit: number }): Promise<ConcernedPage> {
      return concernedPage(db, q);
    },
    recordCalendarPublicationProgress(p: { publicationId: string; runId: string; phase: PublicationPhase; counts: PublicationCounts; at: number }): Promise<void> {
      return recordPublicationProgress(db, { ...p, at: new Date(p.at) });
    },
  };
}
