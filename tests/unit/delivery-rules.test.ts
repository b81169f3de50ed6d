import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, digestDueAt, endOfQuiet, inQuietHours, MAX_ATTEMPTS, releaseOf, retryDelayMs, staleReason } from '../../domain/delivery-rules';
import { shanghaiInstant } from '../../domain/shanghai-time';

const at = (day: string, hour: number, minute = 0) => shanghaiInstant(day, hour, minute);
const quiet = { quietFrom: 22 * 60, quietUntil: 7 * 60 };

describe('delivery rules', () => {
  it('keeps quiet hours across midnight, Shanghai time', () => {
    expect(inQuietHours(at('2026-03-02', 21, 59), quiet)).toBe(false);
    expect(inQuietHours(at('2026-03-02', 22, 0), quiet)).toBe(true);
    expect(inQuietHours(at('2026-03-03', 6, 59), quiet)).toBe(true);
    expect(inQuietHours(at('2026-03-03', 7, 0), quiet)).toBe(false);
    expect(inQuietHours(at('2026-03-02', 12, 30), { quietFrom: 12 * 60, quietUntil: 13 * 60 })).toBe(true);
    expect(inQuietHours(at('2026-03-02', 23), { quietFrom: null, quietUntil: null })).toBe(false);
  });

  it('moves a moment in quiet hours to their end, the same night or the next morning', () => {
    expect(endOfQuiet(at('2026-03-02', 23), quiet)).toBe(at('2026-03-03', 7));
    expect(endOfQuiet(at('2026-03-03', 2), quiet)).toBe(at('2026-03-03', 7));
    expect(endOfQuiet(at('2026-03-03', 9), quiet)).toBe(at('2026-03-03', 9));
  });

  it('holds a reminder at night and lets a leader’s escalation through; a digest takes what is not urgent', () => {
    expect(releaseOf(at('2026-03-02', 23), 'reminder', 'enterprise', DEFAULT_PREFERENCES)).toEqual({ notBefore: at('2026-03-03', 7), digestDate: null });
    expect(releaseOf(at('2026-03-02', 23), 'escalation', 'leader', DEFAULT_PREFERENCES)).toEqual({ notBefore: at('2026-03-02', 23), digestDate: null });
    expect(releaseOf(at('2026-03-02', 23), 'escalation', 'supervisor', DEFAULT_PREFERENCES).notBefore).toBe(at('2026-03-03', 7));
    const digest = { ...DEFAULT_PREFERENCES, digest: true };
    expect(releaseOf(at('2026-03-02', 9), 'reminder', 'enterprise', digest).digestDate).toBe('2026-03-02');
    expect(releaseOf(at('2026-03-02', 18, 1), 'reminder', 'enterprise', digest).digestDate).toBe('2026-03-03');
    expect(releaseOf(at('2026-03-02', 9), 'escalation', 'leader', digest).digestDate).toBeNull();
    expect(digestDueAt('2026-03-02')).toBe(at('2026-03-02', 18));
  });

  it('sends nothing after closure and no reminder once answered', () => {
    expect(staleReason('reminder', { type: 'hazard', status: 'rectifying' })).toBeNull();
    expect(staleReason('reminder', { type: 'hazard', status: 'under_review' })).toBe('subject_under_review');
    expect(staleReason('escalation', { type: 'hazard', status: 'under_review' })).toBeNull();
    expect(staleReason('escalation', { type: 'hazard', status: 'closed' })).toBe('subject_closed');
    expect(staleReason('reminder', { type: 'notice', status: 'closed' })).toBe('subject_closed');
    expect(staleReason('reminder', { type: 'suspension', status: 'resumption_requested' })).toBe('subject_resumption_requested');
    expect(staleReason('digest', { type: 'digest', status: null })).toBeNull();
  });

  it('waits longer after each failed try, at most an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
    expect(MAX_ATTEMPTS).toBeGreaterThan(2);
  });
});
