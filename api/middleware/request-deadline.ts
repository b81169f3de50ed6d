/**
 * Every request has a deadline. One that has not begun its answer in time (a client that
 * stops sending half-way, a dependency that hangs) is answered 503 problem+json, its
 * connection closed, and its work told to stop through `req.deadline` (an AbortSignal), so
 * nothing waits forever and nothing it holds outlives it. Uploads, which carry more bytes over
 * slower links, get a longer one.
 */
import type { RequestHandler } from 'express';
import { Problem } from '../problem';
import { sendProblem } from './error-handler';

declare module 'express-serve-static-core' {
  interface Request {
    /** Aborted when the request's deadline passes; work on its behalf should stop then. */
    deadline?: AbortSignal;
  }
}

export interface DeadlineSettings {
  requestMs: number;
  uploadMs: number;
}
export const DEFAULT_DEADLINES: DeadlineSettings = { requestMs: 30_000, uploadMs: 120_000 };

export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

export function requestDeadline(settings: Partial<DeadlineSettings> = {}): RequestHandler {
  const requestMs = settings.requestMs ?? DEFAULT_DEADLINES.requestMs;
  const uploadMs = settings.uploadMs ?? DEFAULT_DEADLINES.uploadMs;
  return (req, res, next) => {
    const ms = req.is('multipart/form-data') ? uploadMs : requestMs;
    const controller = new AbortController();
    req.deadline = controller.signal;
    const timer = setTimeout(() => {
      controller.abort(new DeadlineExceeded(`the request took longer than ${ms} ms`));
      // An answer already under way (a download to a slow reader) is left to finish.
      if (res.headersSent) return;
      res.setHeader('Connection', 'close');
      sendProblem(
        res,
        new Problem(503, 'deadline-exceeded', 'Request took too long', `the request did not complete within ${ms / 1000} s; try again (with the same Idempotency-Key, if one was sent)`, [], {
          'Retry-After': '1',
        }),
        req.originalUrl,
      );
    }, ms);
    const settle = () => clearTimeout(timer);
    res.once('finish', settle);
    res.once('close', settle);
    next();
  };
}
