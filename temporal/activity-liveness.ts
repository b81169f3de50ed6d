/**
 * Liveness beats for short activities: while an activity whose heartbeat timeout is at most
 * LIVENESS_MAX_MS runs, the worker heartbeats for it every second (the SDK sends at most one beat
 * per 0.8 × the timeout). An attempt whose worker is gone then times out after that heartbeat
 * timeout and is retried, instead of after its whole start-to-close timeout. Gone includes a task
 * the server handed to a long poll that a stopping worker had just abandoned (Temporal 1.29 lacks
 * the capability that lets SDK 1.24 finish its polls on shutdown): it is recorded started and
 * never arrives. Activities that carry progress in their own heartbeats use longer timeouts and
 * are left alone, so their details are never overwritten.
 */
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Heartbeat timeouts up to this ask for liveness beats. */
export const LIVENESS_MAX_MS = 10_000;
/** How often a running activity beats (most beats stay in the SDK: it throttles them). */
export const LIVENESS_BEAT_MS = 1_000;

export const activityLivenessInterceptor: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    async execute(input, next) {
      const timeout = ctx.info.heartbeatTimeoutMs;
      if (!timeout || timeout > LIVENESS_MAX_MS) return next(input);
      // The first beat after a second: most records finish sooner and send none.
      const beat = setInterval(() => ctx.heartbeat(), Math.min(LIVENESS_BEAT_MS, timeout / 4));
      try {
        return await next(input);
      } finally {
        clearInterval(beat);
      }
    },
  },
});
