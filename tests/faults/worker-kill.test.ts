/**
 * The worker killed with SIGKILL at random moments (seeded, the seed printed) while hazards and
 * notices live their lives; a new worker starts each time. Every hazard and notice reaches its
 * end, nothing is written twice or left out, every audit chain verifies. Every notification
 * (the escalations and a notice's ladder fire while the workers die) reaches each person it
 * resolves to, in the inbox and on the WeCom robot they chose (a local endpoint that takes
 * idempotency keys): each once, none after its item closed. (Reminders fall at 09:00 Shanghai and
 * a round that begins after one leaves it out, so in a run of minutes none falls due; the second
 * rounds' reminders are planned and must never be recorded once their hazard closed.)
 * FAULT_LIFECYCLES (hazards; `npm run test:faults` runs 300, `npm test` fewer to fit CI's time),
 * FAULT_KILLS (at least 3), FAULT_SEED.
 */
import { sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { NoticeGateway } from '../../temporal/notice-gateway';
import { regions } from '../../db/schema';
import { setPreferences } from '../../db/outbox';
import { DEFAULT_PREFERENCES } from '../../domain/delivery-rules';
import { DISPATCH_LEASE_MS } from '../../activities/delivery-dispatcher';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-endpoint';
import { eq } from 'drizzle-orm';
import { caller, logIn, startPrivateServers, until, type PrivateServers, type Process } from '../support/private-servers';
import { eachLimited, importOverdueStock, rectify, seeded, type DriverStats } from './lifecycle-driver';
import { checkDeliveries, checkRecords, duplicatesOf, gapsOf, lostRecords, printFigures } from './records-check';

const CI_LIFECYCLES = 30;
const LIFECYCLES = Number(process.env.FAULT_LIFECYCLES ?? CI_LIFECYCLES);
const KILLS = Math.max(3, Number(process.env.FAULT_KILLS ?? 3));
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1e9));
const NOTICE_EVERY = 5;
const REJECT_EVERY = 4;
/** About 2–3 s a lifecycle on two shared cores (each a dozen HTTP commands and workflow steps), and room for the kills. */
const TIMEOUT_MS = Math.max(600_000, 180_000 + LIFECYCLES * 4_000) + DISPATCH_LEASE_MS;

