/**
 * Every change to what a workflow does, by patch id (`patched(id)`): a run that started before the
 * change replays the way it ran, new runs take the new way. An id is never reused or renamed;
 * once no run started before it is open, its `patched` becomes `deprecatePatch` and, later, goes.
 * See README, "Changing a workflow".
 */
export const PATCHES = {
  /** A date counted after the start (a new round, a review deadline, a moved deadline) fetches the calendar years it crosses that the run lacks. */
  fetchMissingYears: 'fetch-missing-calendar-years',
  /** A timed step counted into a year the run lacks asks for that year before it fires, and is planned again if it came. */
  fetchYearsBeforeStep: 'fetch-calendar-years-before-provisional-step',
  /** After a record, only the search attributes that changed since the run last set them are upserted. */
  upsertChangedOnly: 'upsert-changed-search-attributes-only',
  /** A hazard's overdue mark (it tells no one) fires at the hazard's own offset after midnight (domain/quiet-offset.ts). */
  spreadOverdue: 'spread-overdue-mark',
  /** A notice's overdue mark likewise fires at the notice's own offset after midnight. */
  spreadNoticeOverdue: 'spread-notice-overdue-mark',
  /** A stock import's activities run on the import's own task queue (stockImportTaskQueue), not the hazards'. */
  stockImportQueue: 'stock-import-own-task-queue',
} as const;
