/** The timer benchmark's measurement, tiny: every reminder of the burst fires and is timed, beside the cron sweeper's. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { writeResult } from '../../bench/bench-servers';
import { listenerPid, rssOf } from '../../bench/proc';
import { spread } from '../../bench/spread';
import { measureTimers } from '../../bench/timers-measure';
import { formatTimers } from '../../bench/timers-report';
import { firstStep, officeHourBurst } from '../../bench/timers-window';
import { shanghaiDate } from '../../domain/shanghai-time';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise } from '../support/fixtures';
import { devServerEnv } from '../support/workflow-env';

let database: TestDatabase;
let dev: TestWorkflowEnvironment;
let dir: string;
beforeAll(async () => {
  [database, dev, dir] = await Promise.all([createTestDatabase(), devServerEnv(), mkdtemp(join(tmpdir(), 'timers-smoke-'))]);
});
afterAll(async () => {
  await dev?.teardown();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('times a burst of reminders with hazards open, beside a cron sweep of the same due instants', async () => {
  const bundle = await bundleWorkflowCode({ workflowsPath: new URL('../../bench/timers.workflows.ts', import.meta.url).pathname, logger: new DefaultLogger('WARN') });
  const workflowBundlePath = join(dir, 'timers-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);
  const serverPid = await listenerPid(Number(inject('temporalAddress').split(':').pop()));
  const r = await measureTimers({
    client: dev.client,
    connection: dev.nativeConnection,
    namespace: dev.namespace ?? 'default',
    db: database.db,
    sweeperDb: database.db,
    enterpriseId: await insertEnterprise(database.db),
    workflowBundlePath,
    slots: { activities: 3, workflowTasks: 6 },
    open: 20,
    burst: 10,
    rate: 20,
    concurrency: 5,
    leadMs: 5_000,
    periodMs: 10_000,
    spreadMs: 5_000,
    kind: 'probe',
    timeoutMs: 60_000,
    sampleMs: 500,
    serverRss: serverPid === null ? undefined : () => rssOf(serverPid),
  });
  // Every reminder fired, no later than its due instant plus a generous bound, never before it.
  expect(r.missing).toBe(0);
  expect(r.burstStart.startedAfterDue).toBe(0);
  for (const s of [r.fired, r.written, r.sweeper]) {
    expect(s.count).toBe(10);
    for (const v of [s.min, s.median, s.p95, s.p99, s.max]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.p99);
    expect(s.p99).toBeLessThanOrEqual(s.max);
  }
  // A row is written after the workflow took the step; the sweeper, due rows spread over 5 s of a
  // 10 s period, finds each within the period (plus the sweep itself).
  expect(r.written.median).toBeGreaterThanOrEqual(r.fired.median);
  expect(r.sweeper.max).toBeLessThan(10_000 + r.sweeper.sweepMs.max + 1_000);
  expect(r.sweeper.sweeps).toBeGreaterThanOrEqual(1);
  expect(r.strays.count).toBe(0);
  // Each reminder by its due instant: within the 5 s the burst was spread over, lateness as summarised.
  expect(r.timeline).toHaveLength(10);
  for (const [due, fired, written] of r.timeline) {
    expect(due).toBeGreaterThanOrEqual(0);
    expect(due).toBeLessThan(5_000);
    expect(written).toBeGreaterThanOrEqual(fired);
  }
  expect(Math.max(...r.timeline.map((t) => t[1]))).toBe(r.fired.max);
  expect(r.openStart.perSecond).toBeGreaterThan(0);
  expect(r.rss.workerAtOpenMB).toBeGreaterThan(0);
  expect(r.rss.serverAtOpenMB).toBeGreaterThan(0);
  expect(r.rss.samples.some((s) => s.phase === 'fire')).toBe(true);
  expect(formatTimers(r)).toMatch(/median +\d+ +\d+ +[\d,]+/);
  const file = await writeResult('timers-smoke', r);
  expect(JSON.parse(await readFile(file, 'utf8')).fired.count).toBe(10);
}, 240_000);

it('finds the deadline whose reminder falls at the next 09:00 Shanghai, and ranks lateness by nearest rank', () => {
  for (const now of [Date.parse('2026-12-03T10:25:00Z'), Date.parse('2026-12-03T00:59:59Z'), Date.parse('2026-12-31T23:00:00Z')]) {
    const { dueAt, deadline } = officeHourBurst(now);
    expect(dueAt).toBeGreaterThanOrEqual(now);
    expect(dueAt - now).toBeLessThanOrEqual(86_400_000);
    expect(new Date(dueAt).toISOString().slice(11, 16)).toBe('01:00');
    const step = firstStep(deadline, now);
    expect(step).toMatchObject({ kind: 'reminder', at: dueAt, daysBefore: 1 });
    expect(shanghaiDate(dueAt) < deadline).toBe(true);
  }
  expect(spread([5, 1, 3, 2, 4])).toEqual({ count: 5, min: 1, median: 3, p95: 5, p99: 5, max: 5 });
  expect(spread(Array.from({ length: 100 }, (_, i) => i + 1))).toMatchObject({ median: 50, p95: 95, p99: 99, max: 100 });
});
