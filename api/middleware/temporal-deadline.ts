/**
 * Every call a request makes to Temporal ends by one deadline: an update the server holds, or a
 * frontend that stopped answering, cannot keep the request (and its caller) waiting for ever. The
 * SDK carries the deadline through the request's asynchronous work to each call it makes.
 *
 * The budget starts once the request's body is in: a JSON body is read before this step, an
 * upload's by its route, which starts the budget again for the calls after its bytes
 * (`req.withTemporalBudget`). A file that takes longer than the budget to arrive must not leave its
 * calls a deadline already past.
 */
import type { RequestHandler } from 'express';
import type { Client } from '@temporalio/client';

declare module 'express-serve-static-core' {
  interface Request {
    /** Runs `work` with the request's budget for calls to Temporal beginning now. */
    withTemporalBudget?: <T>(work: () => Promise<T>) => Promise<T>;
  }
}

export function temporalDeadline(temporal: Pick<Client, 'withDeadline'>, timeoutMs: number): RequestHandler {
  return function temporalDeadline(req, _res, next) {
    const budget = <T>(work: () => Promise<T>): Promise<T> => temporal.withDeadline(Date.now() + timeoutMs, work);
    req.withTemporalBudget = budget;
    void budget(async () => next());
  };
}
