/**
 * The production topology run for real, without Docker: the Temporal server that runs clusters
 * (built from the Go module proxy, `npm run toolchain`) on Postgres as docker-compose.yml
 * configures it, two worker processes and two API processes. Hazards are registered and rectified
 * through both APIs in turn while overdue stock (escalations, notices with their ladders) runs on
 * the workers; mid-run one worker and one API are killed with SIGKILL and not replaced. Clients,
 * as behind a load balancer, send to the API that is up and retry a command the killed API had in
 * hand under the same Idempotency-Key. Every hazard and notice reaches its end on the survivors;
 * nothing is lost or written twice.
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
const TIMEOUT_MS = 300_000 + LIFECYCLES * 4_000;

interface Api {
  name: string;
  process: Process;
  base: string;
  /** Requests sent to it, before and after the kills. */
  sent: number;
  sentAfterKills: number;
}

describe('the production topology: Temporal server on Postgres, two workers, two APIs', () => {
  let servers: PrivateServers;
  const workers: Process[] = [];
  const apis: Api[] = [];
  let connection: Connection;

  beforeAll(async () => {
    const started = Date.now();
    // The first run on a machine builds the server (minutes) unless `npm run toolchain` did.
    servers = await startPrivateServers('topology', { temporal: 'cluster', log: (m) => console.log(`[topology] ${m}`) });
    console.log(`[topology] Postgres and the Temporal server up in ${Math.round((Date.now() - started) / 1000)} s`);
    await servers.owner.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, servers.world.a.county.id));
    workers.push(servers.startWorker(), servers.startWorker());
    const apiProcesses = await Promise.all([servers.startApi(), servers.startApi()]);
    apiProcesses.forEach(({ process, base }, i) => apis.push({ name: `api-${i + 1}`, process, base, sent: 0, sentAfterKills: 0 }));
    connection = await Connection.connect({ address: servers.temporal.address });
    // Both workers poll the production server before any work is sent.
    await until(
      'both workers polling',
      async () => {
        for (const w of workers) if (w.exited()) throw new Error(`worker ${w.exited()}:\n${w.output()}`);
        const { pollers } = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: servers.taskQueue }, taskQueueType: 1 });
        return new Set((pollers ?? []).map((p) => p.identity)).size >= 2 ? true : undefined;
      },
      120_000,
      500,
    );
  }, 900_000);

  afterAll(async () => {
    await connection?.close();
    await Promise.all([...apis.map((a) => a.process.stop()), ...workers.map((w) => w.stop())]);
    await servers?.close();
  }, 120_000);

  it('brings every hazard and notice to its end on the survivors after a worker and an API are killed, with nothing lost or written twice', async () => {
    const random = seeded(SEED);
    console.log(`[topology] seed=${SEED} hazards=${LIFECYCLES} (${REGISTERED} registered through the APIs, ${IMPORTED} overdue stock) workers=2 apis=2`);
    const client = new Client({ connection });
    const gateways = { hazards: new HazardGateway(client, servers.taskQueue), notices: new NoticeGateway(client, servers.taskQueue) };
    const stats: DriverStats = { commands: 0, retries: 0, refused: [] };
    let killsDone = false;
    let broken = 0;
    const answers: Record<number, number> = {};

    // Lifecycle i goes to API i mod 2; while that one is down (its process gone, as a load
    // balancer's health check sees it) to the other.
    const baseFor = (i: number) => () => {
      const preferred = apis[i % 2]!;
      const api = preferred.process.exited() ? apis[(i + 1) % 2]! : preferred;
      api.sent++;
      if (killsDone) api.sentAfterKills++;
      return api.base;
    };
    const callFor = (i: number): Call => {
      const call = caller(baseFor(i));
      return async (...args) => {
        try {
          const res = await call(...args);
          answers[res.status] = (answers[res.status] ?? 0) + 1;
          return res;
        } catch (error) {
          broken++; // the connection broke under the request: persist() sends it again, same key
          throw error;
        }
      };
    };
    const tokenCall = caller(() => apis[0]!.base);
    const tokens = { enterprise: await logIn(tokenCall, 'enterprise-a'), supervisor: await logIn(tokenCall, 'supervisor-a') };
    const began = Date.now();

    // One worker and one API killed with SIGKILL at seeded points of the rectification (a fifth to
    // a third of the hazards under way, then half to two thirds), neither replaced.
    const kills: string[] = [];
    let lastKillAt = new Date();
    let underWay = 0;
    const plan = [
      { after: Math.floor(LIFECYCLES * (0.2 + random() * 0.13)), victim: 'worker' as const },
      { after: Math.floor(LIFECYCLES * (0.5 + random() * 0.17)), victim: 'api' as const },
    ];
    const killing = (async () => {
      for (const { after, victim } of plan) {
        while (underWay < after) await new Promise((r) => setTimeout(r, 100));
        const target = victim === 'worker' ? workers[0]! : apis[0]!.process;
        await target.kill();
        expect(target.exited()).toBe('exited with SIGKILL');
        kills.push(`${victim === 'worker' ? 'worker-1' : 'api-1'}@${Math.round((Date.now() - began) / 1000)}s`);
      }
      lastKillAt = new Date();
      killsDone = true;
    })();

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
    await eachLimited(hazardIds, 8, (hazardId, i) => (underWay++, rectify(stats, callFor(i), baseFor(i), tokens, hazardId, i % REJECT_EVERY === 0)));
    await killing;
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
        api1Requests: apis[0]!.sent,
        api2Requests: apis[1]!.sent,
        api2RequestsAfterKills: apis[1]!.sentAfterKills,
        eventsAfterKills,
        closedAfterKills,
        seconds: Math.round(workSeconds),
        lifecyclesPerMinute: Math.round((expected / workSeconds) * 60),
        killed: kills.join('/'),
      },
      check,
    );

    expect(stats.refused, stats.refused.join('\n')).toEqual([]);
    expect(kills).toHaveLength(2);
    expect({ lost, stuck, duplicated: duplicatesOf(check), gaps: gapsOf(check) }).toEqual({ lost: 0, stuck: 0, duplicated: 0, gaps: 0 });
    expect(check.auditOk, check.auditBreak ?? '').toBe(true);
    expect(closed).toBe(expected);
    expect(escalations).toBeGreaterThanOrEqual(IMPORTED);
    expect(instruments).toBeGreaterThanOrEqual(noticeIds.length);
    // The survivors: the second worker and the second API alive and doing the rest of the work.
    expect(workers[1]!.exited(), workers[1]!.output()).toBeNull();
    expect(apis[1]!.process.exited(), apis[1]!.process.output()).toBeNull();
    expect(apis[1]!.sentAfterKills).toBeGreaterThan(0);
    expect(closedAfterKills).toBeGreaterThan(0);
  }, TIMEOUT_MS);
});
