/**
 * How the rest of the system talks to hazard workflows: start one, send it a command. The API and
 * the demo seed both go through here, so ids, policies and conflict rules are set in one place.
 */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { PolicyChangeCommand, ReopenCommand, ReviewCommand, SubmitCommand, VoidCommand } from '../domain/hazard-lifecycle';
import type { AssignmentCommand } from '../domain/hazard-assignment';
import type { AcceptanceCommand, PlanCommand } from '../domain/major-hazard';
import type { YearCalendar } from '../domain/work-calendar';
import { closedHazardState, type ClosedHazard } from '../domain/hazard-reopening';
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
import { CASE_START_OPTIONS } from './case-starts';
import { sentBefore, updateOptions, type CommandId } from './command-id';
import type { UrgeCommand } from '../domain/urge';
import { urgeUpdate, type UrgeAnswer } from '../workflows/urge.messages';

/** What a reopening needs from the closed hazard's record, and the registration its new run records under. */
export interface ClosedHazardRecord extends ClosedHazard {
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
      ...CASE_START_OPTIONS,
      typedSearchAttributes: [
        { key: DubanStatus, value: 'rectifying' },
        { key: DubanDeadline, value: new Date(dueInstant(hazard.deadline)) },
        { key: DubanEscalationLevel, value: 0 },
        { key: DubanEnterprise, value: hazard.enterpriseId },
      ],
    });
    return this.client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: operation });
  }

  /** Whether an earlier attempt of this request already sent its command (see command-id.ts). */
  sentBefore(hazardId: string, command?: CommandId): Promise<boolean> {
    return sentBefore(this.handle(hazardId), command);
  }

  submitRectification(hazardId: string, cmd: SubmitCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(submitRectificationUpdate, { args: [cmd], ...updateOptions(command) });
  }

  review(hazardId: string, cmd: ReviewCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(reviewUpdate, { args: [cmd], ...updateOptions(command) });
  }

  requestExtension(hazardId: string, cmd: ExtensionRequestCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(requestExtensionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  decideExtension(hazardId: string, cmd: ExtensionDecisionCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(decideExtensionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  voidHazard(hazardId: string, cmd: VoidCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(voidUpdate, { args: [cmd], ...updateOptions(command) });
  }

  assign(hazardId: string, cmd: AssignmentCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(assignUpdate, { args: [cmd], ...updateOptions(command) });
  }

  changePolicy(hazardId: string, cmd: PolicyChangeCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(changePolicyUpdate, { args: [cmd], ...updateOptions(command) });
  }

  filePlan(hazardId: string, cmd: PlanCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(filePlanUpdate, { args: [cmd], ...updateOptions(command) });
  }

  recordAcceptance(hazardId: string, cmd: AcceptanceCommand, command?: CommandId): Promise<HazardView> {
    return this.handle(hazardId).executeUpdate(recordAcceptanceUpdate, { args: [cmd], ...updateOptions(command) });
  }

  /** 催办: a leader urges the hazard (recorded on its trail; refused when settled or urged lately). */
  urge(hazardId: string, cmd: UrgeCommand, command?: CommandId): Promise<UrgeAnswer> {
    return this.handle(hazardId).executeUpdate(urgeUpdate, { args: [cmd], ...updateOptions(command) });
  }

  /**
   * Reopens a closed hazard: a new run of its workflow (same id) picks up from the hazard as
   * recorded at closure and records the reopening before it answers. Its run may be long gone
   * from Temporal's retention, so the record, not the old run, is the source. A second reopening
   * racing this one finds the new run and fails (the caller answers 409). The start and the
   * answering Update are one operation, so a reopening under a command id either happened with
   * its id recorded in the new run or did not happen at all.
   */
  async reopen(record: ClosedHazardRecord, cmd: ReopenCommand & { at: number }, command?: CommandId): Promise<HazardView> {
    const carried = closedHazardState(record, cmd.at);
    const operation = new WithStartWorkflowOperation<typeof hazardWorkflow>('hazardWorkflow', {
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
    return this.client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: operation, ...updateOptions(command) });
  }

  private handle(hazardId: string) {
    return this.client.workflow.getHandle(hazardWorkflowId(hazardId));
  }
}
