/**
 * How a supervision notice and the hazards it groups keep each other informed. The notice tells
 * each hazard it is part of the notice; a hazard tells every notice it is part of when it is
 * closed, voided or reopened. A notice closes only when all its hazards are closed or void.
 */
import { defineSignal } from '@temporalio/workflow';

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
