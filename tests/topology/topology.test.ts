/**
 * The production topology run for real, without Docker: the Temporal server that runs clusters
 * (built from the Go module proxy, `npm run toolchain`) on Postgres as docker-compose.yml
 * configures it, two worker processes and two API processes. Hazards are registered and rectified
 * through both APIs in turn while overdue stock (escalations, notices with their ladders) runs on
 * the workers. Mid-run one worker and one API are killed with SIGKILL and, as a supervisor does
 * (compose's `restart: unless-stopped`, systemd's `Restart=`), each is started again at once: a new
 * process with the same configuration (the API on a new port, as a container may come back on a new
 * address). Until they are back the survivors carry the work alone. The restarted worker polls the
 * task queue and takes tasks: the workflows' histories name it (its identity, `pid@host`) on task
 * started events. Clients, as behind a load balancer, send to the APIs in rotation, leave out one
 * whose process is gone, retry a command the killed API had in hand under the same
 * Idempotency-Key, and send to the restarted API again once its /api/health/ready answers 200.
 * The last quarter of the hazards start only once both are back, so the restarted processes have
 * work to take however long their start takes on a busy machine. Every hazard and notice reaches
 * its end; nothing is lost or written twice.
 * TOPOLOGY_LIFECYCLES (hazards, default 40), TOPOLOGY_SEED.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { NoticeGateway } from '../../temporal/notice-gateway';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { noticeWorkflowId } from '../../workflows/notice.messages';
import { eachLimited, importOverdueStock, persist, rectify, seeded, type DriverStats } from '../faults/lifecycle-driver';
import { checkRecords, duplicatesOf, gapsOf, lostRecords, printFigures } from '../faults/records-check';
import { caller, logIn, startPrivateServers, until, type Call, type PrivateServers, type Process } from '../support/private-servers';

const LIFECYCLES = Math.max(8, Number(process.env.TOPOLOGY_LIFECYCLES ?? 40));
const SEED = Number(process.env.TOPOLOGY_SEED ?? Math.floor(Math.random() * 1e9));
/** Half the hazards are registered through the APIs, half come in as overdue stock. */
const REGISTERED = Math.ceil(LIFECYCLES / 2);
const IMPORTED = LIFECYCLES - REGISTERED;
const NOTICE_EVERY = 4;
const REJECT_EVERY = 4;
/** Hazards from this index on start their rectification only once the killed processes are back. */
const AFTER_RESTARTS = Math.floor(LIFECYCLES * 0.75);
const TIMEOUT_MS = 300_000 + LIFECYCLES * 4_000;

/** One API process, as the load balancer sees it. */
interface Api {
  name: string;
  process: Process;
  base: string;
  /** In the load balancer's rotation: once its /api/health/ready answered 200. */
  inRotation: boolean;
  /** Requests sent to it; those after both kills; answers to its JSON requests (any status). */
  sent: number;
  sentAfterKills: number;
  answered: number;
}

interface Worker {
  name: string;
  process: Process;
  /** How Temporal knows it: the SDK's `pid@host`, read from the task queue's pollers. */
  identity?: string;
}

