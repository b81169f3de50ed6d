/** How a benchmark's measurements spread: their count, extremes and percentiles. */

export interface Spread {
  count: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles by nearest rank: the smallest value with at least p of the values at or below it. None: NaN. */
export function spread(values: number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return { count: 0, min: NaN, median: NaN, p95: NaN, p99: NaN, max: NaN };
  const rank = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]!;
  return { count: v.length, min: v[0]!, median: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: v[v.length - 1]! };
}
