/**
 * The API and the worker as processes that die or are stopped under load:
 * - the API killed (SIGKILL) in the middle of commands carrying an Idempotency-Key; the client
 *   retries with the same key against the restarted API: each command takes effect once;
 * - SIGTERM to the API and to the worker while requests run: no 5xx, nothing lost, each process
 *   exits within its drain time (a replacement takes the traffic, as in a rolling restart);
 * - what operators read: liveness and readiness, the API's and the worker's /metrics.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { freePort } from '../../scripts/toolchain/ports';
import { caller, logIn, startPrivateServers, until, type Answer, type PrivateServers, type Process } from '../support/private-servers';
import { persist, seeded, type DriverStats } from './lifecycle-driver';
import { checkRecords, duplicatesOf, gapsOf, printFigures } from './records-check';

const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1e9));
/** api/server.ts: the longest request deadline (defaults 30 s and 120 s for uploads) and 2 s. */
const API_DRAIN_MS = 122_000;
/** temporal/create-worker.ts: shutdownGraceTime. */
const WORKER_DRAIN_MS = 20_000;

let servers: PrivateServers;
const processes: Process[] = [];
let supervisor = '';
let base = '';
const call = caller(() => base);

const hazardBody = (title: string) => ({
  enterpriseId: servers.world.enterpriseA,
  title,
  category: '电气安全',
  source: 'inspection',
  grade: 'general',
  deadline: addDays(shanghaiDate(Date.now()), 15),
});
const hazardsTitled = async (title: string) =>
  (await servers.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from hazards where title = ${title}`)).rows[0]!.n;

beforeAll(async () => {
  servers = await startPrivateServers('faults-proc');
  processes.push(servers.startWorker());
  const api = await servers.startApi();
  processes.push(api.process);
  base = api.base;
  supervisor = await logIn(call, 'supervisor-a');
}, 180_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await servers?.close();
}, 90_000);

describe('the API killed in the middle of a command', () => {
  it('takes effect once when the client retries with the same Idempotency-Key after the restart', async () => {
    const random = seeded(SEED);
    const stats: DriverStats = { commands: 0, retries: 0, refused: [] };
    const rounds = 4;
    const titles: string[] = [];
    const answers: Answer[] = [];
    for (let round = 0; round < rounds; round++) {
      // Commands in flight: registrations (each starts a workflow and waits for its record).
      const batch = Array.from({ length: 5 }, (_, i) => ({ key: randomUUID(), title: `断电期间登记 ${round}-${i}` }));
      titles.push(...batch.map((b) => b.title));
      const victim = processes.find((p) => p.child.spawnargs.includes('api/server.ts') && !p.exited())!;
      const sent = batch.map((b) => call('POST', '/api/hazards', supervisor, hazardBody(b.title), { 'idempotency-key': b.key }).catch(() => undefined));
      // Killed a few to a few hundred milliseconds in: some commands not yet at Temporal, some started and unanswered.
      await new Promise((r) => setTimeout(r, 5 + random() * 400));
      await victim.kill();
      await Promise.all(sent);
      const api = await servers.startApi();
      processes.push(api.process);
      base = api.base;
      for (const b of batch) {
        const res = await persist(stats, () => call('POST', '/api/hazards', supervisor, hazardBody(b.title), { 'idempotency-key': b.key }));
        answers.push(res);
        if (res.status !== 201) stats.refused.push(`${b.title}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    const counts = await Promise.all(titles.map(hazardsTitled));
    const lost = counts.filter((n) => n === 0).length;
    const duplicated = counts.filter((n) => n > 1).length;
    const check = await checkRecords(servers.owner.db);
    printFigures('api-kill', { lifecycles: titles.length, faults: rounds, closed: 0, lost, duplicated, stuck: stats.refused.length, retries: stats.retries, seed: SEED }, check);
    expect(stats.refused, stats.refused.join('\n')).toEqual([]);
    expect({ lost, duplicated, records: duplicatesOf(check), gaps: gapsOf(check) }).toEqual({ lost: 0, duplicated: 0, records: 0, gaps: 0 });
    expect(check.auditOk, check.auditBreak ?? '').toBe(true);
  }, 240_000);
});