describe('the production topology: Temporal server on Postgres, two workers, two APIs', () => {
  let servers: PrivateServers;
  /** Every worker and API process started, the killed and the restarted ones too. */
  const workers: Worker[] = [];
  const apis: Api[] = [];
  /** The load balancer's two places: the API process that serves each now. */
  const rotation: Api[] = [];
  let connection: Connection;

  const pollers = async () => {
    const { pollers } = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: servers.taskQueue }, taskQueueType: 1 });
    return (pollers ?? []).map((p) => p.identity ?? '');
  };
  /** Starts a worker and waits until it polls the task queue under its own identity. */
  const startWorker = async (name: string): Promise<Worker> => {
    const worker: Worker = { name, process: servers.startWorker() };
    workers.push(worker);
    worker.identity = await until(
      `${name} polling`,
      async () => {
        if (worker.process.exited()) throw new Error(`${name} ${worker.process.exited()}:\n${worker.process.output()}`);
        return (await pollers()).find((identity) => identity.startsWith(`${worker.process.child.pid}@`));
      },
      120_000,
      500,
    );
    return worker;
  };
  /** Starts an API and, like a load balancer's health check, takes it in once it is ready. */
  const startApi = async (name: string): Promise<Api> => {
    const { process, base } = await servers.startApi();
    const api: Api = { name, process, base, inRotation: false, sent: 0, sentAfterKills: 0, answered: 0 };
    apis.push(api);
    const ready = caller(() => base);
    await until(
      `${name} ready`,
      async () => {
        if (process.exited()) throw new Error(`${name} ${process.exited()}:\n${process.output()}`);
        return (await ready('GET', '/api/health/ready')).status === 200 ? true : undefined;
      },
      120_000,
      500,
    );
    api.inRotation = true;
    return api;
  };

  beforeAll(async () => {
    const started = Date.now();
    // The first run on a machine builds the server (minutes) unless `npm run toolchain` did.
    servers = await startPrivateServers('topology', { temporal: 'cluster', log: (m) => console.log(`[topology] ${m}`) });
    console.log(`[topology] Postgres and the Temporal server up in ${Math.round((Date.now() - started) / 1000)} s`);
    await servers.owner.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, servers.world.a.county.id));
    connection = await Connection.connect({ address: servers.temporal.address });
    // Both workers poll the production server and both APIs are ready before any work is sent.
    const [, , api1, api2] = await Promise.all([startWorker('worker-1'), startWorker('worker-2'), startApi('api-1'), startApi('api-2')]);
    rotation.push(api1, api2);
  }, 900_000);

  afterAll(async () => {
    await connection?.close();
    await Promise.all([...apis.map((a) => a.process.stop()), ...workers.map((w) => w.process.stop())]);
    await servers?.close();
  }, 120_000);

  it('brings every hazard and notice to its end after a worker and an API are killed and restarted, the restarted ones taking work, with nothing lost or written twice', async () => {
    const random = seeded(SEED);
    console.log(`[topology] seed=${SEED} hazards=${LIFECYCLES} (${REGISTERED} registered through the APIs, ${IMPORTED} overdue stock) workers=2 apis=2`);
    const client = new Client({ connection });
    const gateways = { hazards: new HazardGateway(client, servers.taskQueue), notices: new NoticeGateway(client, servers.taskQueue) };
    const stats: DriverStats = { commands: 0, retries: 0, refused: [] };
    let killsDone = false;
    let broken = 0;
    const answers: Record<number, number> = {};

    // Lifecycle i goes to place i mod 2; while that place's process is gone (as a load balancer's
    // health check sees it) or its restarted process is not yet ready, to the other.
    const route = (i: number): Api => {
      const preferred = rotation[i % 2]!;
      const api = preferred.process.exited() || !preferred.inRotation ? rotation[(i + 1) % 2]! : preferred;
      api.sent++;
      if (killsDone) api.sentAfterKills++;
      return api;
    };
    const baseFor = (i: number) => () => route(i).base;
    const callFor =
      (i: number): Call =>
      async (...args) => {
        const api = route(i);
        try {
          const res = await caller(() => api.base)(...args);
          answers[res.status] = (answers[res.status] ?? 0) + 1;
          api.answered++;
          return res;
        } catch (error) {
          broken++; // the connection broke under the request: persist() sends it again, same key
          throw error;
        }
      };
    const tokenCall = caller(() => rotation[0]!.base);
    const tokens = { enterprise: await logIn(tokenCall, 'enterprise-a'), supervisor: await logIn(tokenCall, 'supervisor-a') };
    const began = Date.now();
    const at = () => `${Math.round((Date.now() - began) / 1000)}s`;

    // One worker and one API killed with SIGKILL at seeded points of the rectification (a fifth to
    // a third of the hazards under way, then a third to a half), each started again at once.
    const kills: string[] = [];
    const restarts: string[] = [];
    let lastKillAt = new Date();
    let underWay = 0;
    const plan = [
      { after: Math.floor(LIFECYCLES * (0.2 + random() * 0.13)), victim: 'worker' as const },
      { after: Math.floor(LIFECYCLES * (0.35 + random() * 0.15)), victim: 'api' as const },
    ];
    let restartedWorker: Worker | undefined;
    let restartedApi: Api | undefined;
    const restarting: Promise<void>[] = [];
    const killing = (async () => {
      for (const { after, victim } of plan) {
        while (underWay < after) await new Promise((r) => setTimeout(r, 100));
        const target = victim === 'worker' ? workers[0]!.process : rotation[0]!.process;
        await target.kill();
        expect(target.exited()).toBe('exited with SIGKILL');
        kills.push(`${victim === 'worker' ? 'worker-1' : 'api-1'}@${at()}`);
        // The supervisor sees the exit and starts the same service again.
        const restartedAt = at();
        const back =
          victim === 'worker'
            ? startWorker('worker-1 restarted').then((w) => void ((restartedWorker = w), restarts.push(`worker-1@${restartedAt}(polling@${at()})`)))
            : startApi('api-1 restarted').then((a) => void ((restartedApi = a), (rotation[0] = a), restarts.push(`api-1@${restartedAt}(ready@${at()})`)));
        back.catch(() => undefined); // awaited below, with the other restart: a failure fails the test there
        restarting.push(back);
      }
      lastKillAt = new Date();
      killsDone = true;
    })();
    const backInService = killing.then(() => Promise.all(restarting));

    // Registration through the APIs and the overdue stock side by side, then every hazard rectified.
    const today = shanghaiDate(Date.now());
    const registered: string[] = [];
    const registering = eachLimited(
      Array.from({ length: REGISTERED }, (_, i) => i),
      4,
      async (i) => {
        const key = randomUUID();
        const res = await persist(stats, () =>
          callFor(i)(
            'POST',
            '/api/hazards',
            tokens.supervisor,
            { enterpriseId: servers.world.enterpriseA, title: `配电室未配备绝缘垫 ${i + 1}`, category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(today, 15), requiredMeasures: '配备绝缘垫并张贴警示标识' },
            { 'idempotency-key': key },
          ),
        );
        if (res.status !== 201) stats.refused.push(`registration ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        else registered.push(res.body.id as string);
      },
    );
    const [{ hazardIds: imported, noticeIds }] = await Promise.all([importOverdueStock(servers.owner.db, servers.world, gateways, IMPORTED, NOTICE_EVERY, 4), registering]);
    const hazardIds = [...registered, ...imported];
    let heldBackMs = 0;
    await eachLimited(hazardIds, 8, async (hazardId, i) => {
      if (i >= AFTER_RESTARTS) {
        const waiting = Date.now();
        await backInService;
        heldBackMs = Math.max(heldBackMs, Date.now() - waiting);
      }
      underWay++;
      await rectify(stats, callFor(i), baseFor(i), tokens, hazardId, i % REJECT_EVERY === 0);
    });
    await backInService;
    const workSeconds = (Date.now() - began) / 1000;

    const db = servers.owner.db;
    const n = async (query: ReturnType<typeof sql>) => (await db.execute<{ n: number }>(query)).rows[0]!.n;
    const open = async () => (await n(sql`select count(*)::int as n from hazards where status <> 'closed'`)) + (await n(sql`select count(*)::int as n from notices where status <> 'closed'`));
    await until('every hazard and notice closed', async () => ((await open()) === 0 ? true : undefined), 120_000, 1_000).catch(() => undefined);
    const stuck = await open();
    const closed = await n(sql`select ((select count(*) from hazards where status = 'closed') + (select count(*) from notices where status = 'closed'))::int as n`);

    const expected = hazardIds.length + noticeIds.length;
    const { lost, why } = await lostRecords(db, LIFECYCLES + noticeIds.length);
    if (lost) console.log(`[topology] lost = ${why}`);

    // The survivors carried the work: what was written and closed after both kills.
    const eventsAfterKills = await n(sql`select count(*)::int as n from hazard_events where recorded_at > ${lastKillAt.toISOString()}`);
    const closedAfterKills = await n(sql`select count(*)::int as n from hazard_events where type = 'review_accepted' and recorded_at > ${lastKillAt.toISOString()}`);
    const escalations = await n(sql`select count(*)::int as n from hazard_events where type = 'escalated'`);
    const instruments = await n(sql`select count(*)::int as n from instruments`);
    const check = await checkRecords(db);

    // Which worker ran what: a task's started event names the worker that polled it. The server
    // writes some of an Update's workflow tasks (speculative ones, made normal or timed out while
    // running) without the name, so those are counted apart; an activity task always has it.
    const tasksBy: Record<string, { workflowTasks: number; activityTasks: number }> = {};
    let unnamedWorkflowTasks = 0;
    const unnamedActivityTasks: string[] = [];
    for (const workflowId of [...hazardIds.map(hazardWorkflowId), ...noticeIds.map(noticeWorkflowId)]) {
      for (const e of (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
        const started = e.workflowTaskStartedEventAttributes ?? e.activityTaskStartedEventAttributes;
        if (!started) continue;
        if (!started.identity) {
          if (e.workflowTaskStartedEventAttributes) unnamedWorkflowTasks++;
          else unnamedActivityTasks.push(`${workflowId} #${e.eventId}`);
          continue;
        }
        const tally = (tasksBy[started.identity] ??= { workflowTasks: 0, activityTasks: 0 });
        if (e.workflowTaskStartedEventAttributes) tally.workflowTasks++;
        else tally.activityTasks++;
      }
    }
    const api1 = apis.find((a) => a.name === 'api-1')!;
    const api2 = apis.find((a) => a.name === 'api-2')!;
    const tasksOf = (w?: Worker) => tasksBy[w?.identity ?? ''] ?? { workflowTasks: 0, activityTasks: 0 };
    const tasks = (w?: Worker) => `${tasksOf(w).workflowTasks}+${tasksOf(w).activityTasks}`;
    printFigures(
      'topology',
      {
        lifecycles: expected,
        faults: kills.length,
        closed,
        lost,
        duplicated: 0,
        stuck,
        escalations,
        instruments,
        commands: stats.commands,
        retries: stats.retries,
        brokenRequests: broken,
        answers: Object.entries(answers).map(([status, count]) => `${status}x${count}`).join(','),
        api1Requests: api1.sent,
        api2Requests: api2.sent,
        api2RequestsAfterKills: api2.sentAfterKills,
        api1RestartedRequests: restartedApi?.sent ?? 0,
        api1RestartedAnswers: restartedApi?.answered ?? 0,
        // workflow tasks + activity tasks started by each worker process, from the histories
        worker1Tasks: tasks(workers[0]),
        worker2Tasks: tasks(workers[1]),
        worker1RestartedTasks: tasks(restartedWorker),
        unnamedWorkflowTasks,
        eventsAfterKills,
        closedAfterKills,
        seconds: Math.round(workSeconds),
        heldBackSeconds: Math.round(heldBackMs / 1000),
        lifecyclesPerMinute: Math.round((expected / workSeconds) * 60),
        killed: kills.join('/'),
        restarted: restarts.join('/'),
      },
      check,
    );

    expect(stats.refused, stats.refused.join('\n')).toEqual([]);
    expect(kills).toHaveLength(2);
    expect(restarts).toHaveLength(2);
    expect({ lost, stuck, duplicated: duplicatesOf(check), gaps: gapsOf(check) }).toEqual({ lost: 0, stuck: 0, duplicated: 0, gaps: 0 });
    expect(check.auditOk, check.auditBreak ?? '').toBe(true);
    expect(closed).toBe(expected);
    expect(escalations).toBeGreaterThanOrEqual(IMPORTED);
    expect(instruments).toBeGreaterThanOrEqual(noticeIds.length);
    // The survivors: the second worker and the second API alive and doing the work while the
    // killed ones were away.
    expect(workers[1]!.process.exited(), workers[1]!.process.output()).toBeNull();
    expect(api2.process.exited(), api2.process.output()).toBeNull();
    expect(api2.sentAfterKills).toBeGreaterThan(0);
    expect(closedAfterKills).toBeGreaterThan(0);
    // The restarted ones: alive, the worker took tasks (its identity in the histories), the API
    // answered requests sent to it once it was ready.
    expect(restartedWorker!.process.exited(), restartedWorker!.process.output()).toBeNull();
    expect(tasksOf(restartedWorker).activityTasks + tasksOf(restartedWorker).workflowTasks).toBeGreaterThan(0);
    expect(restartedApi!.process.exited(), restartedApi!.process.output()).toBeNull();
    expect(restartedApi!.answered).toBeGreaterThan(0);
    // Nothing but the four worker processes ran a task.
    expect(Object.keys(tasksBy).filter((identity) => !workers.some((w) => w.identity === identity))).toEqual([]);
    expect(unnamedActivityTasks).toEqual([]);
  }, TIMEOUT_MS);
});
