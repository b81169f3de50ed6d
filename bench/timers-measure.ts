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
import { readFile, readdir, readlink } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { and, inArray, sql } from 'drizzle-orm';
import type { HazardRegistration } from '../activities/hazard-records';
import type { Database } from '../db/client';
import { calendarYearsAmong } from '../db/calendar';
import { hazardEvents } from '../db/schema';
import { DEFAULT_POLICIES } from '../domain/policy';
import { planRound } from '../domain/schedule';
import { addDays, dueInstant, shanghaiDate, shanghaiInstant, type IsoDate } from '../domain/shanghai-time';
import { yearsFrom } from '../domain/work-calendar';
import { CASE_START_OPTIONS } from '../temporal/case-starts';
import { createDubanWorker } from '../temporal/create-worker';
import { HazardGateway } from '../temporal/hazard-gateway';
import { hazardWorkflowId, registeredUpdate } from '../workflows/hazard.messages';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from '../workflows/search-attributes';
import type { TimerProbeInput, timerProbeWorkflow } from './timer-probe.workflow';

const REGISTRATION: HazardRegistration = {
  title: '基准：等待提醒的隐患',
  description: '',
  category: '消防安全',
  source: 'inspection',
  location: '',
  legalBasis: '',
  requiredMeasures: '',
  createdBy: 'bench',
};

/**
 * `probe`: the burst's reminders are due in a window a few minutes ahead (bench/timer-probe.workflow.ts:
 * the product's own timers fall only at 09:00 and midnight, Shanghai time). `office-hour`: the
 * burst is real hazards whose one-day reminder falls at the next 09:00 Shanghai (01:00 UTC), all
 * at the same instant; the run waits for it, up to a day.
 */
export type BurstKind = 'probe' | 'office-hour';

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

