/**
 * When the timer benchmark's burst falls due. `probe`: in a window a few minutes ahead, spread
 * evenly over part of it (bench/timer-probe.workflow.ts: the product's own timers fall only at
 * 09:00 and midnight, Shanghai time). `office-hour`: real hazards whose one-day reminder falls at
 * the next 09:00 Shanghai (01:00 UTC), all at the same instant; the run waits for it, up to a day.
 */
import { DEFAULT_POLICIES } from '../domain/policy';
import { planRound } from '../domain/schedule';
import { addDays, shanghaiDate, shanghaiInstant, type IsoDate } from '../domain/shanghai-time';

export type BurstKind = 'probe' | 'office-hour';

/**
 * The next 09:00 Shanghai at or after `notBefore`, and the deadline whose one-day reminder falls
 * then under the general policy (its three-day reminder has passed, so it is left out).
 */
export function officeHourBurst(notBefore: number): { dueAt: number; deadline: IsoDate } {
  let day = shanghaiDate(notBefore);
  while (shanghaiInstant(day, 9) < notBefore) day = addDays(day, 1);
  return { dueAt: shanghaiInstant(day, 9), deadline: addDays(day, 1) };
}

/** The first step a hazard started at `now` with this deadline and the general policy waits for. */
export function firstStep(deadline: IsoDate, now: number) {
  return planRound(1, deadline, DEFAULT_POLICIES.general, now)[0]!;
}

export interface BurstWindow {
  /** The first due instant; a probe window starts on a multiple of the sweeper's period. */
  start: number;
  /** The burst's hazards' deadline. */
  deadline: IsoDate;
  /** Each of the burst's due instants, by its index. */
  dues: number[];
}

/** The window of a burst of `burst` due no earlier than `notBefore`; a probe's hazards keep `openDeadline`. */
export function burstWindow(o: { kind: BurstKind; burst: number; notBefore: number; periodMs: number; spreadMs: number; openDeadline: IsoDate }): BurstWindow {
  if (o.kind === 'office-hour') {
    const at = officeHourBurst(o.notBefore);
    return { start: at.dueAt, deadline: at.deadline, dues: Array.from({ length: o.burst }, () => at.dueAt) };
  }
  const start = Math.ceil(o.notBefore / o.periodMs) * o.periodMs;
  return { start, deadline: o.openDeadline, dues: Array.from({ length: o.burst }, (_, i) => start + Math.floor((i * o.spreadMs) / o.burst)) };
}
