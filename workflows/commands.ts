/**
 * The core the hazard, notice and suspension workflows share: a refusal becomes a typed,
 * non-retryable failure (mapped to 409/422 by the API); a command is checked, then changes the
 * state one change at a time, in arrival order; the clock fires due steps and continues as new
 * once every handler and change has finished; records are retried until they land and the
 * operators' search attributes follow them. Each workflow file keeps only its own story.
 */
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { PATCHES } from './patches';
import { REFUSAL_TYPES, type Refusal } from '../domain/refusal';

/** Retry a recording activity through a database outage, with backoff. */
export const RECORD_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

/**
 * A record's attempt whose worker has gone quiet this long is tried again (the worker beats every
 * second while one runs: temporal/activity-liveness.ts), well within the 10 s the API waits for a
 * command's record, rather than after the attempt's whole start-to-close timeout. A worker stopped
 * in a rolling restart abandons its long polls, and a task the server handed to one of them at
 * that moment is recorded started and never arrives.
 */
export const RECORD_HEARTBEAT_TIMEOUT = '5 seconds';

export function refuse(refusal: Refusal | null): void {
  if (!refusal) return;
  throw ApplicationFailure.create({
    type: REFUSAL_TYPES[refusal.kind],
    message: refusal.message,
    // The code rides in the details beside the field, so the API can name the refusal stably.
    details:
      refusal.field || refusal.code
        ? [{ ...(refusal.field ? { field: refusal.field } : {}), ...(refusal.limit ? { limit: refusal.limit } : {}), ...(refusal.code ? { code: refusal.code } : {}) }]
        : [],
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

export type Lane = ReturnType<typeof singleLane>;

/**
 * A command as every workflow takes it: the check runs in the validator (a refusal leaves no
 * trace in history) and again in the command's turn (a change queued ahead may have moved the
 * state), then the change runs in the lane and answers the caller.
 */
export function command<Ret, Arg>(lane: Lane, update: UpdateDefinition<Ret, [Arg]>, check: (cmd: Arg) => Refusal | null, change: (cmd: Arg) => Promise<Ret>): void {
  setHandler(
    update,
    (cmd: Arg) =>
      lane.exclusive(async () => {
        refuse(check(cmd));
        return change(cmd);
      }),
    { validator: (cmd: Arg) => refuse(check(cmd)) },
  );
}

/** Whether the server suggests continuing as new, or history has passed the caller's limit. */
export function continueAsNewDue(historyLimit: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || (historyLimit !== undefined && info.historyLength > historyLimit);
}

/** What a workflow's clock needs to know of it. */
export interface Clock {
  /** The clock runs while this holds. */
  open(): boolean;
  /** Rises with every change: a change wakes the clock to plan again. */
  seq(): number;
  next(): { key: string; at: number } | null;
  /** Fires the step with this key if it is still the one due (run in the lane). */
  fire(key: string): Promise<void>;
  historyLimit: number | undefined;
  /** Whether to continue as new when due (default: always). */
  mayContinue?(): boolean;
  /** Continues as new with the state as it is now. */
  continueAsNew(): Promise<never>;
}

/**
 * The clock of a case: waits for the next step or the next change, fires a step in its turn, and
 * continues as new when history is long, after every handler and queued change has finished.
 * Settles when the case closes, with nothing left running.
 */
export async function runClock(lane: Lane, clock: Clock): Promise<void> {
  while (clock.open()) {
    const seen = clock.seq();
    const step = clock.next();
    if (!step) {
      await condition(() => clock.seq() !== seen);
    } else {
      const wait = step.at - Date.now();
      const interrupted = wait > 0 && (await condition(() => clock.seq() !== seen, wait));
      if (!interrupted) await lane.exclusive(() => clock.fire(step.key));
    }
    if ((clock.mayContinue?.() ?? true) && continueAsNewDue(clock.historyLimit)) {
      await drained(lane.isIdle);
      await clock.continueAsNew();
    }
  }
  await drained(lane.isIdle);
}

/**
 * Keeps the operators' search attributes current: after each record, only the attributes that
 * changed since this run last set them (the enterprise, set once per run, never does). Runs that
 * started before this set all four after every record, and keep doing so.
 */
export function searchAttributeKeeper(): (pairs: SearchAttributeUpdatePair[]) => void {
  const last = new Map<string, string>();
  return (pairs) => {
    if (!patched(PATCHES.upsertChangedOnly)) {
      upsertSearchAttributes(pairs);
      return;
    }
    const changed = pairs.filter((p) => last.get(p.key.name) !== JSON.stringify(p.value));
    for (const p of changed) last.set(p.key.name, JSON.stringify(p.value));
    if (changed.length) upsertSearchAttributes(changed);
  };
}

/**
 * A case's recorder: writes one record with the state as it stands, then sets the operators'
 * search attributes that the state it left changed. One per run (it remembers what it set).
 */
export function caseRecorder<S, R>(o: { state(): S; write(record: R, state: S): Promise<void>; searchAttributes(state: S): SearchAttributeUpdatePair[] }): (record: R) => Promise<void> {
  const keepSearchAttributes = searchAttributeKeeper();
  return async (record) => {
    await o.write(record, o.state());
    keepSearchAttributes(o.searchAttributes(o.state()));
  };
}