describe('graceful shutdown under load', () => {
  /** Clients registering hazards until told to stop, failing over to whichever API answers. */
  function load(bases: () => string[], clients: number) {
    const stats = { sent: 0, fiveXx: [] as string[], answered: 0, titles: [] as string[], stop: false };
    const one = async (c: number) => {
      for (let i = 0; !stats.stop; i++) {
        const title = `负载登记 ${c}-${i}-${randomUUID().slice(0, 8)}`;
        const key = randomUUID();
        stats.titles.push(title);
        stats.sent++;
        for (let attempt = 0; ; attempt++) {
          const target = bases()[attempt % bases().length]!;
          const res = await caller(() => target)('POST', '/api/hazards', supervisor, hazardBody(title), { 'idempotency-key': key }).catch(() => undefined);
          if (res && res.status >= 500) stats.fiveXx.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          if (res && res.status < 500 && !(res.status === 409 && res.body?.code === 'in-progress')) {
            stats.answered++;
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const running = Promise.all(Array.from({ length: clients }, (_, c) => one(c)));
    return { stats, stopped: async () => ((stats.stop = true), await running) };
  }

  it('SIGTERM to the API: requests in flight finish, no 5xx, nothing lost, exits within its drain time', async () => {
    const first = processes.find((p) => p.child.spawnargs.includes('api/server.ts') && !p.exited())!;
    const second = await servers.startApi();
    processes.push(second.process);
    let bases = [base, second.base];
    const running = load(() => bases, 6);
    await new Promise((r) => setTimeout(r, 3_000));
    const termAt = Date.now();
    first.child.kill('SIGTERM');
    bases = [second.base];
    await first.closed;
    const exitMs = Date.now() - termAt;
    await new Promise((r) => setTimeout(r, 2_000));
    await running.stopped();
    base = second.base;
    const counts = await Promise.all(running.stats.titles.map(hazardsTitled));
    const lost = counts.filter((n) => n === 0).length;
    const duplicated = counts.filter((n) => n > 1).length;
    printFigures('api-sigterm', { lifecycles: running.stats.sent, faults: 1, closed: 0, lost, duplicated, stuck: 0, fiveXx: running.stats.fiveXx.length, exitMs });
    expect(first.exited()).toBe('exited with 0');
    expect(exitMs).toBeLessThan(API_DRAIN_MS);
    expect(running.stats.fiveXx, running.stats.fiveXx.join('\n')).toEqual([]);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(running.stats.sent).toBeGreaterThan(6);
  }, 180_000);

  it('SIGTERM to the worker: its tasks drain, the replacement carries on, no 5xx, nothing lost, exits within its drain time', async () => {
    const old = processes.find((p) => p.child.spawnargs.includes('worker.ts') && !p.exited())!;
    const running = load(() => [base], 6);
    await new Promise((r) => setTimeout(r, 3_000));
    // A rolling restart: the replacement polls before the old one is told to stop.
    const replacement = servers.startWorker({ LOG_LEVEL: 'info' });
    processes.push(replacement);
    await until('the replacement worker polls', async () => (/worker started/.test(replacement.output()) ? true : undefined), 60_000);
    const termAt = Date.now();
    old.child.kill('SIGTERM');
    await old.closed;
    const exitMs = Date.now() - termAt;
    await new Promise((r) => setTimeout(r, 3_000));
    await running.stopped();
    const counts = await Promise.all(running.stats.titles.map(hazardsTitled));
    const lost = counts.filter((n) => n === 0).length;
    const duplicated = counts.filter((n) => n > 1).length;
    const check = await checkRecords(servers.owner.db);
    printFigures('worker-sigterm', { lifecycles: running.stats.sent, faults: 1, closed: 0, lost, duplicated, stuck: 0, fiveXx: running.stats.fiveXx.length, exitMs }, check);
    expect(old.exited()).toBe('exited with 0');
    expect(exitMs).toBeLessThan(WORKER_DRAIN_MS + 10_000);
    expect(running.stats.fiveXx, running.stats.fiveXx.join('\n')).toEqual([]);
    expect({ lost, duplicated, records: duplicatesOf(check), gaps: gapsOf(check) }).toEqual({ lost: 0, duplicated: 0, records: 0, gaps: 0 });
    expect(check.auditOk, check.auditBreak ?? '').toBe(true);
  }, 180_000);
});

describe('operations', () => {
  it('answers liveness and readiness, and serves the API’s and the worker’s metrics on their ops ports', async () => {
    const [apiMetricsPort, workerMetricsPort] = await Promise.all([freePort(), freePort()]);
    const worker = servers.startWorker({ WORKER_METRICS_PORT: String(workerMetricsPort) });
    processes.push(worker);
    const api = await servers.startApi({ METRICS_PORT: String(apiMetricsPort) });
    processes.push(api.process);
    base = api.base;
    expect((await call('GET', '/api/health/live')).body).toMatchObject({ status: 'ok' });
    const ready = await call('GET', '/api/health/ready');
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', down: [], checks: { postgres: 'ok', temporal: 'ok' } });
    const created = await persist({ commands: 0, retries: 0, refused: [] }, () => call('POST', '/api/hazards', supervisor, hazardBody('指标登记'), { 'idempotency-key': randomUUID() }));
    expect(created.status).toBe(201);
    expect((await call('GET', `/api/hazards/${created.body.id}`, supervisor)).status).toBe(200);
    expect((await call('GET', `/api/hazards/${randomUUID()}`, supervisor)).status).toBe(404);

    const scrape = async (port: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const apiText = await scrape(apiMetricsPort);
    // By route pattern, never the raw path.
    expect(apiText).toMatch(/duban_http_requests_total\{method="POST",route="\/api\/hazards",status="201",process="api"\} 1/);
    expect(apiText).toMatch(/duban_http_requests_total\{method="GET",route="\/api\/hazards\/:id",status="200",process="api"\} 1/);
    expect(apiText).toMatch(/duban_http_requests_total\{method="GET",route="\/api\/hazards\/:id",status="404",process="api"\} 1/);
    expect(apiText).not.toContain(created.body.id);
    expect(apiText).toMatch(/duban_cases\{kind="hazard",status="rectifying",process="api"\} [1-9]/);
    expect(apiText).toMatch(/duban_hazards_overdue\{grade="general",process="api"\} \d+/);
    expect(apiText).toMatch(/duban_hazards_overdue\{grade="major",process="api"\} 0/);
    expect(apiText).toMatch(/duban_read_model_up\{process="api"\} 1/);
    expect(apiText).toMatch(/duban_notification_deliveries/);
    expect(apiText).toMatch(/nodejs_eventloop_lag_seconds/);
    expect((await fetch(`http://127.0.0.1:${apiMetricsPort}/api/hazards`)).status).toBe(404);

    // The worker's exporter (the Temporal SDK's): its slots, polls and activity outcomes by type.
    let last = '';
    const workerText = await until('the worker exports its metrics', async () => {
      last = await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`).then((r) => r.text(), (e: Error) => `unreachable: ${e.message}; worker: ${worker.output()}`);
      return /temporal_worker_task_slots_available/.test(last) ? last : undefined;
    }, 30_000, 1_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${last.slice(0, 3000)}`);
    });
    expect(workerText).toMatch(/temporal_worker_task_slots_available/);
    expect(workerText).toMatch(/task_queue="faults-proc-/);
  }, 120_000);
});
