/** The messages a suspension workflow answers: commands are Updates, reads are a Query. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ApplyResumptionCommand,
  ExtendCommand,
  LiftCommand,
  NewSuspension,
  ReviewResumptionCommand,
  SuspensionSnapshot,
  SuspensionState,
} from '../domain/suspension';

export function suspensionWorkflowId(suspensionId: string): string {
  return `suspension-${suspensionId}`;
}

export interface SuspensionWorkflowInput {
  suspension: NewSuspension;
  /** State carried over by continue-as-new; absent on the first run. */
  carried?: SuspensionState;
  /** Continue-as-new once history passes this many events (the server's suggestion also counts). */
  historyLimit?: number;
}

/** Answers once the suspension's record exists, so a caller can read it right after starting. */
export const orderedUpdate = defineUpdate<SuspensionSnapshot>('ordered');
/** The enterprise asks to resume production (复产申请) after a passing self-check. */
export const applyResumptionUpdate = defineUpdate<SuspensionSnapshot, [ApplyResumptionCommand]>('applyResumption');
/** A supervisor or leader approves (resumed) or rejects (back to suspended) the request. */
export const reviewResumptionUpdate = defineUpdate<SuspensionSnapshot, [ReviewResumptionCommand]>('reviewResumption');
/** Moves the planned end later, within the maximum. */
export const extendSuspensionUpdate = defineUpdate<SuspensionSnapshot, [ExtendCommand]>('extend');
/** A leader ends the suspension early (the order withdrawn). */
export const liftSuspensionUpdate = defineUpdate<SuspensionSnapshot, [LiftCommand]>('lift');
export const suspensionStateQuery = defineQuery<SuspensionSnapshot>('state');