describe('worker killed mid-run', () => {
  let servers: PrivateServers;
  let api: Process;
  let base = '';
  const workers: Process[] = [];
  let connection: Connection;
  let robot: FakeEndpoint;
  // Every worker sends on the robot, and looks at the outbox often (a kill mid-send leaves a try to its lease).
  const startWorker = () => servers.startWorker({ WECOM_ROBOT_URL: robot.url, NOTIFY_DISPATCH_EVERY_MS: '500' });

  beforeAll(async () => {
    servers = await startPrivateServers('faults-kill');
    await servers.owner.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, servers.world.a.county.id));
    // Some posts fail, as robots do: those deliveries are tried again after their backoff.
    robot = await startFakeEndpoint({ failRate: 0.02, seed: SEED, robotErrors: true });
    // Everyone takes WeCom too, at any hour (the run may fall in the night of Shanghai).
    for (const userId of Object.values(servers.world.users)) {
      await setPreferences(servers.owner.db, userId, { ...DEFAULT_PREFERENCES, channels: ['wecom'], quietFrom: null, quietUntil: null }, 'fixture');
    }
    workers.push(startWorker());
    const started = await servers.startApi();
    api = started.process;
    base = started.base;
    connection = await Connection.connect({ address: servers.temporal.address });
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    await Promise.all([api?.stop(), ...workers.map((w) => w.stop())]);
    await servers?.close();
    await robot?.close();
  }, 90_000);

  it(`brings every hazard and notice to its end through ${KILLS}+ SIGKILLs of the worker, with nothing lost or written twice`, async () => {
    const random = seeded(SEED);
    console.log(`[faults] worker-kill: seed=${SEED} lifecycles=${LIFECYCLES}${LIFECYCLES < 300 ? ` (fewer than the 300 of npm run test:faults, to fit CI's time; FAULT_LIFECYCLES=300 for the full run)` : ''} kills=${KILLS}`);
    const client = new Client({ connection });
    const gateways = { hazards: new HazardGateway(client, servers.taskQueue), notices: new NoticeGateway(client, servers.taskQueue) };
    const call = caller(() => base);
    const tokens = { enterprise: await logIn(call, 'enterprise-a'), supervisor: await logIn(call, 'supervisor-a') };
    const stats: DriverStats = { commands: 0, retries: 0, refused: [] };
    const began = Date.now();

    // Kills at seeded moments while the work runs: the import (escalations and ladders firing) and the people's commands.
    const killTimes: number[] = [];
    let done = false;
    const killing = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 1_500 + random() * 4_000));
        const victim = workers[workers.length - 1]!;
        killTimes.push(Date.now() - began);
        await victim.kill();
        expect(victim.exited()).toBe('exited with SIGKILL');
        await new Promise((r) => setTimeout(r, 200 + random() * 1_500));
        workers.push(startWorker());
      }
    })();

    const { hazardIds, noticeIds } = await importOverdueStock(servers.owner.db, servers.world, gateways, LIFECYCLES, NOTICE_EVERY);
    await eachLimited(hazardIds, 8, (hazardId, i) => rectify(stats, call, () => base, tokens, hazardId, i % REJECT_EVERY === 0));
    done = true;
    await killing;

    // Every hazard and notice at its end (the last acceptances' notices close moments later).
    const db = servers.owner.db;
    const open = async () => {
      const h = (await db.execute<{ n: number }>(sql`select count(*)::int as n from hazards where status <> 'closed'`)).rows[0]!.n;
      const n = (await db.execute<{ n: number }>(sql`select count(*)::int as n from notices where status <> 'closed'`)).rows[0]!.n;
      return h + n;
    };
    await until('every hazard and notice closed', async () => ((await open()) === 0 ? true : undefined), 90_000, 1_000).catch(() => undefined);
    const stuck = await open();
    const closed = (await db.execute<{ n: number }>(sql`select (select count(*) from hazards where status = 'closed') + (select count(*) from notices where status = 'closed') as n`)).rows[0]!.n;

    // The outbox settles: a try whose worker died waits out its lease, a failed post its backoff.
    const waiting = async () =>
      (await db.execute<{ n: number }>(sql`select count(*)::int as n from deliveries where channel = 'wecom' and state = 'pending'`)).rows[0]!.n;
    await until('every delivery sent or skipped', async () => ((await waiting()) === 0 ? true : undefined), DISPATCH_LEASE_MS + 90_000, 1_000).catch(() => undefined);
    const outbox = await checkDeliveries(db, 'wecom', robot);
    if (outbox.missing + outbox.unsent + outbox.unmatched + outbox.afterClosure) console.log(`[faults] worker-kill: deliveries ${outbox.why}`);

    const n = async (query: ReturnType<typeof sql>) => (await db.execute<{ n: number }>(query)).rows[0]!.n;
    const escalations = await n(sql`select count(*)::int as n from hazard_events where type = 'escalated'`);
    const instruments = await n(sql`select count(*)::int as n from instruments`);
    const { lost, why } = await lostRecords(db, LIFECYCLES + noticeIds.length);
    if (lost) console.log(`[faults] worker-kill: lost = ${why}`);
    const check = await checkRecords(db);
    printFigures(
      'worker-kill',
      {
        lifecycles: LIFECYCLES + noticeIds.length,
        faults: killTimes.length,
        closed,
        lost,
        duplicated: 0,
        stuck,
        escalations,
        instruments,
        deliveriesSent: outbox.sent,
        deliveriesSkipped: outbox.skipped,
        resentSameKey: outbox.resent,
        deliveriesMissing: outbox.missing,
        deliveriesUnsent: outbox.unsent,
        deliveriesUnmatched: outbox.unmatched,
        afterClosure: outbox.afterClosure,
        commands: stats.commands,
        retries: stats.retries,
        seconds: Math.round((Date.now() - began) / 1000),
        killedAtMs: killTimes.join('/'),
      },
      check,
    );
    expect(done).toBe(true);
    expect(stats.refused, stats.refused.join('\n')).toEqual([]);
    expect(killTimes).toHaveLength(KILLS);
    expect({ lost, stuck, duplicated: duplicatesOf(check), gaps: gapsOf(check) }).toEqual({ lost: 0, stuck: 0, duplicated: 0, gaps: 0 });
    expect(check.auditOk, check.auditBreak ?? '').toBe(true);
    expect({ missing: outbox.missing, unsent: outbox.unsent, unmatched: outbox.unmatched, afterClosure: outbox.afterClosure }, outbox.why).toEqual({
      missing: 0,
      unsent: 0,
      unmatched: 0,
      afterClosure: 0,
    });
    // The robot took deliveries while workers died (each escalation reaches people who chose it).
    expect(outbox.sent).toBeGreaterThan(0);
    expect(escalations).toBeGreaterThanOrEqual(LIFECYCLES);
    expect(instruments).toBeGreaterThanOrEqual(noticeIds.length);
    expect(api.exited(), api.output()).toBeNull();
  }, TIMEOUT_MS);
});
