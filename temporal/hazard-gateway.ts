/**
 * How the rest of the system talks to hazard workflows: start one, send it a command. The API and
 * the demo seed both go through here, so ids, policies and conflict rules are set in one place.
 */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { ReviewCommand, SubmitCommand } from '../domain/hazard-lifecycle';
import type { ExtensionDecisionCommand, ExtensionRequestCommand } from '../domain/extension';
import type { HazardView } from '../domain/hazard-view';
import { dueInstant } from '../domain/shanghai-time';
import {
  decideExtensionUpdate,
  hazardWorkflowId,
  registeredUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  type HazardWorkflowInput,
} from '../workflows/hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from '../workflows/search-attributes';
import type { hazardWorkflow } from '../workflows/hazard.workflow';

export class HazardGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
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

  private handle(hazardId: string) {
    return this.client.workflow.getHandle(hazardWorkflowId(hazardId));
  }
}
