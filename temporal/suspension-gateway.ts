/** How the rest of the system talks to suspension workflows: start one, send it a command. */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { CASE_START_OPTIONS, workflowRunning } from './case-starts';
import { sentBefore, updateOptions, type CommandId } from './command-id';
import type { ApplyResumptionCommand, ExtendCommand, LiftCommand, ReviewResumptionCommand, SuspensionSnapshot } from '../domain/suspension';
import { dueInstant } from '../domain/shanghai-time';
import {
  applyResumptionUpdate,
  extendSuspensionUpdate,
  liftSuspensionUpdate,
  orderedUpdate,
  reviewResumptionUpdate,
  suspensionWorkflowId,
  type SuspensionWorkflowInput,
} from '../workflows/suspension.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from '../workflows/search-attributes';
import type { suspensionWorkflow } from '../workflows/suspension.workflow';

export class SuspensionGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the suspension's workflow and answers once its record is written; the same id joins the running one. */
  start(input: SuspensionWorkflowInput): Promise<SuspensionSnapshot> {
    const { suspension } = input;
    const operation = new WithStartWorkflowOperation<typeof suspensionWorkflow>('suspensionWorkflow', {
      workflowId: suspensionWorkflowId(suspension.suspensionId),
      taskQueue: this.taskQueue,
      args: [input],
      ...CASE_START_OPTIONS,
      typedSearchAttributes: [
        { key: DubanStatus, value: 'suspended' },
        { key: DubanDeadline, value: new Date(dueInstant(suspension.plannedEnd)) },
        { key: DubanEscalationLevel, value: 0 },
        { key: DubanEnterprise, value: suspension.enterpriseId },
      ],
    });
    return this.client.workflow.executeUpdateWithStart(orderedUpdate, { startWorkflowOperation: operation });
  }

  /** Whether the suspension's workflow is running, so will record the suspension (null: Temporal could not be asked). */
  running(suspensionId: string): Promise<boolean | null> {
    return workflowRunning(this.client, suspensionWorkflowId(suspensionId));
  }

  /** Whether an earlier attempt of this request already sent its command (see command-id.ts). */
  sentBefore(id: string, command?: CommandId): Promise<boolean> {
    return sentBefore(this.handle(id), command);
  }

  applyResumption(id: string, cmd: ApplyResumptionCommand, command?: CommandId): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(applyResumptionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  reviewResumption(id: string, cmd: ReviewResumptionCommand, command?: CommandId): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(reviewResumptionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  extend(id: string, cmd: ExtendCommand, command?: CommandId): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(extendSuspensionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  lift(id: string, cmd: LiftCommand, command?: CommandId): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(liftSuspensionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  private handle(id: string) {
    return this.client.workflow.getHandle(suspensionWorkflowId(id));
  }
}
