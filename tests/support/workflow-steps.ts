/** Small steps shared by the workflow tests: moving the test server's clock, reading records, refusals. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../db/client';
import { hazardEvents } from '../../db/schema';

/** Sleeps the test server's clock forward to an instant. */
export async function sleepUntil(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

/** Recorded at the instant its timer was due, give or take the server's hand-over (under a second). */
export function expectAt(event: { occurredAt: Date } | undefined, instant: number): void {
  expect(event).toBeDefined();
  const lag = event!.occurredAt.getTime() - instant;
  expect(lag).toBeGreaterThanOrEqual(0);
  expect(lag).toBeLessThan(1000);
}

/** The failure of a refused Update (asserting it is one). */
export async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

/** A hazard's recorded events in the order they happened. */
export function eventsOf(db: Database, hazardId: string) {
  return db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(asc(hazardEvents.occurredAt), asc(hazardEvents.id));
}

export { SAMPLE_REGISTRATION as REGISTRATION } from '../../scripts/sample-hazard';
