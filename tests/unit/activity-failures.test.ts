/** Which activity failures are retried: the pure classification. */
import { describe, expect, it } from 'vitest';
import { classifyActivityFailure, MissingRecordError, sqlStateOf } from '../../activities/failures';
import { workerSlots } from '../../config';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });
/** As drizzle throws it: its own error, the driver's as the cause. */
const wrapped = (code: string) => Object.assign(new Error('Failed query: insert into …'), { cause: pgError(code) });

describe('classifying activity failures', () => {
  it('ends data exceptions and integrity violations at once, wrapped or not', () => {
    for (const code of ['22001', '22008', '22P02', '23502', '23503', '23514']) {
      expect(classifyActivityFailure(pgError(code)), code).toBe('permanent');
      expect(classifyActivityFailure(wrapped(code)), code).toBe('permanent');
    }
  });

  it('ends a missing record at once', () => {
    expect(classifyActivityFailure(new MissingRecordError('enterprise x does not exist'))).toBe('permanent');
  });

  it('retries a unique violation: the activities are idempotent, so a retry finds the row', () => {
    expect(classifyActivityFailure(wrapped('23505'))).toBe('transient');
  });

  it('retries lost connections, serialization conflicts, deadlocks, a restarting server and anything unknown', () => {
    for (const code of ['40001', '40P01', '57P01', '08006', '08001', '53300', '57014']) expect(classifyActivityFailure(wrapped(code)), code).toBe('transient');
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']) expect(classifyActivityFailure(Object.assign(new Error(code), { code })), code).toBe('transient');
    expect(classifyActivityFailure(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    expect(classifyActivityFailure('a string')).toBe('transient');
  });

  it('finds the SQLSTATE through wrappers, and none in an error without one', () => {
    expect(sqlStateOf(wrapped('23514'))).toBe('23514');
    expect(sqlStateOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeNull();
    expect(sqlStateOf(null)).toBeNull();
  });
});

describe('worker slots', () => {
  it('derive from the database pool unless set', () => {
    expect(workerSlots({ DATABASE_POOL_SIZE: 10 })).toEqual({ activities: 10, workflowTasks: 20 });
    expect(workerSlots({ DATABASE_POOL_SIZE: 1 })).toEqual({ activities: 1, workflowTasks: 2 });
    expect(workerSlots({ DATABASE_POOL_SIZE: 10, WORKER_MAX_CONCURRENT_ACTIVITIES: 4, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 8 })).toEqual({ activities: 4, workflowTasks: 8 });
  });
});
