/**
 * A recording activity whose worker is gone mid-attempt (SIGKILL here; in a rolling restart, a
 * task the server handed to a long poll the stopping worker had just abandoned) is retried after
 * its heartbeat timeout, seconds, not after its 30 s start-to-close timeout: the API waits 10 s
 * for a command's record. The attempt is held in the database (a lock on hazard_events) until
 * its worker is killed, so the test knows which worker took it.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { NoticeGateway } from '../../temporal/notice-gateway';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { startPrivateServers, until, type PrivateServers, type Process } from '../support/private-servers';
import { importOverdueStock } from './lifecycle-driver';

const { EventType, TimeoutType } = temporal.api.enums.v1;

let servers: PrivateServers;
let connection: Connection;
const workers: Process[] = [];
beforeAll(async () => {
  servers = await startPrivateServers('faults-lost');
  connection = await Connection.connect({ address: servers.temporal.address });
}, 180_000);
afterAll(async () => {
  await connection?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await servers?.close();
}, 90_000);

describe('a recording attempt whose worker is gone', () => {
  it('is retried after its heartbeat timeout, by another worker', async () => {
    const client = new Client({ connection });
    const gateways = { hazards: new HazardGateway(client, servers.taskQueue), notices: new NoticeGateway(client, servers.taskQueue) };
    const first = servers.startWorker();
    workers.push(first);

    const locker = new pg.Client({ connectionString: servers.pg.url });
    await locker.connect();
    let killedAt = 0;
    let registered: Promise<{ hazardIds: string[] }>;
    try {
      await locker.query('begin');
      // Reads go on (the worker's loops read the tables); the record's insert waits.
      await locker.query('lock table hazard_events in exclusive mode');
      registered = importOverdueStock(servers.owner.db, servers.world, gateways, 1, 1_000);
      await until(
        'the first worker’s attempt waits on the lock',
        async () => {
          if (first.exited()) throw new Error(`worker ${first.exited()}:\n${first.output()}`);
          const { rows } = await locker.query(`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'hazard_events' and not l.granted`);
          return rows[0].n > 0 ? true : undefined;
        },
        120_000,
      );
      await first.kill();
      killedAt = Date.now();
      await locker.query('commit');
    } finally {
      await locker.end();
    }
    workers.push(servers.startWorker());
    const { hazardIds } = await registered;
    const tookMs = Date.now() - killedAt;

    const history = await client.workflow.getHandle(hazardWorkflowId(hazardIds[0]!)).fetchHistory();
    const firstRecord = history.events!.find(
      (e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes!.activityType!.name === 'recordHazardStep',
    )!;
    const started = history.events!.find(
      (e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && Number(e.activityTaskStartedEventAttributes!.scheduledEventId) === Number(firstRecord.eventId),
    )!.activityTaskStartedEventAttributes!;
    const timeout = started.lastFailure?.timeoutFailureInfo?.timeoutType;
    console.log(`[faults] lost-activity: attempt=${started.attempt} lastTimeout=${timeout === undefined || timeout === null ? 'none' : TimeoutType[timeout]} registeredMsAfterKill=${tookMs}`);
    expect(started.attempt).toBeGreaterThanOrEqual(2);
    expect(timeout).toBe(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
  }, 300_000);
});
