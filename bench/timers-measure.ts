/**
 * The timer benchmark's measurement, apart from the servers so a smoke test can run it small.
 * N hazard workflows are started through the gateway at a steady rate and left waiting on timers
 * far ahead; then B more whose reminder is due within one sweep period a little later. Lateness
 * is when each reminder was recorded minus when it was due. Beside them, in the same run and the
 * same Postgres, a cron sweeper: the same B due instants as rows of a table and one UPDATE each
 * period marking those due, as the systems duban replaces do it; its lateness is the sweep's time
 * minus the due time. The worker's and the Temporal server's RSS are sampled throughout.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { HazardRegistration } from '../activities/hazard-records';
import type { Database } from '../db/client';
import { calendarYearsAmong } from '../db/calendar';
import { DEFAULT_POLICIES } from '../domain/policy';
import { addDays, dueInstant, shanghaiDate } from '../domain/shanghai-time';
import { yearsFrom } from '../domain/work-calendar';
import { SAMPLE_REGISTRATION } from '../scripts/sample-hazard';
import { CASE_START_OPTIONS } from '../temporal/case-starts';
import { createDubanWorker } from '../temporal/create-worker';
import { HazardGateway } from '../temporal/hazard-gateway';
import { hazardWorkflowId, registeredUpdate } from '../workflows/hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from '../workflows/search-attributes';
import { runPool } from './pool';
import { spread, type Spread } from './spread';
import type { TimerProbeInput, timerProbeWorkflow } from './timer-probe.workflow';
import { countReminders, recordedReminders, strays } from './timers-records';
import { startSweeper, type Sweeper } from './timers-sweeper';
import { burstWindow, type BurstKind } from './timers-window';

const REGISTRATION: HazardRegistration = { ...SAMPLE_REGISTRATION, title: '基准：等待提醒的隐患', location: '', requiredMeasures: '', createdBy: 'bench' };

export interface TimersOptions {
  client: Client;
  connection: NativeConnection;
  namespace: string;
  /** The worker's activities, and the bench's reads. */
  db: Database;
  /** The cron sweeper's own connection, as a sweeper process would have. */
  sweeperDb: Database;
  enterpriseId: string;
  /** A bundle of bench/timers.workflows.ts (duban's workflows and the probe). */
  workflowBundlePath: string;
  slots: { activities: number; workflowTasks: number };
  maxCachedWorkflows?: number;
  open: number;
  burst: number;
  /** Starts a second, both phases. */
  rate: number;
  /** Starts in flight at once, at most. */
  concurrency: number;
  /** At least this long from the last burst start to the due window. */
  leadMs: number;
  /** The sweeper's period; the due window starts on a multiple of it (cron: a minute). */
  periodMs: number;
  /** The burst's due instants are spread evenly over this much of the window (probe only). */
  spreadMs: number;
  kind: BurstKind;
  /** Given up this long after the window's last due instant. */
  timeoutMs: number;
  sampleMs: number;
  /** The Temporal server's RSS in bytes, when it can be read. */
  serverRss?: () => Promise<number | null>;
  log?: (msg: string) => void;
}

export interface RssSample {
  atSeconds: number;
  phase: 'start-open' | 'start-burst' | 'wait' | 'fire';
  open: number;
  workerRssMB: number;
  serverRssMB: number | null;
}

