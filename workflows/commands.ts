/**
 * What the hazard, notice and suspension workflows share in taking commands: a refusal becomes a
 * typed, non-retryable failure (mapped to 409/422 by the API), changes are applied one at a
 * time in arrival order, and records are retried until they land.
 */
import { allHandlersFinished, ApplicationFailure, condition } from '@temporalio/workflow';
import { REFUSAL_TYPES, type Refusal } from '../domain/refusal';

/** Retry a recording activity through a database outage, with backoff. */
export const RECORD_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

export function refuse(refusal: Refusal | null): void {
  if (!refusal) return;
  throw ApplicationFailure.create({
    type: REFUSAL_TYPES[refusal.kind],
    message: refusal.message,
    details: refusal.field ? [{ field: refusal.field, ...(refusal.limit ? { limit: refusal.limit } : {}) }] : [],
    nonRetryable: true,
  });
}

/**
 * One change at a time, in arrival order: a command queued behind a timer step sees the state
 * that step left, and the read model receives changes in sequence.
 */
export function singleLane() {
  let lane: Promise<unknown> = Promise.resolve();
  let queued = 0;
  return {
    exclusive<T>(change: () => Promise<T>): Promise<T> {
      queued++;
      const run = lane.then(change).finally(() => queued--);
      lane = run.catch(() => undefined);
      return run;
    },
    /** Settles once every change queued so far has finished. */
    idle: (): Promise<unknown> => lane,
    /** No change is queued or running. */
    isIdle: (): boolean => queued === 0,
  };
}

/**
 * Waits until every message handler has finished and no change is queued: a handler that arrives
 * while the lane drains is waited for too, so continue-as-new carries every change it made.
 */
export async function drained(isIdle: () => boolean): Promise<void> {
  await condition(() => allHandlersFinished() && isIdle());
}
