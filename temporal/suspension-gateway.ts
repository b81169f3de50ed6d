/** How the rest of the system talks to suspension workflows: start one, send it a command. */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
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
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: DubanStatus, value: 'suspended' },
        { key: DubanDeadline, value: new Date(dueInstant(suspension.plannedEnd)) },
        { key: DubanEscalationLevel, value: 0 },
        { key: DubanEnterprise, value: suspension.enterpriseId },
      ],
    });
    return this.client.workflow.executeUpdateWithStart(orderedUpdate, { startWorkflowOperation: operation });
  }

  applyResumption(id: string, cmd: ApplyResumptionCommand): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(applyResumptionUpdate, { args: [cmd] });
  }

  reviewResumption(id: string, cmd: ReviewResumptionCommand): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(reviewResumptionUpdate, { args: [cmd] });
  }

  extend(id: string, cmd: ExtendCommand): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(extendSuspensionUpdate, { args: [cmd] });
  }

  lift(id: string, cmd: LiftCommand): Promise<SuspensionSnapshot> {
    return this.handle(id).executeUpdate(liftSuspensionUpdate, { args: [cmd] });
  }

  private handle(id: string) {
    return this.client.workflow.getHandle(suspensionWorkflowId(id));
  }
}
