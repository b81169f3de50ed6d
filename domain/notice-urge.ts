/**
 * A leader's urge (催办) of a supervision notice: the notice's state marked, and what its trail
 * records, shaped here so the notice workflow only applies it (see domain/urge.ts).
 */
import type { NoticeChange } from './notice-changes';
import type { NoticeState } from './notice-lifecycle';
import { markUrged, overdueAt, URGED_EVENT, urgeData, urgeRecord, urgeText, type UrgeCommand } from './urge';

/** `title`: the notice's, as issued. */
export function noticeUrgeChange(state: NoticeState, cmd: UrgeCommand, title: string, now: number): NoticeChange {
  const next = markUrged(state, now);
  const overdue = state.status !== 'closed' && overdueAt(state.deadline, now);
  return {
    state: next,
    events: [
      {
        key: `urge-${next.seq}`,
        event: { type: URGED_EVENT, actor: cmd.by, occurredAt: now, data: urgeData(cmd, { status: state.status, deadline: state.deadline, overdue }) },
        urge: urgeRecord(cmd, urgeText('notice', `${state.code ? `${state.code} ` : ''}${title}`, state.deadline, overdue, cmd.message ?? '')),
      },
    ],
  };
}
