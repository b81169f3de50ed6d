/** How the benchmarks drive load: a pool of tasks, so many at once, at a steady rate when asked. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs `task(i)` for each i < n, at most `concurrency` at once and, given a `rate` (a second), the
 * i-th no earlier than i / rate seconds after the start. Answers the seconds it took and each
 * task's own milliseconds (in the order they ended).
 */
export async function runPool(n: number, concurrency: number, task: (i: number) => Promise<void>, rate?: number): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        if (rate !== undefined) await sleep(t0 + (i * 1000) / rate - performance.now());
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, latencies };
}
