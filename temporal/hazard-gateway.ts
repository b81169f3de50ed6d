/**
 * How the rest of the system talks to hazard workflows: start one, send it a command. The API and
 * the demo seed both go through here, so ids, policies and conflict rules are set in one place.
 */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { HazardState, PolicyChangeCommand, ReopenCommand, ReviewCommand, SubmitCommand, VoidCommand } from '../domain/hazard-lifecycle';
import type { AssignmentCommand } from '../domain/hazard-assignment';
import type { AcceptanceCommand, PlanCommand } from '../domain/major-hazard';
import type { YearCalendar } from '../domain/work-calendar';
import { roundExtensions } from '../domain/extension';
import type { ExtensionDecisionCommand, ExtensionRequestCommand } from '../domain/extension';
import type { HazardView } from '../domain/hazard-view';
import { dueInstant } from '../domain/shanghai-time';
import {
  assignUpdate,
  changePolicyUpdate,
  decideExtensionUpdate,
  filePlanUpdate,
  recordAcceptanceUpdate,
  voidUpdate,
  hazardWorkflowId,
  registeredUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from '../workflows/hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from '../workflows/search-attributes';
import type { hazardWorkflow } from '../workflows/hazard.workflow';

/** What a reopening needs from the closed hazard's record. */
export interface ClosedHazardRecord {
  hazardId: string;
  enterpriseId: string;
  grade: HazardState['grade'];
  policy: HazardState['policy'];
  round: number;
  deadline: string;
  closedAt: number | null;
  seq: number;
  policyId: number | null;
  calendar: YearCalendar[];
  assignment: NonNullable<HazardState['assignment']>;
  listingLevel: HazardState['listingLevel'];
  plan: HazardState['plan'];
  reopenings: number;
  notices: NonNullable<HazardState['notices']>;
  registration: HazardWorkflowInput['registration'];
}

export class HazardGateway {
  constructor(
    private readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /**
   * Starts the hazard's workflow and answers once its record is written. Starting the same id
   * again joins the running workflow instead of starting a second one.
   */
  async start(input: HazardWorkflowInput): Promise<HazardView> {
    const { hazard } = input;
    const operation = new WithStartWorkflowOperation<typeof hazardWorkflow>('hazardWorkflow', {
      workflowId: hazardWorkflowId(hazard.hazardId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: DubanStatus, value: 'rectifying' },
        { key: DubanDeadline, value: new Date(dueInstant(hazard.deadline)) },
        { key: DubanEscalationLevel, value: 0 },
        { key: DubanEnterprise, value: hazard.enterpriseId },
      ],
    });
    return this.client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: operation });
  }

  submitRectification(hazardId: string, cmd: SubmitCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(submitRectificationUpdate, { args: [cmd] });
  }

  review(hazardId: string, cmd: ReviewCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(reviewUpdate, { args: [cmd] });
  }

  requestExtension(hazardId: string, cmd: ExtensionRequestCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(requestExtensionUpdate, { args: [cmd] });
  }

  decideExtension(hazardId: string, cmd: ExtensionDecisionCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(decideExtensionUpdate, { args: [cmd] });
  }

  voidHazard(hazardId: string, cmd: VoidCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(voidUpdate, { args: [cmd] });
  }

  assign(hazardId: string, cmd: AssignmentCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(assignUpdate, { args: [cmd] });
  }

  changePolicy(hazardId: string, cmd: PolicyChangeCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(changePolicyUpdate, { args: [cmd] });
  }

  filePlan(hazardId: string, cmd: PlanCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(filePlanUpdate, { args: [cmd] });
  }

  recordAcceptance(hazardId: string, cmd: AcceptanceCommand): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(recordAcceptanceUpdate, { args: [cmd] });
  }

  /**
   * Reopens a closed hazard: a new run of its workflow (same id) picks up from the hazard as
   * recorded at closure and records the reopening before it answers. Its run may be long gone
   * from Temporal's retention, so the record, not the old run, is the source. A second reopening
   * racing this one finds the new run and fails (the caller answers 409).
   */
  async reopen(record: ClosedHazardRecord, cmd: ReopenCommand & { at: number }): Promise<HazardView> {
    const carried: HazardState = {
      hazardId: record.hazardId,
      enterpriseId: record.enterpriseId,
      grade: record.grade,
      policy: record.policy,
      status: 'closed',
      round: record.round,
      deadline: record.deadline,
      roundStartedAt: cmd.at,
      fired: [],
      overdueSince: null,
      escalationLevel: 0,
      submission: null,
      closedAt: record.closedAt,
      extension: roundExtensions(record.deadline),
      // The new run's changes must outrank every change the read model has seen.
      seq: record.seq,
      policyId: record.policyId,
      calendar: record.calendar,
      deadlineRule: null,
      assignment: record.assignment,
      listingLevel: record.listingLevel,
      plan: record.plan,
      acceptances: [],
      reopenings: record.reopenings,
      notices: record.notices,
    };
    const handle = await this.client.workflow.start<typeof hazardWorkflow>('hazardWorkflow', {
      workflowId: hazardWorkflowId(record.hazardId),
      taskQueue: this.taskQueue,
      args: [{ hazard: { hazardId: record.hazardId, enterpriseId: record.enterpriseId, grade: record.grade, policy: record.policy, deadline: cmd.newDeadline }, registration: record.registration, carried, reopen: cmd }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: DubanStatus, value: 'rectifying' },
        { key: DubanDeadline, value: new Date(dueInstant(cmd.newDeadline)) },
        { key: DubanEscalationLevel, value: 0 },
        { key: DubanEnterprise, value: record.enterpriseId },
      ],
    });
    return handle.executeUpdate(registeredUpdate);
  }

  private handle(hazardId: string) {
    return this.client.workflow.getHandle(hazardWorkflowId(hazardId));
  }
}
