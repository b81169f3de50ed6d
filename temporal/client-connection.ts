/**
 * The API's connection to Temporal, with a deadline on every call. A frontend that is away or
 * restarting is retried only briefly: the caller hears "unavailable" within a couple of seconds
 * and may come back, instead of waiting out the SDK's long default backoff. A frontend that
 * refuses work for load (RESOURCE_EXHAUSTED, e.g. too many updates in flight on one workflow) is
 * not retried at all: the caller is told to slow down.
 */
import { Client, Connection, isRetryableError, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/** gRPC status codes (grpc/status.proto). */
export const GRPC = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14 } as const;

export interface CallLimits {
  /** Every call without a deadline of its own gets one this far ahead. */
  callTimeoutMs: number;
  /** How long after its first attempt a failing call may still be retried. */
  retryBudgetMs: number;
}

export const DEFAULT_CALL_LIMITS: CallLimits = { callTimeoutMs: 10_000, retryBudgetMs: 2_000 };

/** Sets the default deadline and retries transient failures within the budget and the deadline. */
export function callLimitsInterceptor(limits: CallLimits): Interceptor {
  return (options, nextCall) => {
    const started = Date.now();
    const given = options.deadline instanceof Date ? options.deadline.getTime() : options.deadline;
    const deadline = given === undefined || given === Infinity ? started + limits.callTimeoutMs : given;
    const retry = makeGrpcRetryInterceptor({
      delayFunction: (attempt) => Math.min(1_000, 100 * 1.7 ** attempt) * (0.8 + Math.random() * 0.4),
      retryableDecider: (attempt, status) => {
        if (status.code === GRPC.RESOURCE_EXHAUSTED || !isRetryableError(status)) return false;
        // The next attempt must start (with its delay of up to ~1 s) inside both limits.
        const next = Date.now() + 1_000;
        return attempt < 10 && next < started + limits.retryBudgetMs && next < deadline;
      },
    });
    return retry({ ...options, deadline }, nextCall);
  };
}

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  limits?: Partial<CallLimits>;
}

/**
 * Connects lazily: the process starts (and reports Temporal as away) while the frontend is still
 * down, and the channel reconnects by itself when it comes back.
 */
export function connectTemporalClient(opts: TemporalClientOptions): { connection: Connection; client: Client } {
  const limits = { ...DEFAULT_CALL_LIMITS, ...opts.limits };
  const connection = Connection.lazy({ address: opts.address, interceptors: [callLimitsInterceptor(limits)], connectTimeout: limits.callTimeoutMs });
  return { connection, client: new Client({ connection, namespace: opts.namespace }) };
}
