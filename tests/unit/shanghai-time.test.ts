import { describe, expect, it } from 'vitest';
import {
  SHANGHAI_OFFSET_MS,
  addDays,
  daysBetween,
  dueInstant,
  isIsoDate,
  shanghaiDate,
  shanghaiInstant,
} from '../../domain/shanghai-time';

const iso = (t: number) => new Date(t).toISOString();
const at = (s: string) => Date.parse(s);

describe('isIsoDate', () => {
  it('accepts a real calendar date in YYYY-MM-DD form', () => {
    expect(isIsoDate('2026-01-05')).toBe(true);
    expect(isIsoDate('2026-12-31')).toBe(true);
  });

  it('accepts 29 February in a leap year (2024)', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
  });

  it('refuses 29 February in a common year (2026) instead of rolling over to 1 March', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
  });

  it('refuses days and months that do not exist', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-00-10')).toBe(false);
    expect(isIsoDate('2026-01-00')).toBe(false);
  });

  it('refuses dates without zero padding', () => {
    expect(isIsoDate('2026-1-5')).toBe(false);
    expect(isIsoDate('2026-01-5')).toBe(false);
  });

  it('refuses anything other than a bare date (times, spaces, other separators, empty)', () => {
    expect(isIsoDate('2026-01-05T00:00:00Z')).toBe(false);
    expect(isIsoDate(' 2026-01-05')).toBe(false);
    expect(isIsoDate('2026-01-05 ')).toBe(false);
    expect(isIsoDate('2026/01/05')).toBe(false);
    expect(isIsoDate('20260105')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
});

describe('shanghaiInstant', () => {
  it('is the Shanghai wall-clock time, 8 hours ahead of UTC', () => {
    expect(SHANGHAI_OFFSET_MS).toBe(8 * 3_600_000);
    expect(iso(shanghaiInstant('2026-03-10'))).toBe('2026-03-09T16:00:00.000Z');
    expect(iso(shanghaiInstant('2026-03-10', 9))).toBe('2026-03-10T01:00:00.000Z');
    expect(iso(shanghaiInstant('2026-03-10', 9, 30))).toBe('2026-03-10T01:30:00.000Z');
  });

  it('takes hour 24 as the first instant of the next day', () => {
    expect(shanghaiInstant('2026-03-10', 24)).toBe(shanghaiInstant('2026-03-11'));
  });

  it('throws a RangeError for something that is not a calendar date', () => {
    expect(() => shanghaiInstant('2026-02-29')).toThrow(RangeError);
    expect(() => shanghaiInstant('2026-02-29')).toThrow('not a calendar date: 2026-02-29');
  });
});

describe('dueInstant', () => {
  it('is the end of the deadline day in Shanghai: 16:00 UTC on that same date', () => {
    expect(iso(dueInstant('2026-03-10'))).toBe('2026-03-10T16:00:00.000Z');
  });

  it('is the end of the day on 29 February of a leap year', () => {
    expect(iso(dueInstant('2024-02-29'))).toBe('2024-02-29T16:00:00.000Z');
  });

  it('is the end of the day on 31 December, landing on 1 January in Shanghai', () => {
    expect(iso(dueInstant('2026-12-31'))).toBe('2026-12-31T16:00:00.000Z');
    expect(shanghaiDate(dueInstant('2026-12-31'))).toBe('2027-01-01');
  });

  it('refuses a date that does not exist', () => {
    expect(() => dueInstant('2026-02-30')).toThrow(RangeError);
  });
});

describe('shanghaiDate', () => {
  it('is still the same date one millisecond before 16:00 UTC', () => {
    expect(shanghaiDate(at('2026-03-10T15:59:59.999Z'))).toBe('2026-03-10');
  });

  it('turns to the next date exactly at 16:00 UTC (midnight in Shanghai)', () => {
    expect(shanghaiDate(at('2026-03-10T16:00:00.000Z'))).toBe('2026-03-11');
  });

  it('is a day ahead of the UTC date in the early Shanghai morning', () => {
    expect(shanghaiDate(at('2026-12-31T23:30:00.000Z'))).toBe('2027-01-01');
  });

  it('is the date whose end is the due instant minus a millisecond', () => {
    expect(shanghaiDate(dueInstant('2026-03-10') - 1)).toBe('2026-03-10');
  });

  it('round-trips with shanghaiInstant for any hour of the day', () => {
    for (const hour of [0, 1, 8, 9, 15, 16, 23]) {
      expect(shanghaiDate(shanghaiInstant('2026-07-15', hour))).toBe('2026-07-15');
    }
  });
});

describe('addDays', () => {
  it('moves within a month', () => {
    expect(addDays('2026-03-10', 5)).toBe('2026-03-15');
    expect(addDays('2026-03-10', 0)).toBe('2026-03-10');
  });

  it('crosses a month end forward and backward', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('crosses a year end forward and backward', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-12-25', 15)).toBe('2027-01-09');
    expect(addDays('2027-01-03', -7)).toBe('2026-12-27');
  });

  it('adds a whole year of days across a leap day', () => {
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('throws for a date that does not exist', () => {
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  it('counts whole calendar days from one date to a later one', () => {
    expect(daysBetween('2026-03-10', '2026-03-15')).toBe(5);
    expect(daysBetween('2026-03-10', '2026-03-10')).toBe(0);
  });

  it('is negative when the second date is earlier', () => {
    expect(daysBetween('2026-03-15', '2026-03-10')).toBe(-5);
  });

  it('counts across month, leap-day and year boundaries', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('is the inverse of addDays', () => {
    for (const n of [-400, -31, -1, 0, 1, 29, 365, 366]) {
      expect(daysBetween('2026-02-15', addDays('2026-02-15', n))).toBe(n);
    }
  });
});
