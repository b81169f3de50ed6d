/**
 * The judging of an uploaded stock file, as an activity on the stock import's queue: it reads the
 * stored file, beats with the row it has reached, and resumes where the record stands when a
 * worker died under it. A worker judges a few files at once (each may hold a workbook's shared
 * strings in memory); a file beyond them is handed back to Temporal and tried again shortly, so
 * it holds no slot while it waits.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import { beginJudging, failJudging, stockImportById } from '../db/stock-imports';
import type { EvidenceStore } from '../evidence/store';
import { Turns } from '../evidence/turns';
import { STOCK_IMPORT_LIMITS } from '../sheets/limits';
import { judgeStockFile, JudgingFailed, type JudgingProgress } from './stock-judge';

/** Files being judged in this process. */
const judging = new Turns();

/** How often a judging beats while it reads without finishing a page (a workbook's sheet parked on disk first). */
const BEAT_MS = 5_000;

export type JudgingOutcome = 'validated' | 'failed' | 'gone';

export function createStockJudgingActivities(db: Database, files: EvidenceStore | undefined) {
  return {
    /** Judges a batch's stored file through (from where an earlier attempt left it); answers how it ended. */
    async judgeStockImport(p: { importId: string }): Promise<JudgingOutcome> {
      const ctx = Context.current();
      const batch = await stockImportById(db, p.importId);
      if (!batch) return 'gone';
      if (batch.status !== 'judging') return batch.status === 'failed' ? 'failed' : 'validated';
      if (!files) throw ApplicationFailure.nonRetryable('this worker has no file store (EVIDENCE_DIR)', 'NoFileStore');
      const done = await judging.take(STOCK_IMPORT_LIMITS.concurrentReads, 0);
      if (!done) throw ApplicationFailure.retryable(`this worker judges ${STOCK_IMPORT_LIMITS.concurrentReads} files already`, 'SheetsBusy');
      let reached: JudgingProgress | undefined = ctx.info.heartbeatDetails as JudgingProgress | undefined;
      const beat = setInterval(() => ctx.heartbeat(reached), BEAT_MS);
      try {
        const file = await files.open(batch.fileSha256);
        if (!file) {
          await failJudging(db, batch.id, { code: 'sheet-file-missing', message: 'the uploaded file is no longer stored' }, new Date());
          return 'failed';
        }
        try {
          await beginJudging(db, batch.id, new Date());
          await judgeStockFile(db, batch, file, {
            signal: ctx.cancellationSignal,
            progress: (at) => {
              reached = at;
              ctx.heartbeat(at);
            },
          });
          return 'validated';
        } catch (error) {
          if (!(error instanceof JudgingFailed)) throw error;
          await failJudging(db, batch.id, error.failure, new Date());
          return 'failed';
        } finally {
          file.destroy();
        }
      } finally {
        clearInterval(beat);
        done();
      }
    },
  };
}