export interface TimersResult {
  kind: BurstKind;
  open: number;
  burst: number;
  rate: number;
  openStart: { seconds: number; perSecond: number };
  burstStart: { seconds: number; perSecond: number; startedAfterDue: number };
  window: { start: string; spreadMs: number; periodMs: number };
  /** Reminders recorded: the workflow's clock when it recorded it (occurred_at) minus the due instant, ms. */
  fired: Spread;
  /** The same, to when the activity's row was written (recorded_at). */
  written: Spread;
  /** The cron sweeper: sweep time minus due instant, ms. */
  sweeper: Spread & { sweeps: number; sweepMs: Spread };
  /** Steps of the N open hazards recorded during the run (none is due): their count and lateness where they carry their due instant. */
  strays: { count: number; lateness: Spread | null };
  missing: number;
  /** Each reminder recorded: [due instant − window start, lateness fired, lateness written], ms, by due instant. */
  timeline: Array<[number, number, number]>;
  rss: {
    /** When all N (and the burst) were open and waiting, before the window. */
    workerAtOpenMB: number;
    serverAtOpenMB: number | null;
    workerPeakMB: number;
    serverPeakMB: number | null;
    samples: RssSample[];
  };
  cachedWorkflows: number;
  load: { before: number[]; atOpen: number[]; after: number[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const mb = (bytes: number) => Math.round(bytes / 1048576);

export async function measureTimers(o: TimersOptions): Promise<TimersResult> {
  const log = o.log ?? (() => undefined);
  const run = randomUUID().slice(0, 8);
  const taskQueue = `bench-timers-${run}`;
  const worker = await createDubanWorker({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue,
    db: o.db,
    workflowBundlePath: o.workflowBundlePath,
    slots: o.slots,
    overrides: o.maxCachedWorkflows ? { maxCachedWorkflows: o.maxCachedWorkflows } : {},
  });
  const running = worker.run();
  const loadBefore = loadavg();
  const t0 = performance.now();
  let phase: RssSample['phase'] = 'start-open';
  let openCount = 0;
  const samples: RssSample[] = [];
  const sample = async () => {
    const server = o.serverRss ? await o.serverRss().catch(() => null) : null;
    samples.push({ atSeconds: Math.round((performance.now() - t0) / 100) / 10, phase, open: openCount, workerRssMB: mb(process.memoryUsage().rss), serverRssMB: server === null ? null : mb(server) });
  };
  await sample();
  const sampler = setInterval(() => void sample(), o.sampleMs);
  let sweeper: Sweeper | undefined;
  try {
    const gateway = new HazardGateway(o.client, taskQueue);
    const today = shanghaiDate(Date.now());
    const calendar = await calendarYearsAmong(o.db, yearsFrom(today));
    // Far ahead: the first reminder of these is 87 days away.
    const openDeadline = addDays(today, 90);
    const openIds: string[] = [];
    const { seconds: openSeconds } = await runPool(o.open, o.concurrency, async () => {
      const hazardId = randomUUID();
      openIds.push(hazardId);
      await gateway.start({ hazard: { hazardId, enterpriseId: o.enterpriseId, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: openDeadline, calendar }, registration: REGISTRATION });
      openCount++;
      if (openCount % Math.max(1000, Math.ceil(o.open / 10)) === 0) log(`${openCount.toLocaleString('en')} open hazards registered, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }, o.rate);
    const openRate = o.open ? o.open / openSeconds : o.rate;
    log(`${o.open.toLocaleString('en')} open hazards started and registered in ${openSeconds.toFixed(1)} s (${openRate.toFixed(1)}/s, asked ${o.rate}/s)`);

    // The window: far enough that the burst is started before it, at the rate the open ones reached.
    const burstRate = Math.min(o.rate, openRate);
    const notBefore = Date.now() + (o.burst / burstRate) * 1200 + o.leadMs;
    const { start: windowStart, deadline: burstDeadline, dues } = burstWindow({ kind: o.kind, burst: o.burst, notBefore, periodMs: o.periodMs, spreadMs: o.spreadMs, openDeadline });
    log(`burst of ${o.burst.toLocaleString('en')} ${o.kind === 'probe' ? 'probe hazards' : 'hazards'} due from ${new Date(windowStart).toISOString()}${o.kind === 'probe' ? ` over ${o.spreadMs / 1000} s` : ' (09:00 Shanghai)'}`);

    // The baseline's rows, then its cron: every period on the period's boundary, as `* * * * *` does.
    sweeper = await startSweeper(o.sweeperDb, run, dues, o.periodMs);

    phase = 'start-burst';
    const burstIds: string[] = [];
    let startedAfterDue = 0;
    const { seconds: burstSeconds } = await runPool(o.burst, o.concurrency, async (i) => {
      const hazardId = randomUUID();
      burstIds.push(hazardId);
      const hazard = { hazardId, enterpriseId: o.enterpriseId, grade: 'general' as const, policy: DEFAULT_POLICIES.general, deadline: burstDeadline, calendar };
      if (o.kind === 'office-hour') {
        await gateway.start({ hazard, registration: REGISTRATION });
      } else {
        const input: TimerProbeInput = { hazard, registration: REGISTRATION, dueAt: dues[i]! };
        const operation = new WithStartWorkflowOperation<typeof timerProbeWorkflow>('timerProbeWorkflow', {
          workflowId: hazardWorkflowId(hazardId),
          taskQueue,
          args: [input],
          ...CASE_START_OPTIONS,
          typedSearchAttributes: [
            { key: DubanStatus, value: 'rectifying' },
            { key: DubanDeadline, value: new Date(dueInstant(burstDeadline)) },
            { key: DubanEscalationLevel, value: 0 },
            { key: DubanEnterprise, value: o.enterpriseId },
          ],
        });
        await o.client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: operation });
      }
      if (Date.now() > dues[i]!) startedAfterDue++;
    }, o.rate);
    log(`burst started and registered in ${burstSeconds.toFixed(1)} s (${(o.burst / burstSeconds).toFixed(1)}/s)${startedAfterDue ? `; ${startedAfterDue} only after they were due` : ''}`);

    phase = 'wait';
    const loadAtOpen = loadavg();
    const openSamplesFrom = samples.length;
    if (windowStart - Date.now() > 60_000) log(`waiting ${Math.round((windowStart - Date.now()) / 1000)} s for the window`);
    await sleep(windowStart - Date.now() - 500);
    const atOpen = samples.slice(openSamplesFrom);
    phase = 'fire';

    // Every reminder of the burst recorded, or the time is up.
    const lastDue = Math.max(...dues);
    for (;;) {
      if ((await countReminders(o.db, burstIds)) >= o.burst || Date.now() > lastDue + o.timeoutMs) break;
      await sleep(1000);
    }
    const recorded = await recordedReminders(o.db, burstIds);
    // The sweeper's last due row is swept at the next boundary after it.
    const sweepDone = Math.ceil((lastDue + 1) / o.periodMs) * o.periodMs + 5_000;
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([sweeper.done, new Promise((r) => (giveUp = setTimeout(r, Math.max(0, sweepDone - Date.now()) + o.timeoutMs)))]);
    // A pending timer would keep the process alive after the run.
    clearTimeout(giveUp);
    sweeper.stop();
    const { sweeps } = await sweeper.done;
    const swept = await sweeper.lateness();

    // Steps of the open hazards: none is due for months, so any recorded is a stray.
    const stray = await strays(o.db, openIds);

    await sample();
    const cachedWorkflows = worker.getStatus().numCachedWorkflows;
    const serverPeaks = samples.map((s) => s.serverRssMB).filter((v): v is number => v !== null);
    const last = <T>(a: T[]) => a[a.length - 1];
    const openSample = last(atOpen) ?? last(samples)!;
    return {
      kind: o.kind,
      open: o.open,
      burst: o.burst,
      rate: o.rate,
      openStart: { seconds: openSeconds, perSecond: openRate },
      burstStart: { seconds: burstSeconds, perSecond: o.burst / burstSeconds, startedAfterDue },
      window: { start: new Date(windowStart).toISOString(), spreadMs: o.kind === 'probe' ? o.spreadMs : 0, periodMs: o.periodMs },
      fired: spread(recorded.map((r) => r.occurred - r.scheduled)),
      written: spread(recorded.map((r) => r.recorded - r.scheduled)),
      sweeper: { ...spread(swept), sweeps: sweeps.length, sweepMs: spread(sweeps) },
      strays: { count: stray.count, lateness: stray.lateness.length ? spread(stray.lateness) : null },
      missing: o.burst - recorded.length,
      timeline: recorded.map((r): [number, number, number] => [r.scheduled - windowStart, r.occurred - r.scheduled, r.recorded - r.scheduled]).sort((a, b) => a[0] - b[0]),
      rss: {
        workerAtOpenMB: openSample.workerRssMB,
        serverAtOpenMB: openSample.serverRssMB,
        workerPeakMB: Math.max(...samples.map((s) => s.workerRssMB)),
        serverPeakMB: serverPeaks.length ? Math.max(...serverPeaks) : null,
        samples,
      },
      cachedWorkflows,
      load: { before: loadBefore, atOpen: loadAtOpen, after: loadavg() },
    };
  } finally {
    sweeper?.stop();
    clearInterval(sampler);
    await sweeper?.done.catch(() => undefined);
    worker.shutdown();
    await running;
  }
}
