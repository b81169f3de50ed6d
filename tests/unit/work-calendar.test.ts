/** China's working-day calendar with the shipped 2025 and 2026 data: exact dates, provisional years. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkYearCalendar, weekday, WorkCalendar, type YearCalendar } from '../../domain/work-calendar';
import { dueInstant } from '../../domain/shanghai-time';

const load = (year: number): YearCalendar => JSON.parse(readFileSync(new URL(`../../domain/calendars/cn-${year}.json`, import.meta.url), 'utf8'));
const calendar = new WorkCalendar([load(2025), load(2026)]);

describe('shipped calendars', () => {
  it('are sound: make-up days fall on weekends, dates within their year, none twice', () => {
    expect(checkYearCalendar(load(2025))).toBeNull();
    expect(checkYearCalendar(load(2026))).toBeNull();
  });

  it('count 2025: 28 holiday days and 5 make-up working days', () => {
    expect(load(2025).holidays).toHaveLength(28);
    expect(load(2025).workdays.map((d) => d.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });
});

describe('working days', () => {
  it('treats the Spring Festival 2026 as days off and its make-up Saturdays as working days', () => {
    expect(calendar.isWorkingDay('2026-02-14')).toEqual({ working: true, provisional: false }); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-02-16')).toEqual({ working: false, provisional: false }); // Monday, 春节
    expect(calendar.isWorkingDay('2026-02-28')).toEqual({ working: true, provisional: false }); // Saturday, 调休
    expect(calendar.isWorkingDay('2026-03-01')).toEqual({ working: false, provisional: false }); // ordinary Sunday
  });

  it('counts a deadline across the Spring Festival exactly', () => {
    // Ordered on Tue 10 Feb 2026: 11, 12, 13, Sat 14 (调休), then the holiday 15–23, then 24.
    expect(calendar.addWorkingDays('2026-02-10', 5)).toEqual({ date: '2026-02-24', provisional: false });
    // Ten working days: …24, 25, 26, 27, Sat 28 (调休), Mon 2 Mar.
    expect(calendar.addWorkingDays('2026-02-10', 10)).toEqual({ date: '2026-03-02', provisional: false });
    // Due at the end of that day in Shanghai.
    expect(new Date(dueInstant('2026-03-02')).toISOString()).toBe('2026-03-02T16:00:00.000Z');
  });

  it('counts across the 2025 National Day week and its make-up Saturday', () => {
    // Tue 30 Sep 2025 + 3: holiday 1–8 Oct, Thu 9, Fri 10, Sat 11 (调休).
    expect(calendar.addWorkingDays('2025-09-30', 3)).toEqual({ date: '2025-10-11', provisional: false });
  });

  it('moves a zero-day count off a day off, and leaves a working day as it is', () => {
    expect(calendar.addWorkingDays('2026-10-03', 0)).toEqual({ date: '2026-10-08', provisional: false });
    expect(calendar.addWorkingDays('2026-10-09', 0)).toEqual({ date: '2026-10-09', provisional: false });
  });

  it('marks a count reaching into a year without data as provisional (weekends only)', () => {
    // From Fri 25 Dec 2026: 28, 29, 30, 31 Dec, then 2027 by weekends only: 1 (Fri), 4, 5, 6, 7, 8 Jan.
    expect(calendar.addWorkingDays('2026-12-25', 10)).toEqual({ date: '2027-01-08', provisional: true });
    expect(calendar.isWorkingDay('2027-01-01')).toEqual({ working: true, provisional: true });
    // Once 2027 is loaded (here: New Year's Day a holiday), the same count moves and is final.
    const with2027 = new WorkCalendar([load(2026), { year: 2027, source: 'test', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }]);
    expect(with2027.addWorkingDays('2026-12-25', 10)).toEqual({ date: '2027-01-11', provisional: false });
  });

  it('counts working days between two dates', () => {
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-24')).toEqual({ date: '2026-02-24', days: 2, provisional: false });
    expect(calendar.workingDaysBetween('2026-02-24', '2026-02-24').days).toBe(0);
  });

  it('refuses negative or fractional counts', () => {
    expect(() => calendar.addWorkingDays('2026-01-05', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-01-05', 1.5)).toThrow(RangeError);
  });
});

describe('checkYearCalendar', () => {
  const base: YearCalendar = { year: 2027, source: 'test', holidays: [], workdays: [] };
  it('refuses a make-up working day on a weekday', () => {
    expect(weekday('2027-02-03')).toBe(3);
    expect(checkYearCalendar({ ...base, workdays: [{ date: '2027-02-03', name: 'x' }] })).toMatch(/is a weekday/);
  });
  it('refuses dates outside the year, impossible dates and duplicates', () => {
    expect(checkYearCalendar({ ...base, holidays: [{ date: '2026-12-31', name: 'x' }] })).toMatch(/not in 2027/);
    expect(checkYearCalendar({ ...base, holidays: [{ date: '2027-02-30', name: 'x' }] })).toMatch(/not a date/);
    expect(checkYearCalendar({ ...base, holidays: [{ date: '2027-01-01', name: 'a' }, { date: '2027-01-01', name: 'b' }] })).toMatch(/twice/);
    expect(checkYearCalendar({ ...base, year: 1999 })).toMatch(/between 2000 and 2100/);
  });
});
