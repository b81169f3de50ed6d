/**
 * The repeat window: calendar months back from the registration's Shanghai date, whole days,
 * the first day inclusive; month ends clamp; the day changes at Shanghai midnight, not UTC.
 */
import { describe, expect, it } from 'vitest';
import { monthsBefore, repeatOf, repeatWindowStart, withinRepeatWindow } from '../../domain/repeat-hazard';
import { shanghaiInstant } from '../../domain/shanghai-time';

const at = (date: string, hour = 0, minute = 0) => shanghaiInstant(date, hour, minute);

describe('monthsBefore', () => {
  it('moves back whole calendar months, across years', () => {
    expect(monthsBefore('2026-11-28', 12)).toBe('2025-11-28');
    expect(monthsBefore('2026-01-15', 1)).toBe('2025-12-15');
    expect(monthsBefore('2026-03-10', 14)).toBe('2025-01-10');
    expect(monthsBefore('2026-05-31', 60)).toBe('2021-05-31');
  });

  it('clamps to the end of a shorter month, leap years included', () => {
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
    expect(monthsBefore('2025-02-28', 12)).toBe('2024-02-28');
    expect(monthsBefore('2024-02-29', 12)).toBe('2023-02-28');
    expect(monthsBefore('2028-02-29', 48)).toBe('2024-02-29');
    expect(monthsBefore('2026-12-31', 6)).toBe('2026-06-30');
  });
});

describe('the repeat window', () => {
  const registered = at('2026-11-28', 10);

  it('includes the whole first day and excludes the day before', () => {
    expect(repeatWindowStart(registered, 12)).toBe(Date.parse('2025-11-27T16:00:00Z'));
    expect(withinRepeatWindow(at('2025-11-28'), registered, 12)).toBe(true);
    expect(withinRepeatWindow(at('2025-11-28', 23, 59), registered, 12)).toBe(true);
    expect(withinRepeatWindow(at('2025-11-28') - 1, registered, 12)).toBe(false);
    expect(withinRepeatWindow(at('2025-11-27', 12), registered, 12)).toBe(false);
  });

  it('counts from the Shanghai date of the registration, which changes at Shanghai midnight', () => {
    // 2026-11-27T16:30Z is already 28 November in Shanghai.
    const justAfterMidnight = Date.parse('2026-11-27T16:30:00Z');
    expect(withinRepeatWindow(at('2025-11-28'), justAfterMidnight, 12)).toBe(true);
    // Half an hour earlier it is still 27 November there: 28 November 2025 is inside, 27th not.
    const justBefore = Date.parse('2026-11-27T15:30:00Z');
    expect(repeatWindowStart(justBefore, 12)).toBe(at('2025-11-27'));
    expect(withinRepeatWindow(at('2025-11-27') - 1, justBefore, 12)).toBe(false);
    expect(withinRepeatWindow(at('2025-11-27'), justBefore, 12)).toBe(true);
  });

  it('clamps at month ends: registered 31 March, one month back starts on the last day of February', () => {
    expect(withinRepeatWindow(at('2026-02-28'), at('2026-03-31', 9), 1)).toBe(true);
    expect(withinRepeatWindow(at('2026-02-27', 23, 59), at('2026-03-31', 9), 1)).toBe(false);
    expect(withinRepeatWindow(at('2024-02-29'), at('2024-03-31', 9), 1)).toBe(true);
    expect(withinRepeatWindow(at('2024-02-28', 23, 59), at('2024-03-31', 9), 1)).toBe(false);
  });

  it('never counts a closure after the registration', () => {
    expect(withinRepeatWindow(registered + 1, registered, 12)).toBe(false);
    expect(withinRepeatWindow(registered, registered, 12)).toBe(true);
  });
});

describe('repeatOf', () => {
  const registered = at('2026-11-28', 10);

  it('picks the most recently closed hazard within the window', () => {
    const closed = [
      { id: 'a', closedAt: at('2026-01-05', 9) },
      { id: 'b', closedAt: at('2026-06-01', 9) },
      { id: 'c', closedAt: at('2025-10-01', 9) },
    ];
    expect(repeatOf(closed, registered, 12)).toEqual(closed[1]);
    expect(repeatOf(closed, registered, 3)).toBeNull();
    expect(repeatOf([], registered, 12)).toBeNull();
  });

  it('breaks a tie of closure instants by id, whatever the order given', () => {
    const t = at('2026-06-01', 9);
    expect(repeatOf([{ id: 'x', closedAt: t }, { id: 'y', closedAt: t }], registered, 12)?.id).toBe('y');
    expect(repeatOf([{ id: 'y', closedAt: t }, { id: 'x', closedAt: t }], registered, 12)?.id).toBe('y');
  });
});
