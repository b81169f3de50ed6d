/**
 * How the worker treats activity failures: a permanent one (see activities/failures.ts) ends the
 * activity at once, as a non-retryable ApplicationFailure naming its database code; every retry is
 * counted (the runtime's metric `duban_activity_retries`, and a count per activity in this
 * process), and from the fourth attempt on each failure is logged as a warning with its attempt,
 * so a record that keeps failing is seen rather than retried in silence.
 */
import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { classifyActivityFailure, sqlStateOf } from '../activities/failures';

/** Attempts after which each further failure is logged as a warning. */
export const QUIET_ATTEMPTS = 3;

/** Retries (attempts past the first) per activity type, since the process started. */
export const activityRetries = new Map<string, number>();

export const PERMANENT_FAILURE_TYPE = 'PermanentRecordFailure';

export const activityFailureInterceptor: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    async execute(input, next) {
      const { attempt, activityType, workflowExecution } = ctx.info;
      if (attempt > 1) {
        const total = (activityRetries.get(activityType) ?? 0) + 1;
        activityRetries.set(activityType, total);
        ctx.metricMeter.createCounter('duban_activity_retries', 'attempts', 'activity attempts past the first').add(1, { activity_type: activityType });
      }
      try {
        return await next(input);
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        const code = sqlStateOf(err);
        if (classifyActivityFailure(err) === 'permanent') {
          ctx.log.error('activity failed permanently: not retried', { activityType, attempt, code, workflowId: workflowExecution?.workflowId, error: (err as Error).message });
          throw ApplicationFailure.create({
            type: PERMANENT_FAILURE_TYPE,
            message: (err as Error).message,
            details: [{ code, name: (err as Error).name }],
            nonRetryable: true,
            cause: err as Error,
          });
        }
        if (attempt > QUIET_ATTEMPTS) {
          ctx.log.warn('activity failed again: will retry', {
            activityType,
            attempt,
            code,
            workflowId: workflowExecution?.workflowId,
            retriesOfThisType: activityRetries.get(activityType) ?? 0,
            error: (err as Error).message,
          });
        }
        throw err;
      }
    },
  },
});
