/**
 * How a supervision notice and the hazards it groups keep each other informed. The notice tells
 * each hazard it is part of the notice; a hazard tells every notice it is part of when it is
 * closed, voided or reopened. A notice closes only when all its hazards are closed or void.
 */
import { ApplicationFailure, defineSignal, getExternalWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';

export interface NoticeLink {
  noticeId: string;
  /** The notice workflow's id (`notice-<id>`), where outcomes are signalled. */
  workflowId: string;
}

export type HazardOutcomeKind = 'closed' | 'void' | 'reopened';

export interface HazardOutcome {
  hazardId: string;
  outcome: HazardOutcomeKind;
  /** Epoch milliseconds of the change, and who made it. */
  at: number;
  by: string;
}

/** Sent to a hazard workflow: it now belongs to the notice. A hazard already settled answers at once. */
export const attachNoticeSignal = defineSignal<[NoticeLink]>('attachNotice');

/** Sent to a notice workflow by each of its hazards when the hazard settles or is reopened. */
export const hazardOutcomeSignal = defineSignal<[HazardOutcome]>('hazardOutcome');

/** The failure type the SDK gives a signal whose target workflow is not running (ended, or never started). */
const NOT_RUNNING = 'ExternalWorkflowExecutionNotFound';

/**
 * Signals another workflow; false when it is not running. Any other failure is not the target's
 * absence and is raised, never taken for it.
 */
export async function signalIfRunning<Args extends unknown[]>(workflowId: string, signal: SignalDefinition<Args>, ...args: Args): Promise<boolean> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(signal, ...args);
    return true;
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === NOT_RUNNING) return false;
    throw err;
  }
}
