/** How the leaders' figures read on the pages (web/figure-format.js: pure, no DOM). */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const WEB = fileURLToPath(new URL('../../web', import.meta.url));
const f = await import(pathToFileURL(join(WEB, 'figure-format.js')).href);

describe('shares, rates and amounts', () => {
  it('reads a share as a percentage with at most one decimal, and nothing as a dash', () => {
    expect(f.percent(4 / 7)).toBe('57.1%');
    expect(f.percent(1)).toBe('100%');
    expect(f.percent(0)).toBe('0%');
    expect(f.percent(0.0004)).toBe('0%');
    expect(f.percent(null)).toBe('—');
    expect(f.percent(Number.NaN)).toBe('—');
    expect(f.amount(14)).toBe('14');
    expect(f.amount(7.5)).toBe('7.5');
    expect(f.amount(null)).toBe('—');
  });
});

describe('the change against the previous period', () => {
  it('says which way a figure went, and nothing when either side is unknown', () => {
    expect(f.change(7, 8)).toBe('down');
    expect(f.change(8, 7)).toBe('up');
    expect(f.change(0, 0)).toBe('same');
    expect(f.change(0.5, null)).toBeNull();
    expect(f.change(null, 3)).toBeNull();
  });

  it('calls a move good or bad by the direction that is good for the figure', () => {
    expect(f.tone('up', 'up')).toBe('good');
    expect(f.tone('up', 'down')).toBe('bad');
    expect(f.tone('down', 'down')).toBe('good');
    expect(f.tone('same', 'up')).toBe('neutral');
    expect(f.tone('up', null)).toBe('neutral');
    expect(f.tone(null, 'up')).toBe('neutral');
  });
});

describe('the freshness time', () => {
  it('is the Shanghai wall clock, with the date when it was not today', () => {
    const now = Date.parse('2026-03-05T10:00:00Z'); // 18:00 in Shanghai
    expect(f.freshness('2026-03-05T08:05:00Z', now)).toEqual({ time: '16:05', date: '2026-03-05', sameDay: true });
    // 23:30 UTC is the next morning in Shanghai.
    expect(f.freshness('2026-03-04T23:30:00Z', now)).toEqual({ time: '07:30', date: '2026-03-05', sameDay: true });
    expect(f.freshness('2026-03-04T15:59:00Z', now)).toEqual({ time: '23:59', date: '2026-03-04', sameDay: false });
    expect(f.freshness(null, now)).toBeNull();
    expect(f.freshness('not a time', now)).toBeNull();
  });
});

describe('the view in the URL', () => {
  it('keeps region, period and interval, dropping the defaults and anything unknown', () => {
    expect(f.dashboardView(new URLSearchParams('region=county-a&period=quarter'))).toEqual({ region: 'county-a', period: 'quarter', interval: 'month' });
    expect(f.dashboardView(new URLSearchParams('period=week'))).toEqual({ region: '', period: 'week', interval: 'week' });
    expect(f.dashboardView(new URLSearchParams('region=a/../b&period=decade&interval=day'))).toEqual({ region: '', period: 'month', interval: 'month' });
    expect(f.dashboardHash({ region: 'county-a', period: 'month', interval: 'month' })).toBe('#/dashboard?region=county-a');
    expect(f.dashboardHash({ region: '', period: 'week', interval: 'month' })).toBe('#/dashboard?period=week&interval=month');
    expect(f.dashboardHash({})).toBe('#/dashboard');
    expect(f.hazardsHash('region=k1&overdue=true')).toBe('#/hazards?region=k1&overdue=true');
    expect(f.hazardsHash('')).toBe('#/hazards');
  });

  it('walks from the person’s own node down to the node shown', () => {
    expect(f.trail('/city/county-a/town-1/grid-3/', 'county-a')).toEqual(['county-a', 'town-1', 'grid-3']);
    expect(f.trail('/city/', 'city')).toEqual(['city']);
    expect(f.trail('/city/county-b/', 'county-a')).toEqual(['county-b']);
  });
});

describe('bars and age buckets', () => {
  it('sizes a bar against the longest, never invisible when there is something', () => {
    expect(f.barPercent(5, 10)).toBe(50);
    expect(f.barPercent(10, 10)).toBe(100);
    expect(f.barPercent(1, 100_000)).toBe(1);
    expect(f.barPercent(0, 10)).toBe(0);
    expect(f.barPercent(3, 0)).toBe(0);
  });

  it('reads an age bucket key as its bounds in working days', () => {
    expect(f.ageBounds('4-7')).toEqual({ min: 4, max: 7 });
    expect(f.ageBounds('31+')).toEqual({ min: 31, max: null });
    expect(f.ageBounds('soon')).toBeNull();
  });
});
