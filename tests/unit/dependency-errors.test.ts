/** Which failures mean "a server is away", by error type and code: the error handler's 503 and 429 rest on it. */
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../../db/connection-errors';
import { GRPC as status } from '../../temporal/client-connection';
import { temporalTrouble } from '../../temporal/service-errors';
import { toProblem } from '../../api/middleware/error-handler';

const pgError = (code: string) => Object.assign(new Error('server said no'), { code });
const grpcError = (code: number) => Object.assign(new Error('grpc said no'), { code, details: 'details', metadata: {} });

describe('a database that is away', () => {
  it('is told by SQLSTATE class and socket error code, also wrapped by drizzle', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', '53300', '57014', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(isDatabaseUnavailable(pgError(code)), code).toBe(true);
      expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], pgError(code))), code).toBe(true);
    }
    expect(isDatabaseUnavailable(new DatabaseUnavailableError(new Error('timeout exceeded when trying to connect')))).toBe(true);
  });

  it('is not a refused statement, nor an error that merely mentions a connection', () => {
    for (const code of ['23505', '22P02', '42P01', '40001']) expect(isDatabaseUnavailable(pgError(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});

describe('Temporal away or overloaded', () => {
  it('is told by gRPC status code on the error or its cause', () => {
    expect(temporalTrouble(new ServiceError('Workflow Update failed', { cause: grpcError(status.UNAVAILABLE) }))).toBe('unavailable');
    expect(temporalTrouble(new ServiceError('x', { cause: grpcError(status.DEADLINE_EXCEEDED) }))).toBe('unavailable');
    expect(temporalTrouble(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', { cause: grpcError(status.DEADLINE_EXCEEDED) }))).toBe('unavailable');
    expect(temporalTrouble(new ServiceError('x', { cause: grpcError(status.RESOURCE_EXHAUSTED) }))).toBe('overloaded');
    expect(temporalTrouble(new ServiceError('x', { cause: grpcError(3 /* INVALID_ARGUMENT */) }))).toBeNull();
    expect(temporalTrouble(new Error('UNAVAILABLE: connect failed'))).toBeNull();
  });
});

describe('the answers', () => {
  it('are 503 naming the dependency, or 429, each with Retry-After', () => {
    const db = toProblem(new DrizzleQueryError('select 1', [], pgError('57P01')))!;
    expect(db.status).toBe(503);
    expect(db.toJSON()).toMatchObject({ type: 'urn:duban:problem:dependency-unavailable', dependency: 'database' });
    expect(db.headers['Retry-After']).toMatch(/^\d+$/);
    const temporal = toProblem(new ServiceError('x', { cause: grpcError(status.UNAVAILABLE) }))!;
    expect(temporal.toJSON()).toMatchObject({ status: 503, dependency: 'temporal' });
    expect(temporal.headers['Retry-After']).toMatch(/^\d+$/);
    const busy = toProblem(new ServiceError('x', { cause: grpcError(status.RESOURCE_EXHAUSTED) }))!;
    expect(busy.status).toBe(429);
    expect(busy.headers['Retry-After']).toMatch(/^\d+$/);
  });
});
