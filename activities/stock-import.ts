/** The steps of a stock import's workflow: import a page of rows, report progress, finish. */
import type { Database } from '../db/client';
import { calendarYearsAmong } from '../db/calendar';
import { finishStockImport, importStockPage, recordStockImportProgress, type StockPage } from '../db/stock-import-pages';
import { shanghaiDate } from '../domain/shanghai-time';
import { yearsFrom, type YearCalendar } from '../domain/work-calendar';

export function createStockImportActivities(db: Database) {
  return {
    /** Imports the rows after `after` (up to `limit`) and answers the open hazards among them, with the calendar to start them on. */
    async importStockPage(p: { importId: string; by: string; after: number; limit: number }): Promise<StockPage & { calendar: YearCalendar[] }> {
      const now = Date.now();
      const [page, calendar] = await Promise.all([importStockPage(db, { ...p, now }), calendarYearsAmong(db, yearsFrom(shanghaiDate(now)))]);
      return { ...page, calendar };
    },
    async recordStockImportProgress(p: { importId: string; workflowsStarted: number }): Promise<void> {
      await recordStockImportProgress(db, { ...p, now: Date.now() });
    },
    async finishStockImport(p: { importId: string; by: string }): Promise<void> {
      await finishStockImport(db, { ...p, now: Date.now() });
    },
  };
}
