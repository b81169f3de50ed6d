/**
 * The city seed's randomness: a small seeded generator (sfc32) and ids derived from the seed, so
 * the same arguments give the same city, row for row, and a second run finds its own rows.
 */
import { createHash } from 'node:crypto';

/** 32-bit FNV-1a of a string: turns a seed and a name into a generator's starting state. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator for one named stream of one seed: streams are independent of each other. */
  constructor(seed: number, stream: string) {
    this.a = fnv1a(`${seed}:${stream}:a`);
    this.b = fnv1a(`${seed}:${stream}:b`);
    this.c = fnv1a(`${seed}:${stream}:c`);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One of `items` by weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** An index by weight, given the running totals of the weights (binary search: for long lists). */
  indexByTotals(totals: readonly number[]): number {
    const x = this.next() * totals[totals.length - 1]!;
    let lo = 0;
    let hi = totals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (totals[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** A UUID (version 8, name-based) for the `n`th row of a kind in the city of `seed`. */
export function seededUuid(seed: number, kind: string, n: number): string {
  const h = createHash('sha256').update(`duban.city-seed:${seed}:${kind}:${n}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Running totals of weights, for Random.indexByTotals. */
export function runningTotals(weights: Iterable<number>): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const w of weights) out.push((sum += w));
  return out;
}

/**
 * A UUID (version 7: time first) for the `n`th row of a kind made at `at` (ms): rows made in time
 * order get ids in that order, so each index on them grows at its right edge instead of at random
 * places — what keeps a load of millions of rows from slowing down as the indexes outgrow memory.
 */
export function seededTimeUuid(seed: number, kind: string, n: number, at: number): string {
  const h = seededUuid(seed, kind, n).replace(/-/g, '');
  const t = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
