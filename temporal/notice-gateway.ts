/** How the rest of the system talks to notice workflows: start one, send it a command. */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { CASE_START_OPTIONS, workflowRunning } from './case-starts';
import { sentBefore, updateOptions, type CommandId } from './command-id';
import type { ConfirmCompletionCommand, DecideCommand, ExtendDeadlineCommand, NoticeView, SignCommand } from '../domain/notice-lifecycle';
import {
  confirmCompletionUpdate,
  decideUpdate,
  extendDeadlineUpdate,
  noticeIssuedUpdate,
  noticeWorkflowId,
  signNoticeUpdate,
  type NoticeWorkflowInput,
} from '../workflows/notice.messages';
import type { noticeWorkflow } from '../workflows/notice.workflow';
import type { UrgeCommand } from '../domain/urge';
import { urgeUpdate, type UrgeAnswer } from '../workflows/urge.messages';

export class NoticeGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the notice's workflow and answers once it is recorded and numbered; the same id again joins the running one. */
  async start(input: NoticeWorkflowInput, command?: CommandId): Promise<NoticeView> {
    const operation = new WithStartWorkflowOperation<typeof noticeWorkflow>('noticeWorkflow', {
      workflowId: noticeWorkflowId(input.notice.noticeId),
      taskQueue: this.taskQueue,
      args: [input],
      ...CASE_START_OPTIONS,
    });
    return this.client.workflow.executeUpdateWithStart(noticeIssuedUpdate, { startWorkflowOperation: operation, ...updateOptions(command) });
  }

  /** Whether the notice's workflow is running, so will record the notice (null: Temporal could not be asked). */
  running(noticeId: string): Promise<boolean | null> {
    return workflowRunning(this.client, noticeWorkflowId(noticeId));
  }

  /** Whether an earlier attempt of this request already sent its command (see command-id.ts). */
  sentBefore(noticeId: string, command?: CommandId): Promise<boolean> {
    return sentBefore(this.handle(noticeId), command);
  }

  /** 催办: a leader urges the notice (recorded on its trail; refused when closed or urged lately). */
  urge(noticeId: string, cmd: UrgeCommand, command?: CommandId): Promise<UrgeAnswer> {
    return this.handle(noticeId).executeUpdate(urgeUpdate, { args: [cmd], ...updateOptions(command) });
  }

  sign(noticeId: string, cmd: SignCommand, command?: CommandId): Promise<NoticeView> {
    return this.handle(noticeId).executeUpdate(signNoticeUpdate, { args: [cmd], ...updateOptions(command) });
  }

  decide(noticeId: string, cmd: DecideCommand, command?: CommandId): Promise<NoticeView> {
    return this.handle(noticeId).executeUpdate(decideUpdate, { args: [cmd], ...updateOptions(command) });
  }

  extendDeadline(noticeId: string, cmd: ExtendDeadlineCommand, command?: CommandId): Promise<NoticeView> {
    return this.handle(noticeId).executeUpdate(extendDeadlineUpdate, { args: [cmd], ...updateOptions(command) });
  }

  confirmCompletion(noticeId: string, cmd: ConfirmCompletionCommand, command?: CommandId): Promise<NoticeView> {
    return this.handle(noticeId).executeUpdate(confirmCompletionUpdate, { args: [cmd], ...updateOptions(command) });
  }

  private handle(noticeId: string) {
    return this.client.workflow.getHandle(noticeWorkflowId(noticeId));
  }
}
