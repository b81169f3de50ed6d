/**
 * A leader's urge (催办) of a supervision notice: the notice's state marked, and what its trail
 * records, shaped here so the notice workflow only applies it (see domain/urge.ts).
 */
import type { NoticeState } from './notice-lifecycle';
import { markUrged, overdueAt, URGED_EVENT, urgeData, urgeRecord, urgeText, type UrgeCommand, type UrgeRecord } from './urge';

export interface NoticeUrgeChange {
  state: NoticeState;
  key: string;
  type: string;
  actor: string;
  data: Record<string, unknown>;
  urge: UrgeRecord;
}

/** `title`: the notice's, as issued. */
export function noticeUrgeChange(state: NoticeState, cmd: UrgeCommand, title: string, now: number): NoticeUrgeChange {
  const next = markUrged(state, now);
  const overdue = state.status !== 'closed' && overdueAt(state.deadline, now);
  return {
    state: next,
    key: `urge-${next.seq}`,
    type: URGED_EVENT,
    actor: cmd.by,
    data: urgeData(cmd, { status: state.status, deadline: state.deadline, overdue }),
    urge: urgeRecord(cmd, urgeText('notice', `${state.code ? `${state.code} ` : ''}${title}`, state.deadline, overdue, cmd.message ?? '')),
  };
}
