/**
 * When and whether a notification leaves for a person on a channel: their preferences (channels,
 * quiet hours, a daily digest), what is urgent enough to cross quiet hours, what is no longer worth
 * sending once the item moved on, and how long to wait after a failed try. Asia/Shanghai wall clock.
 */
import { addDays, shanghaiDate, shanghaiInstant, SHANGHAI_OFFSET_MS, type IsoDate } from './shanghai-time';

/** Channels beyond the in-app inbox, which every person has. */
export const EXTERNAL_CHANNELS = ['email', 'sms', 'wecom', 'dingtalk'] as const;
export type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];

export interface Preferences {
  channels: ExternalChannel[];
  email: string | null;
  phone: string | null;
  /** Minutes of the Shanghai day; from after until spans midnight; null: no quiet hours. */
  quietFrom: number | null;
  quietUntil: number | null;
  digest: boolean;
}

/** Until a person says otherwise: the inbox only, quiet from 22:00 to 07:00, no digest. */
export const DEFAULT_PREFERENCES: Preferences = { channels: [], email: null, phone: null, quietFrom: 22 * 60, quietUntil: 7 * 60, digest: false };

/** The digest of a day leaves at 18:00 Shanghai, summing what waited for it that day. */
export const DIGEST_HOUR = 18;

const DAY_MS = 86_400_000;
const minuteOfDay = (instant: number) => Math.floor((((instant + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / 60_000);

/** Whether an instant falls in the person's quiet hours. */
export function inQuietHours(instant: number, p: Pick<Preferences, 'quietFrom' | 'quietUntil'>): boolean {
  if (p.quietFrom === null || p.quietUntil === null || p.quietFrom === p.quietUntil) return false;
  const m = minuteOfDay(instant);
  return p.quietFrom < p.quietUntil ? m >= p.quietFrom && m < p.quietUntil : m >= p.quietFrom || m < p.quietUntil;
}

/** The first instant at or after `instant` outside quiet hours. */
export function endOfQuiet(instant: number, p: Pick<Preferences, 'quietFrom' | 'quietUntil'>): number {
  if (!inQuietHours(instant, p)) return instant;
  const until = p.quietUntil!;
  const today = shanghaiDate(instant);
  const sameDay = shanghaiInstant(today, Math.floor(until / 60), until % 60);
  return sameDay > instant ? sameDay : shanghaiInstant(addDays(today, 1), Math.floor(until / 60), until % 60);
}

/**
 * Urgent enough to reach a person at night: an escalation (or a leader's urge) to a leader.
 * A reminder, and anything to people who are not leaders, waits for the morning.
 */
export function crossesQuietHours(kind: string, recipientRole: string): boolean {
  return recipientRole === 'leader' && (kind.includes('escalation') || kind === 'urge');
}

export interface Release {
  /** Not sent before this instant. */
  notBefore: number;
  /** The day whose digest carries it; null: sent on its own. */
  digestDate: IsoDate | null;
}

/** When a notification scheduled at `at` goes out on an external channel to a person of `role`. */
export function releaseOf(at: number, kind: string, role: string, p: Preferences): Release {
  const urgent = crossesQuietHours(kind, role);
  if (p.digest && !urgent) {
    const day = shanghaiDate(at);
    return { notBefore: at, digestDate: at < shanghaiInstant(day, DIGEST_HOUR) ? day : addDays(day, 1) };
  }
  return { notBefore: urgent ? at : endOfQuiet(at, p), digestDate: null };
}

/** The instant a day's digest is due. */
export const digestDueAt = (day: IsoDate) => shanghaiInstant(day, DIGEST_HOUR);

/** The item as it stands when a delivery is about to leave. */
export interface SubjectNow {
  type: 'hazard' | 'notice' | 'suspension' | 'digest';
  status: string | null;
}

const SETTLED: Record<SubjectNow['type'], readonly string[]> = {
  hazard: ['closed', 'void'],
  notice: ['closed'],
  suspension: ['resumed', 'lifted'],
  digest: [],
};
/** States in which a reminder's addressee has done their part: a hazard submitted for review, a suspension asking to resume. */
const ANSWERED: Record<SubjectNow['type'], readonly string[]> = { hazard: ['under_review'], notice: [], suspension: ['resumption_requested'], digest: [] };

/** Why a delivery is no longer worth sending (null: send it): nothing after closure; no reminder once answered. */
export function staleReason(kind: string, subject: SubjectNow): string | null {
  if (subject.status === null) return subject.type === 'digest' ? null : 'subject_missing';
  if (SETTLED[subject.type].includes(subject.status)) return `subject_${subject.status}`;
  if (kind === 'reminder' && ANSWERED[subject.type].includes(subject.status)) return `subject_${subject.status}`;
  return null;
}

/** Tries before a delivery counts as failed. */
export const MAX_ATTEMPTS = 6;

/** The wait after the n-th failed try (1-based): 30 s doubling, at most an hour. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

/** One person's digest: one message summing what waited for it. */
export function digestText(day: IsoDate, items: Array<{ kind: string; message: string }>): { subject: string; body: string } {
  const subject = `督办提醒汇总（${day}）：${items.length} 条`;
  const body = [`${day} 共有 ${items.length} 条待办提醒：`, ...items.map((it, i) => `${i + 1}. ${it.message}`)].join('\n');
  return { subject, body };
}

/** The subject line of a single notification (email). */
export function notificationSubject(kind: string): string {
  if (kind === 'reminder') return '督办提醒：整改期限将至';
  if (kind.includes('escalation')) return '督办升级通知';
  if (kind === 'urge') return '督办催办';
  if (kind === 'digest') return '督办提醒汇总';
  return '督办通知';
}
