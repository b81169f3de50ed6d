import { describe, expect, it } from 'vitest';
import { QUIET_SPREAD_MS, quietOffsetMs } from '../../domain/quiet-offset';

describe('quietOffsetMs', () => {
  it('gives each workflow id its own whole-second offset under five minutes, the same every time', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `hazard-${i.toString(16).padStart(8, '0')}-4a1b`);
    const offsets = ids.map(quietOffsetMs);
    expect(offsets.every((o) => o >= 0 && o < QUIET_SPREAD_MS && o % 1000 === 0)).toBe(true);
    expect(ids.map(quietOffsetMs)).toEqual(offsets);
    // Spread across the window, not bunched: most of the 300 seconds are used by 500 ids.
    expect(new Set(offsets).size).toBeGreaterThan(200);
  });
});
