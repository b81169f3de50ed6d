/**
 * Every call a request makes to Temporal ends by one deadline: an update the server holds, or a
 * frontend that stopped answering, cannot keep the request (and its caller) waiting for ever. The
 * SDK carries the deadline through the request's asynchronous work to each call it makes.
 */
import type { RequestHandler } from 'express';
import type { Client } from '@temporalio/client';

export function temporalDeadline(temporal: Pick<Client, 'withDeadline'>, timeoutMs: number): RequestHandler {
  return function temporalDeadline(_req, _res, next) {
    void temporal.withDeadline(Date.now() + timeoutMs, async () => next());
  };
}
