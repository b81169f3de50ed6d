/** The messages a notice workflow answers: commands are Updates, reads are a Query. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NoticeIssue } from '../activities/notice-records';
import type {
  ConfirmCompletionCommand,
  DecideCommand,
  ExtendDeadlineCommand,
  NewNotice,
  NoticeState,
  NoticeView,
  SignCommand,
} from '../domain/notice-lifecycle';

export function noticeWorkflowId(noticeId: string): string {
  return `notice-${noticeId}`;
}

export interface NoticeWorkflowInput {
  notice: NewNotice;
  /** What the first record writes: addressee, texts, agency, who issued it. */
  issue: NoticeIssue;
  /** State carried over by continue-as-new; absent on the first run. */
  carried?: NoticeState;
  /** Continue-as-new once history passes this many events (the server's suggestion also counts). */
  historyLimit?: number;
}

/** Answers once the notice is recorded and numbered, so a caller can read it right after starting. */
export const noticeIssuedUpdate = defineUpdate<NoticeView>('issued');
/** 签收 by the enterprise addressed. */
export const signNoticeUpdate = defineUpdate<NoticeView, [SignCommand]>('sign');
/** A pending decision (约谈/处罚/停产整顿/移送司法) taken or declined, with its document number and reason. */
export const decideUpdate = defineUpdate<NoticeView, [DecideCommand]>('decide');
/** A supervisor moves the deadline; the ladder restarts against it. */
export const extendDeadlineUpdate = defineUpdate<NoticeView, [ExtendDeadlineCommand]>('extendDeadline');
/** A notice without hazards closes when a supervisor confirms its completion. */
export const confirmCompletionUpdate = defineUpdate<NoticeView, [ConfirmCompletionCommand]>('confirmCompletion');
export const noticeStateQuery = defineQuery<NoticeView>('state');
