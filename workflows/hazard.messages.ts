/** The messages a hazard workflow answers: commands are Updates, reads are a Query. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { HazardView } from '../domain/hazard-view';
import type { ReviewCommand, SubmitCommand } from '../domain/hazard-lifecycle';
import type { ExtensionDecisionCommand, ExtensionRequestCommand } from '../domain/extension';
import type { HazardRegistration } from '../activities/hazard-records';
import type { NewHazard, HazardState } from '../domain/hazard-lifecycle';

export const HAZARD_TASK_QUEUE_DEFAULT = 'duban';

export function hazardWorkflowId(hazardId: string): string {
  return `hazard-${hazardId}`;
}

export interface HazardWorkflowInput {
  hazard: NewHazard;
  registration: HazardRegistration;
  /** State carried over by continue-as-new; absent on the first run. */
  carried?: HazardState;
  /** Continue-as-new once history passes this many events (the server's suggestion also counts). */
  historyLimit?: number;
}

/** Answers once the hazard's record exists, so a caller can read it right after starting. */
export const registeredUpdate = defineUpdate<HazardView>('registered');
export const submitRectificationUpdate = defineUpdate<HazardView, [SubmitCommand]>('submitRectification');
export const reviewUpdate = defineUpdate<HazardView, [ReviewCommand]>('review');
/** The enterprise asks to move the round's deadline (延期). */
export const requestExtensionUpdate = defineUpdate<HazardView, [ExtensionRequestCommand]>('requestExtension');
/** A supervisor approves (moving the deadline and its timers) or denies the pending request. */
export const decideExtensionUpdate = defineUpdate<HazardView, [ExtensionDecisionCommand]>('decideExtension');
export const hazardStateQuery = defineQuery<HazardView>('state');

/** Failure types of refused commands; the API maps them to HTTP statuses. */
export const REFUSAL_TYPES = { not_allowed: 'StepNotAllowed', invalid: 'InvalidCommand' } as const;
