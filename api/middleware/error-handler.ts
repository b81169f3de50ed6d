/**
 * The one error handler. Operational errors (bad input, refused commands, missing records, a
 * server that is down) become precise problems; anything else is a programmer error: logged in
 * full, answered with a generic 500 that reveals no stack and no SQL.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { WorkflowNotFoundError } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { REFUSAL_TYPES } from '../../workflows/hazard.messages';
import { REFUSAL_CODES, type RefusalCode } from '../../domain/refusal';
import { isDatabaseUnavailable } from '../../db/connection-errors';
import { isWorkflowGone, temporalTrouble } from '../../temporal/service-errors';
import type { Logger } from '../../logger';
import { Problem, problems } from '../problem';

function refusalProblem(error: WorkflowUpdateFailedError): Problem | null {
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure)) return null;
  const detail = cause.message;
  const first = cause.details?.[0] as { field?: string; limit?: { name: string; value: number }; code?: string } | undefined;
  // A code the workflow names is passed on only when this API knows it (an older worker may not).
  const code = first?.code && (REFUSAL_CODES as readonly string[]).includes(first.code) ? (first.code as RefusalCode) : undefined;
  if (cause.type === REFUSAL_TYPES.not_allowed) return problems.conflict(detail, [], code);
  if (cause.type === REFUSAL_TYPES.invalid) {
    const field = first?.field ?? 'body';
    return problems.unprocessable(detail, [{ field, message: detail, code: code ?? 'invalid', ...(first?.limit ? { limit: first.limit } : {}) }], code);
  }
  return null;
}

/** A command to a workflow that has already completed: the SDK's not-found, or gRPC NOT_FOUND. */
function isCompletedWorkflow(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError || isWorkflowGone(error);
}

/** Seconds a caller should wait before trying again, per kind of trouble. */
const RETRY_AFTER = { database: 5, temporal: 5, overloaded: 1 } as const;

/** A server that is away, or busy, is the caller's to retry later: never a 500. */
function dependencyProblem(error: unknown): Problem | null {
  if (isDatabaseUnavailable(error)) return problems.dependencyUnavailable('database', RETRY_AFTER.database);
  const trouble = temporalTrouble(error);
  if (trouble === 'unavailable') return problems.dependencyUnavailable('temporal', RETRY_AFTER.temporal);
  if (trouble === 'overloaded') return problems.tooMany('the case is taking other commands at this moment; try again shortly', RETRY_AFTER.overloaded).coded('case-busy');
  return null;
}

export function toProblem(error: unknown): Problem | null {
  if (error instanceof Problem) return error;
  if (error instanceof WorkflowUpdateFailedError) return refusalProblem(error);
  const dependency = dependencyProblem(error);
  if (dependency) return dependency;
  if (isCompletedWorkflow(error)) return problems.conflict('it takes no more commands: its process has ended (closed, void or finished)', [], 'process-ended');
  const e = error as { type?: string; status?: number; message?: string };
  // Errors raised by express's body parser carry a type and a 4xx status.
  if (e?.type === 'entity.parse.failed') return problems.invalid([{ field: 'body', message: 'malformed JSON' }]);
  if (e?.type === 'entity.too.large') return new Problem(413, 'too-large', 'Request too large', 'the body exceeds the size limit');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new Problem(415, 'unsupported-encoding', 'Unsupported encoding', e.message);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new Problem(e.status, 'bad-request', 'Bad request', e.message);
  }
  return null;
}

export function sendProblem(res: Parameters<RequestHandler>[1], problem: Problem, instance?: string): void {
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.toJSON(instance)));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const problem = toProblem(error);
    if (problem) {
      if (problem.status >= 500) log.warn({ err: error, path: req.path }, problem.detail ?? problem.title);
      return sendProblem(res, problem, req.originalUrl);
    }
    log.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    sendProblem(res, new Problem(500, 'internal', 'Internal error', 'something went wrong on our side; it has been logged'));
  };
}

export const notFoundHandler: RequestHandler = (req, res) => sendProblem(res, problems.notFound('route'), req.originalUrl);
