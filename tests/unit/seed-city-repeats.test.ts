/**
 * How often the city seed's hazards repeat (same enterprise and category, closed within the
 * policy's window): a small share, whether enterprises collect few hazards or many (the bench's
 * million on the default city is some 57 an enterprise), and the same for the same seed.
 * Without a database: the default policies and a calendar of weekends stand in for the rows.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../domain/policy-defaults';
import { WorkCalendar } from '../../domain/work-calendar';
import { planDirectory } from '../../scripts/seed-city-directory';
import { cityHazards, findingOf, RELAPSE, type Reference } from '../../scripts/seed-city-hazards';
import { Random } from '../../scripts/seed-city-random';

const AS_OF = Date.parse('2026-11-20T03:00:00Z');
const ref: Reference = {
  policy: (grade) => ({ id: grade === 'major' ? 2 : 1, policy: DEFAULT_POLICIES[grade] }),
  calendarFor: () => ({ years: [], calendar: new WorkCalendar([]) }),
};

function repeats(seed: number, hazards: number, enterprises: number) {
  const city = planDirectory(seed, { counties: 2, townships: 6, grids: 20, enterprises });
  const out: Array<{ category: string; repeat: boolean }> = [];
  for (const h of cityHazards(seed, hazards, city, AS_OF, ref)) out.push({ category: h.plan.category, repeat: h.plan.repeatOf !== null });
  return out;
}

const share = (hs: Array<{ repeat: boolean }>) => hs.filter((h) => h.repeat).length / hs.length;

describe('repeats in the city seed', () => {
  it('are some 5–15% of the hazards where enterprises collect many (60 each over the period, the busiest hundreds)', { timeout: 60_000 }, () => {
    const dense = repeats(5, 6_000, 100);
    expect(share(dense)).toBeGreaterThan(0.05);
    expect(share(dense)).toBeLessThan(0.15);
    // The categories are an industry's areas with an aspect of each, drawn widely.
    expect(new Set(dense.map((h) => h.category)).size).toBeGreaterThan(300);
    expect(dense.every((h) => /^[^/]+\/[^/]+$/.test(h.category))).toBe(true);
  });

  it('are the same for the same seed', { timeout: 60_000 }, () => {
    expect(repeats(2, 800, 40)).toEqual(repeats(2, 800, 40));
  });
});

describe('findingOf', () => {
  const categories = [['a', 4], ['b', 2], ['c', 1], ['d', 1]] as const;

  it('draws a category fixed lately only as a relapse, and one not fixed lately otherwise', () => {
    const fixed = new Set(['a', 'b']);
    const draws = Array.from({ length: 4_000 }, (_, i) => findingOf(new Random(1, `f-${i}`), categories, fixed));
    const relapses = draws.filter((c) => fixed.has(c)).length / draws.length;
    expect(relapses).toBeGreaterThan(RELAPSE * 0.8);
    expect(relapses).toBeLessThan(RELAPSE * 1.2);
  });

  it('draws by weight alone where nothing was fixed lately, and a repeat where everything was', () => {
    const draws = Array.from({ length: 4_000 }, (_, i) => findingOf(new Random(1, `g-${i}`), categories, new Set()));
    expect(draws.filter((c) => c === 'a').length / draws.length).toBeCloseTo(0.5, 1);
    const all = new Set(['a', 'b', 'c', 'd']);
    expect(all.has(findingOf(new Random(1, 'h'), categories, all))).toBe(true);
  });
});
