/** The messages a hazard workflow answers: commands are Updates, reads are a Query. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { HazardView } from '../domain/hazard-view';
import type { ReviewCommand, SubmitCommand } from '../domain/hazard-lifecycle';
import type { ExtensionDecisionCommand, ExtensionRequestCommand } from '../domain/extension';
import type { HazardRegistration } from '../activities/hazard-records';
import type { NewHazard, HazardState, PolicyChangeCommand, ReopenCommand, VoidCommand } from '../domain/hazard-lifecycle';
import type { AssignmentCommand } from '../domain/hazard-assignment';
import type { AcceptanceCommand, PlanCommand } from '../domain/major-hazard';

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
  /** A new run of a closed hazard: `carried` is its state at closure, and this the reopening. */
  reopen?: ReopenCommand & { at: number };
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
/** Void (误报/豁免) an open hazard, with a reason. */
export const voidUpdate = defineUpdate<HazardView, [VoidCommand]>('void');
/** Reassign the supervisor or the enterprise contact, or (un)delegate the supervisor's charge. */
export const assignUpdate = defineUpdate<HazardView, [AssignmentCommand]>('assign');
/** Major hazards: file (or revise) the five-point plan; record an acceptance by the enterprise or an expert. */
export const filePlanUpdate = defineUpdate<HazardView, [PlanCommand]>('filePlan');
export const recordAcceptanceUpdate = defineUpdate<HazardView, [AcceptanceCommand]>('recordAcceptance');

/** Failure types of refused commands, shared by every workflow; the API maps them to HTTP statuses. */
export { REFUSAL_TYPES } from '../domain/refusal';
/** Move the hazard to another stored version of its policy (explicit and recorded). */
export const changePolicyUpdate = defineUpdate<HazardView, [PolicyChangeCommand]>('changePolicy');
