import { describe, expect, it } from 'vitest';
import { FigureCache } from '../../db/figures/answer-cache';

describe('the cache of figure answers', () => {
  it('computes once for callers asking at the same time', async () => {
    const cache = new FigureCache();
    let computed = 0;
    let release!: (v: number) => void;
    const compute = () => {
      computed++;
      return new Promise<number>((r) => (release = r));
    };
    const answers = Promise.all([cache.remember('k', compute), cache.remember('k', compute), cache.remember('k', compute)]);
    release(7);
    expect(await answers).toEqual([7, 7, 7]);
    expect(computed).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
  });

  it('does not keep a computation that failed', async () => {
    const cache = new FigureCache();
    await expect(cache.remember('k', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await cache.remember('k', async () => 1)).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('lets the least recently used go first when full', async () => {
    const cache = new FigureCache({ maxEntries: 2 });
    await cache.remember('a', async () => 1);
    await cache.remember('b', async () => 2);
    await cache.remember('a', async () => -1);
    await cache.remember('c', async () => 3);
    expect(await cache.remember('a', async () => -1)).toBe(1);
    expect(await cache.remember('b', async () => 20)).toBe(20);
    expect(cache.size).toBe(2);
  });

  it('computes again once an answer is older than its time to live', async () => {
    let now = 0;
    const cache = new FigureCache({ ttlMs: 1_000, clock: () => now });
    await cache.remember('k', async () => 1);
    now = 999;
    expect(await cache.remember('k', async () => 2)).toBe(1);
    now = 1_000;
    expect(await cache.remember('k', async () => 3)).toBe(3);
  });

  it('keeps answers within a size: large ones push the least recently used out, one larger than all is not kept', async () => {
    const cache = new FigureCache({ maxBytes: 1_000 });
    const text = (n: number) => 'x'.repeat(n);
    await cache.remember('a', async () => text(400));
    await cache.remember('b', async () => text(400));
    expect(cache.keptBytes).toBe(2 * 402);
    await cache.remember('c', async () => text(400));
    expect([cache.size, cache.keptBytes]).toEqual([2, 2 * 402]);
    expect(await cache.remember('a', async () => 'computed again')).toBe('computed again');
    await cache.remember('huge', async () => text(2_000));
    expect(await cache.remember('huge', async () => 'not kept')).toBe('not kept');
    expect(cache.keptBytes).toBeLessThanOrEqual(1_000);
  });
});
