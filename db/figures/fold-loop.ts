/** Folds the figures' deltas every few seconds for as long as the process runs. */
import type { Logger } from 'pino';
import type { Database } from '../client';
import { foldFigures } from './fold';

/** Leaders read figures this fresh at worst; each fold of a quiet city reads an empty table. */
export const FOLD_EVERY_MS = 5_000;

export function keepFiguresFolded(db: Database, log: Pick<Logger, 'warn'>, everyMs = FOLD_EVERY_MS): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      // A fold that fails (the database away) leaves its deltas for the next one.
      foldFigures(db).catch((error: unknown) => log.warn({ err: error }, 'figures not folded this time')),
    );
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
