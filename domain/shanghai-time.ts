/**
 * Calendar dates and instants in Asia/Shanghai.
 *
 * China has kept UTC+8 all year since 1991 (no daylight saving), so a fixed offset is exact for
 * every date this system handles and keeps the module free of time-zone databases — which
 * matters because workflow code imports it and must stay deterministic.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date, `YYYY-MM-DD`, always meant in Asia/Shanghai. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function parts(date: IsoDate): [number, number, number] {
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The instant a Shanghai wall-clock time happens (hour may be 24 for the end of the day). */
export function shanghaiInstant(date: IsoDate, hour = 0, minute = 0): number {
  const [y, mo, d] = parts(date);
  return Date.UTC(y, mo - 1, d, hour, minute) - SHANGHAI_OFFSET_MS;
}

/** Deadlines are due at the end of their day: the first instant of the next Shanghai day. */
export function dueInstant(date: IsoDate): number {
  return shanghaiInstant(date, 24);
}

/** The Shanghai calendar date on which an instant falls. */
export function shanghaiDate(instant: number): IsoDate {
  return new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, mo, d] = parts(date);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((shanghaiInstant(to) - shanghaiInstant(from)) / DAY_MS);
}
