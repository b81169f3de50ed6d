/** Liveness beats: a short activity beats while it runs; one that carries progress in its own beats is left alone. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { activityLivenessInterceptor } from '../../temporal/activity-liveness';

async function beatsWhileRunning(heartbeatTimeoutMs: number | undefined, runMs: number): Promise<unknown[]> {
  const env = new MockActivityEnvironment(heartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs }, { interceptors: [activityLivenessInterceptor] });
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  await env.run(async () => {
    await new Promise((r) => setTimeout(r, runMs));
    return 'done';
  });
  const after = beats.length;
  await new Promise((r) => setTimeout(r, 600));
  // None once the activity has finished.
  expect(beats).toHaveLength(after);
  return beats;
}

describe('liveness beats', () => {
  it('beat for an activity with a short heartbeat timeout while it runs, and stop when it ends', async () => {
    const beats = await beatsWhileRunning(800, 1_100);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.every((d) => d === undefined)).toBe(true);
  });

  it('send none for an activity that ends within the first interval', async () => {
    expect(await beatsWhileRunning(5_000, 50)).toEqual([]);
  });

  it('leave alone an activity without a heartbeat timeout, or with a long one that carries its progress', async () => {
    expect(await beatsWhileRunning(undefined, 1_300)).toEqual([]);
    expect(await beatsWhileRunning(30_000, 1_300)).toEqual([]);
  });
});