export interface Spread {
  count: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
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

export function spread(values: number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return { count: 0, min: NaN, median: NaN, p95: NaN, p99: NaN, max: NaN };
  // Nearest rank: the smallest value with at least p of the values at or below it.
  const rank = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]!;
  return { count: v.length, min: v[0]!, median: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: v[v.length - 1]! };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const mb = (bytes: number) => Math.round(bytes / 1048576);

/** Runs `fn(i)` for i < n at `rate` a second, at most `concurrency` at once; the seconds it took. */
export async function throttled(n: number, rate: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        await sleep(t0 + (i * 1000) / rate - performance.now());
        await fn(i);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * The next 09:00 Shanghai at or after `notBefore`, and the deadline whose one-day reminder falls
 * then under the general policy (its three-day reminder has passed, so it is left out).
 */
export function officeHourBurst(notBefore: number): { dueAt: number; deadline: IsoDate } {
  let day = shanghaiDate(notBefore);
  while (shanghaiInstant(day, 9) < notBefore) day = addDays(day, 1);
  return { dueAt: shanghaiInstant(day, 9), deadline: addDays(day, 1) };
}

/** The first step a hazard started at `now` with this deadline and the general policy waits for. */
export function firstStep(deadline: IsoDate, now: number) {
  return planRound(1, deadline, DEFAULT_POLICIES.general, now)[0]!;
}

const SWEEP_TABLE = sql.raw('bench_timer_sweep');

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
  let sweeper: Promise<{ sweeps: number[] }> | undefined;
  let stopSweeper = false;
  try {
    const gateway = new HazardGateway(o.client, taskQueue);
    const today = shanghaiDate(Date.now());
    const calendar = await calendarYearsAmong(o.db, yearsFrom(today));
    // Far ahead: the first reminder of these is 87 days away.
    const openDeadline = addDays(today, 90);
    const openIds: string[] = [];
    const openSeconds = await throttled(o.open, o.rate, o.concurrency, async () => {
      const hazardId = randomUUID();
      openIds.push(hazardId);
      await gateway.start({ hazard: { hazardId, enterpriseId: o.enterpriseId, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: openDeadline, calendar }, registration: REGISTRATION });
      openCount++;
      if (openCount % Math.max(1000, Math.ceil(o.open / 10)) === 0) log(`${openCount.toLocaleString('en')} open hazards registered, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    });
    const openRate = o.open ? o.open / openSeconds : o.rate;
    log(`${o.open.toLocaleString('en')} open hazards started and registered in ${openSeconds.toFixed(1)} s (${openRate.toFixed(1)}/s, asked ${o.rate}/s)`);

    // The window: far enough that the burst is started before it, at the rate the open ones reached.
    const burstRate = Math.min(o.rate, openRate);
    const notBefore = Date.now() + (o.burst / burstRate) * 1200 + o.leadMs;
    let windowStart: number;
    let burstDeadline: IsoDate;
    let dueOf: (i: number) => number;
    if (o.kind === 'office-hour') {
      const at = officeHourBurst(notBefore);
      windowStart = at.dueAt;
      burstDeadline = at.deadline;
      dueOf = () => at.dueAt;
    } else {
      windowStart = Math.ceil(notBefore / o.periodMs) * o.periodMs;
      burstDeadline = openDeadline;
      dueOf = (i) => windowStart + Math.floor((i * o.spreadMs) / o.burst);
    }
    const dues = Array.from({ length: o.burst }, (_, i) => dueOf(i));
    log(`burst of ${o.burst.toLocaleString('en')} ${o.kind === 'probe' ? 'probe hazards' : 'hazards'} due from ${new Date(windowStart).toISOString()}${o.kind === 'probe' ? ` over ${o.spreadMs / 1000} s` : ' (09:00 Shanghai)'}`);

    // The baseline's rows, then its cron: every period on the period's boundary, as `* * * * *` does.
    await o.sweeperDb.execute(sql`create table if not exists ${SWEEP_TABLE} (run text not null, item int not null, due_at timestamptz not null, swept_at timestamptz, primary key (run, item))`);
    await o.sweeperDb.execute(sql`create index if not exists bench_timer_sweep_due_idx on ${SWEEP_TABLE} (due_at) where swept_at is null`);
    await o.sweeperDb.execute(sql`insert into ${SWEEP_TABLE} (run, item, due_at) select ${run}, i - 1, to_timestamp(d / 1000.0) from unnest(${sql.raw(`array[${dues.join(',')}]::bigint[]`)}) with ordinality as t(d, i)`);
    sweeper = (async () => {
      const sweeps: number[] = [];
      let left = o.burst;
      while (left > 0 && !stopSweeper) {
        await sleep(Math.ceil((Date.now() + 1) / o.periodMs) * o.periodMs - Date.now());
        if (stopSweeper) break;
        const began = performance.now();
        const swept = await o.sweeperDb.execute(sql`update ${SWEEP_TABLE} set swept_at = clock_timestamp() where swept_at is null and due_at <= now() and run = ${run}`);
        sweeps.push(performance.now() - began);
        left -= swept.rowCount ?? 0;
      }
      return { sweeps };
    })();

    phase = 'start-burst';
    const burstIds: string[] = [];
    let startedAfterDue = 0;
    const burstSeconds = await throttled(o.burst, o.rate, o.concurrency, async (i) => {
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
    });
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
    const reminders = async () => {
      const rows: Array<{ scheduled: number; occurred: number; recorded: number }> = [];
      for (let i = 0; i < burstIds.length; i += 5_000) {
        const got = await o.db
          .select({ data: hazardEvents.data, occurred: hazardEvents.occurredAt, recorded: hazardEvents.recordedAt })
          .from(hazardEvents)
          .where(and(inArray(hazardEvents.hazardId, burstIds.slice(i, i + 5_000)), sql`${hazardEvents.type} = 'reminder_sent'`));
        for (const r of got) rows.push({ scheduled: Number((r.data as { scheduledAt: number }).scheduledAt), occurred: r.occurred.getTime(), recorded: r.recorded.getTime() });
      }
      return rows;
    };
    for (;;) {
      const [row] = (await o.db.execute(sql`select count(*)::int as n from hazard_events where type = 'reminder_sent' and hazard_id = any(${sql.raw(`array[${burstIds.map((id) => `'${id}'`).join(',') || "''"}]::uuid[]`)})`)).rows as Array<{ n: number }>;
      if ((row?.n ?? 0) >= o.burst || Date.now() > lastDue + o.timeoutMs) break;
      await sleep(1000);
    }
    const recorded = await reminders();
    // The sweeper's last due row is swept at the next boundary after it.
    const sweepDone = Math.ceil((lastDue + 1) / o.periodMs) * o.periodMs + 5_000;
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([sweeper, new Promise((r) => (giveUp = setTimeout(r, Math.max(0, sweepDone - Date.now()) + o.timeoutMs)))]);
    // A pending timer would keep the process alive after the run.
    clearTimeout(giveUp);
    stopSweeper = true;
    const { sweeps } = await sweeper;
    const swept = (await o.sweeperDb.execute(sql`select extract(epoch from swept_at - due_at) * 1000 as ms from ${SWEEP_TABLE} where run = ${run} and swept_at is not null`)).rows as Array<{ ms: string }>;

    // Steps of the open hazards: none is due for months, so any recorded is a stray.
    const strayRows: number[] = [];
    let strayCount = 0;
    for (let i = 0; i < openIds.length; i += 5_000) {
      const got = await o.db
        .select({ data: hazardEvents.data, occurred: hazardEvents.occurredAt })
        .from(hazardEvents)
        .where(and(inArray(hazardEvents.hazardId, openIds.slice(i, i + 5_000)), sql`${hazardEvents.type} in ('reminder_sent', 'became_overdue', 'escalated')`));
      strayCount += got.length;
      for (const r of got) {
        const at = (r.data as { scheduledAt?: number }).scheduledAt;
        if (typeof at === 'number') strayRows.push(r.occurred.getTime() - at);
      }
    }

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
      sweeper: { ...spread(swept.map((r) => Number(r.ms))), sweeps: sweeps.length, sweepMs: spread(sweeps) },
      strays: { count: strayCount, lateness: strayRows.length ? spread(strayRows) : null },
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
    stopSweeper = true;
    clearInterval(sampler);
    await sweeper?.catch(() => undefined);
    worker.shutdown();
    await running;
  }
}

const ms = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '—');

export function formatTimers(r: TimersResult): string {
  const row = (label: string, f: (s: Spread) => number) => `  ${label.padEnd(8)} ${ms(f(r.fired)).padStart(14)} ${ms(f(r.written)).padStart(14)} ${ms(f(r.sweeper)).padStart(14)}`;
  const lines = [
    `${r.open.toLocaleString('en')} open hazards started at ${r.openStart.perSecond.toFixed(1)}/s (asked ${r.rate}/s) in ${r.openStart.seconds.toFixed(1)} s; burst of ${r.burst.toLocaleString('en')} (${r.kind}) started at ${r.burstStart.perSecond.toFixed(1)}/s${r.burstStart.startedAfterDue ? `, ${r.burstStart.startedAfterDue} after their due instant` : ''}`,
    `due window from ${r.window.start}${r.window.spreadMs ? `, spread over ${r.window.spreadMs / 1000} s` : ', all at once'}; sweeper every ${r.window.periodMs / 1000} s`,
    `lateness, ms     timer: fired   timer: written   cron sweep`,
    row('count', (s) => s.count),
    row('median', (s) => s.median),
    row('p95', (s) => s.p95),
    row('p99', (s) => s.p99),
    row('max', (s) => s.max),
    `  sweeps: ${r.sweeper.sweeps}, each ${ms(r.sweeper.sweepMs.median)} ms median, ${ms(r.sweeper.sweepMs.max)} ms max; reminders missing: ${r.missing}; strays from the open hazards: ${r.strays.count}${r.strays.lateness ? ` (median ${ms(r.strays.lateness.median)} ms, max ${ms(r.strays.lateness.max)} ms late)` : ''}`,
    `RSS with ${(r.open + r.burst).toLocaleString('en')} open: worker ${r.rss.workerAtOpenMB} MB, Temporal server ${r.rss.serverAtOpenMB ?? '—'} MB; peaks ${r.rss.workerPeakMB} / ${r.rss.serverPeakMB ?? '—'} MB; worker's cached workflows at the end: ${r.cachedWorkflows}`,
    `load average before ${r.load.before.map((l) => l.toFixed(2)).join(' ')}, with all open ${r.load.atOpen.map((l) => l.toFixed(2)).join(' ')}, after ${r.load.after.map((l) => l.toFixed(2)).join(' ')}`,
  ];
  return lines.join('\n');
}

/** The process listening on this local TCP port (Linux /proc), or null. */
export async function listenerPid(port: number): Promise<number | null> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is f[1] (ip:port), st f[3] (0A: listening), inode f[9].
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A' && f[9]) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (!inodes.size) return null;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return Number(pid);
    }
  }
  return null;
}

/** A process's resident set in bytes, or null once it is gone. */
export async function rssOf(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : null;
}
