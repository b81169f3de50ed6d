/**
 * 催办: a leader pushes an open hazard or notice. An urge changes nothing of the case's duties or
 * dates; it is a fact on the case's trail (who urged, when, with what words) that tells the
 * enterprise and the supervisor in charge. The rules here are shared by hazards and notices.
 */
import type { RecipientRole } from './policy-types';
import type { Refusal } from './refusal';
import { dueInstant, type IsoDate } from './shanghai-time';

/**
 * The same item is urged at most once in this long, by anyone: an enterprise told twice in an
 * afternoon by two leaders (or by a leader and a bulk urge of the grid) learns nothing new, and
 * the second message would only drown the first. A day lets each morning's review push again.
 */
export const URGE_QUIET_HOURS = 24;
const QUIET_MS = URGE_QUIET_HOURS * 3_600_000;

/** Longest message a leader may add to an urge. */
export const URGE_MESSAGE_MAX = 500;

/** Who an urge tells: the enterprise that must act, and the supervisor in charge of the case. */
export const URGE_RECIPIENTS: readonly RecipientRole[] = ['enterprise', 'supervisor'];

/** The event type an urge records on the case's trail. */
export const URGED_EVENT = 'urged';

export interface UrgeCommand {
  by: string;
  /** The leader's own words (optional). */
  message?: string;
  /** The bulk urge (of an enterprise or a region) this urge is part of, if any. */
  bulkUrgeId?: string | null;
}

/** What an urge leaves in a case's state: when it was last urged, and how often. */
export interface UrgeMark {
  lastUrgedAt?: number | null;
  urges?: number;
}

/** What the check needs to know of the case. */
export interface Urgeable extends UrgeMark {
  status: string;
  seq: number;
}

const SETTLED = new Set(['closed', 'void']);

/** Whether `item` may be urged now: open, not urged within the quiet window, and a sound command. */
export function checkUrge(item: Urgeable, cmd: UrgeCommand, now: number): Refusal | null {
  if (SETTLED.has(item.status)) return { kind: 'not_allowed', message: `it is ${item.status}: there is nothing left to urge` };
  if (typeof cmd.by !== 'string' || cmd.by.trim() === '') return { kind: 'invalid', field: 'by', message: 'the person urging is required' };
  if (cmd.message !== undefined && typeof cmd.message !== 'string') return { kind: 'invalid', field: 'message', message: 'a text' };
  if ((cmd.message ?? '').trim().length > URGE_MESSAGE_MAX) {
    return { kind: 'invalid', field: 'message', message: `at most ${URGE_MESSAGE_MAX} characters` };
  }
  const last = item.lastUrgedAt ?? null;
  if (last !== null && now - last < QUIET_MS) {
    return {
      kind: 'not_allowed',
      code: 'urge-quiet-hours',
      field: 'urge',
      limit: { name: 'urge.quietHours', value: URGE_QUIET_HOURS },
      message: `already urged at ${new Date(last).toISOString()}; it may be urged again after ${new Date(last + QUIET_MS).toISOString()}`,
    };
  }
  return null;
}

/** The case after an urge: marked, and its sequence moved on (the urge is a recorded change). */
export function markUrged<S extends Urgeable>(item: S, now: number): S & UrgeMark {
  return { ...item, lastUrgedAt: now, urges: (item.urges ?? 0) + 1, seq: item.seq + 1 };
}

/** The event's facts: the words, whether the case was overdue, and the bulk urge it came with. */
export function urgeData(cmd: UrgeCommand, facts: { status: string; deadline: IsoDate; overdue: boolean }): Record<string, unknown> {
  return {
    message: (cmd.message ?? '').trim(),
    status: facts.status,
    deadline: facts.deadline,
    overdue: facts.overdue,
    ...(cmd.bulkUrgeId ? { bulkUrgeId: cmd.bulkUrgeId } : {}),
  };
}

/** What each recipient reads (Chinese, as the other notifications). */
export function urgeText(what: 'hazard' | 'notice', title: string, deadline: IsoDate, overdue: boolean, message: string): string {
  const subject = what === 'hazard' ? `隐患“${title}”` : `督办通知“${title}”`;
  const state = overdue ? `整改期限 ${deadline} 已过` : `整改期限为 ${deadline}`;
  const words = message.trim() ? `领导批示：${message.trim()}` : '请抓紧整改落实。';
  return `【催办】${subject}${state}，${words}`;
}

/** The notifications of an urge, one per recipient role. */
export function urgeNotifications(text: string): Array<{ recipientRole: RecipientRole; message: string }> {
  return URGE_RECIPIENTS.map((recipientRole) => ({ recipientRole, message: text }));
}

/** What the records side writes beside the event: the urge's own row and its notifications. */
export interface UrgeRecord {
  message: string;
  bulkUrgeId: string | null;
  notifications: Array<{ recipientRole: RecipientRole; message: string }>;
}

export function urgeRecord(cmd: UrgeCommand, text: string): UrgeRecord {
  return { message: (cmd.message ?? '').trim(), bulkUrgeId: cmd.bulkUrgeId ?? null, notifications: urgeNotifications(text) };
}

/** Overdue as the lists count it: open past the end of the deadline day. */
export function overdueAt(deadline: IsoDate, now: number): boolean {
  return now >= dueInstant(deadline);
}

// ---------------------------------------------------------------------------------------------
// Whether an urged item moved since

/** One entry of a case's trail, as the moves are judged from. */
export interface TrailEntry {
  type: string;
  actor: string;
  occurredAt: number;
}

/** The actor of the steps a workflow takes by itself (the clock, the ladder, calendar updates). */
export const SYSTEM_ACTOR = 'system';

/**
 * A move is a change made by a person (or another system acting for people: `system:<name>`)
 * after the urge: a submission, a signature, a review, an extension asked or decided, a decision,
 * a reassignment, a closure. The clock's own steps (reminders, escalations, the overdue mark,
 * calendar updates) are not moves, and neither is another urge: being pushed again is not moving.
 */
export function isMove(entry: TrailEntry, urgedAt: number): boolean {
  return entry.occurredAt > urgedAt && entry.actor !== SYSTEM_ACTOR && entry.type !== URGED_EVENT;
}

/** The first move after an urge at `urgedAt`, or null when the item has not moved since. */
export function firstMoveSince(urgedAt: number, trail: readonly TrailEntry[]): TrailEntry | null {
  let first: TrailEntry | null = null;
  for (const e of trail) if (isMove(e, urgedAt) && (!first || e.occurredAt < first.occurredAt)) first = e;
  return first;
}
