/** The pure rules of the leaders' figures: ages in working days, their buckets, periods, medians. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AGE_BUCKETS, ageBucketOf, deadlinesInBucket, histogramMedian, overdueWorkingDays } from '../../domain/figures/ageing';
import { periodOf, periodsBetween, previousPeriod } from '../../domain/figures/periods';
import { ageReader } from '../../domain/figures/open-summary';
import { addDays } from '../../domain/shanghai-time';
import { WorkCalendar } from '../../domain/work-calendar';

// 2026: Spring Festival 2-16 to 2-22 off, 2-14 (Sat) and 2-28 (Sat) worked.
const calendar = new WorkCalendar([
  {
    year: 2026,
    source: 'test',
    holidays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'].map((date) => ({ date, name: '春节' })),
    workdays: [{ date: '2026-02-14', name: '调休' }, { date: '2026-02-28', name: '调休' }],
  },
]);

describe('overdue age in working days', () => {
  it('is 0 on the deadline day and 1 from the day after', () => {
    expect(overdueWorkingDays(calendar, '2026-03-10', '2026-03-10')).toBe(0);
    expect(overdueWorkingDays(calendar, '2026-03-10', '2026-03-11')).toBe(1);
    expect(overdueWorkingDays(calendar, '2026-03-10', '2026-03-13')).toBe(3);
  });
  it('is 1 over a weekend right after the deadline, and skips the holiday but counts the make-up day', () => {
    expect(overdueWorkingDays(calendar, '2026-03-06', '2026-03-08')).toBe(1); // Fri deadline, Sunday
    expect(overdueWorkingDays(calendar, '2026-02-13', '2026-02-14')).toBe(1); // make-up Saturday
    expect(overdueWorkingDays(calendar, '2026-02-13', '2026-02-23')).toBe(1); // through the festival
    expect(overdueWorkingDays(calendar, '2026-02-13', '2026-02-24')).toBe(2);
  });
  it('puts ages in their buckets at the edges', () => {
    expect([1, 3, 4, 7, 8, 15, 16, 30, 31, 400].map((d) => ageBucketOf(d)?.key)).toEqual(['1-3', '1-3', '4-7', '4-7', '8-15', '8-15', '16-30', '16-30', '31+', '31+']);
    expect(ageBucketOf(0)).toBeNull();
  });
  it('turns a bucket into exactly the deadlines whose age falls in it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.constantFrom(...AGE_BUCKETS), (offset, bucket) => {
        const today = addDays('2026-01-01', offset);
        const range = deadlinesInBucket(calendar, today, bucket);
        for (let back = 1; back < 80; back++) {
          const deadline = addDays(today, -back);
          const inside = ageBucketOf(overdueWorkingDays(calendar, deadline, today))?.key === bucket.key;
          const inRange = range !== null && deadline <= range.to && (range.from === null || deadline >= range.from);
          expect(inRange).toBe(inside);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ages of many deadlines at once', () => {
  it('agree with the age of each deadline alone, asked in any order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.array(fc.integer({ min: -30, max: 400 }), { minLength: 1, maxLength: 40 }), (offset, backs) => {
        const today = addDays('2026-01-01', offset);
        const ageOf = ageReader(calendar, today);
        for (const back of backs) {
          const deadline = addDays(today, -back);
          expect(ageOf(deadline)).toBe(overdueWorkingDays(calendar, deadline, today));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('periods', () => {
  it('weeks run Monday to Sunday; months, quarters and years by the calendar', () => {
    expect(periodOf('week', '2026-12-02')).toEqual({ kind: 'week', from: '2026-11-30', to: '2026-12-06' });
    expect(periodOf('month', '2026-02-10')).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('quarter', '2026-05-31')).toEqual({ kind: 'quarter', from: '2026-04-01', to: '2026-06-30' });
    expect(periodOf('year', '2026-05-31')).toEqual({ kind: 'year', from: '2026-01-01', to: '2026-12-31' });
    expect(previousPeriod(periodOf('month', '2026-01-15'))).toEqual({ kind: 'month', from: '2025-12-01', to: '2025-12-31' });
  });
  it('lists consecutive periods covering a range', () => {
    const weeks = periodsBetween('week', '2026-11-01', '2026-12-02');
    expect(weeks[0]!.from).toBe('2026-10-26');
    expect(weeks[weeks.length - 1]!.to).toBe('2026-12-06');
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]!.from).toBe(addDays(weeks[i - 1]!.to, 1));
  });
});

describe('histogram median', () => {
  it('takes the lower middle and ignores empty counts', () => {
    expect(histogramMedian([])).toBeNull();
    expect(histogramMedian([{ value: 5, n: 1 }])).toBe(5);
    expect(histogramMedian([{ value: 9, n: 1 }, { value: 2, n: 1 }])).toBe(2);
    expect(histogramMedian([{ value: 3, n: 2 }, { value: 10, n: 1 }, { value: 1, n: 0 }])).toBe(3);
  });
});
