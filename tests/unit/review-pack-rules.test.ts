/** The review meeting's pure rules: the period a pack covers, the schedule's cron, the 约谈 rule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INTERVIEW_RULE,
  REVIEW_INTERVALS,
  interviewCandidates,
  mergeFacts,
  periodJustEnded,
  periodSoFar,
  reviewCron,
  reviewWindowOf,
  type EnterpriseFacts,
} from '../../domain/figures/review-pack';
import { addDays } from '../../domain/shanghai-time';

describe('review pack periods', () => {
  it('reviews the two whole months just ended on the first of an odd month', () => {
    expect(periodJustEnded('2026-03-01', 2)).toEqual({ from: '2026-01-01', to: '2026-02-28' });
    expect(periodJustEnded('2026-05-01', 2)).toEqual({ from: '2026-03-01', to: '2026-04-30' });
    expect(periodJustEnded('2028-03-01', 2)).toEqual({ from: '2028-01-01', to: '2028-02-29' });
  });

  it('crosses the year in January', () => {
    expect(periodJustEnded('2026-01-01', 2)).toEqual({ from: '2025-11-01', to: '2025-12-31' });
    expect(periodJustEnded('2026-01-01', 3)).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodJustEnded('2026-01-01', 12)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(periodJustEnded('2026-07-15', 1)).toEqual({ from: '2026-06-01', to: '2026-06-30' });
  });

  it('takes the previous whole window from any day of a window, and the window so far ahead of a meeting', () => {
    expect(periodJustEnded('2026-04-30', 2)).toEqual({ from: '2026-01-01', to: '2026-02-28' });
    expect(periodSoFar('2026-04-12', 2)).toEqual({ from: '2026-03-01', to: '2026-04-12' });
    expect(periodSoFar('2026-03-01', 2)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  });

  it('tiles time: each window ends the day before the next begins, and holds the day asked about', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.constantFrom(...REVIEW_INTERVALS), (offset, n) => {
        const day = addDays('2024-01-01', offset);
        const w = reviewWindowOf(day, n);
        expect(w.from <= day && day <= w.to).toBe(true);
        const ended = periodJustEnded(day, n);
        expect(addDays(ended.to, 1)).toBe(w.from);
        expect(reviewWindowOf(ended.from, n)).toEqual(ended);
      }),
    );
  });

  it('fires at 08:00 on the first day of each window', () => {
    expect(reviewCron(2)).toBe('0 8 1 1/2 *');
    expect(reviewCron(1)).toBe('0 8 1 * *');
    expect(reviewCron(6)).toBe('0 8 1 1/6 *');
  });
});

const facts = (over: Partial<EnterpriseFacts> & { id: string }): EnterpriseFacts => ({
  name: over.id,
  overdue: 0,
  overdueMajor: 0,
  majorOverdueWorkingDays: null,
  repeats: 0,
  ...over,
});

describe('warning interview (约谈) candidates', () => {
  it('names a major hazard overdue more than 15 working days, 3 overdue hazards, or 2 repeats, each with its reasons', () => {
    const got = interviewCandidates([
      facts({ id: 'major-16', overdue: 1, overdueMajor: 1, majorOverdueWorkingDays: 16 }),
      facts({ id: 'major-15', overdue: 1, overdueMajor: 1, majorOverdueWorkingDays: 15 }),
      facts({ id: 'three', overdue: 3 }),
      facts({ id: 'two', overdue: 2, repeats: 1 }),
      facts({ id: 'repeats', repeats: 2 }),
      facts({ id: 'all', overdue: 4, overdueMajor: 2, majorOverdueWorkingDays: 30, repeats: 3 }),
    ]);
    expect(got.map((c) => [c.id, c.reasons])).toEqual([
      ['all', [{ kind: 'major-overdue', workingDays: 30 }, { kind: 'overdue', count: 4 }, { kind: 'repeats', count: 3 }]],
      ['major-16', [{ kind: 'major-overdue', workingDays: 16 }]],
      ['three', [{ kind: 'overdue', count: 3 }]],
      ['repeats', [{ kind: 'repeats', count: 2 }]],
    ]);
  });

  it('follows the thresholds it is given', () => {
    const f = [facts({ id: 'x', overdue: 2 })];
    expect(interviewCandidates(f)).toEqual([]);
    expect(interviewCandidates(f, { ...INTERVIEW_RULE, overdue: 2 })).toHaveLength(1);
  });

  it('merges overdue facts and repeats of the same enterprise', () => {
    const merged = mergeFacts(
      [{ id: 'a', name: '甲', overdue: 1, overdueMajor: 0, majorOverdueWorkingDays: null }],
      [
        { id: 'a', name: '甲', repeats: 1 },
        { id: 'b', name: '乙', repeats: 2 },
      ],
    );
    expect(merged).toEqual([
      { id: 'a', name: '甲', overdue: 1, overdueMajor: 0, majorOverdueWorkingDays: null, repeats: 1 },
      { id: 'b', name: '乙', overdue: 0, overdueMajor: 0, majorOverdueWorkingDays: null, repeats: 2 },
    ]);
  });
});
