/**
 * The processes outlive their servers. A Postgres and a Temporal dev server of this file's own (the
 * run's shared ones must not be stopped) serve the real API and worker processes, started as
 * children; each server is stopped for some seconds while requests and workflows run, then started
 * again on its data. Nothing crashes; while a server is away the API answers 503 problem+json
 * naming it, with Retry-After, quickly; afterwards everything recovers by itself and the work
 * started before the outage is finished.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { isDatabaseUnavailable } from '../../db/connection-errors';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { DevServer } from '../../scripts/toolchain/dev-server';
import type { EmbeddedPostgres } from '../../scripts/toolchain/postgres';
import { registerHazard } from '../../api/routes/hazards';
import type { Principal } from '../../auth/principal';
import type { HazardGateway } from '../../temporal/hazard-gateway';
import { hazardWorkflowId, type HazardWorkflowInput } from '../../workflows/hazard.messages';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { PASSWORD, type World } from '../support/world';
import { caller, startPrivateServers, until, type Answer, type PrivateServers, type Process } from '../support/private-servers';
import { checkRecords, duplicatesOf, gapsOf, printFigures } from '../faults/records-check';

/** Answers while a server is away must come at least this fast. */
const QUICK_MS = 5_000;
/** A request already waiting on a workflow when a server left: the API's deadline on Temporal calls, and slack. */
const IN_FLIGHT_MS = 15_000;
const OUTAGE_MS = 10_000;

let base = '';
const call = caller(() => base);

function expectUnavailable(res: Answer, dependency: 'database' | 'temporal', withinMs = QUICK_MS) {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'urn:duban:problem:dependency-unavailable', status: 503, dependency });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.ms).toBeLessThan(withinMs);
}

describe('outages of Postgres and Temporal', () => {
  let servers: PrivateServers;
  let pg: EmbeddedPostgres;
  let temporal: DevServer;
  let owner: DatabaseHandle;
  let world: World;
  let api: Process;
  let worker: Process;
  let supervisor: string;
  let enterprise: string;
  let hazardId: string;
  let taskQueue: string;

  const startPostgres = () => servers.startPostgres();
  const startTemporal = () => servers.startTemporal();
  const processesUp = () => {
    expect(worker.exited(), `worker:\n${worker.output()}`).toBeNull();
    expect(api.exited(), `api:\n${api.output()}`).toBeNull();
  };
  const newHazard = (title: string) => ({
    enterpriseId: world.enterpriseA,
    title,
    category: '电气安全',
    source: 'inspection',
    grade: 'general',
    deadline: addDays(shanghaiDate(Date.now()), 15),
    requiredMeasures: '配备绝缘垫并张贴警示标识',
  });
  const login = async (username: string) => {
    const res = await call('POST', '/api/auth/login', undefined, { username, password: PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.token as string;
  };
  /** What a registration would start, prepared while the database is there to look things up in. */
  const workflowInputs = async (count: number) => {
    const inputs: HazardWorkflowInput[] = [];
    const capture = { start: async (input: HazardWorkflowInput) => void inputs.push(input) } as unknown as HazardGateway;
    const principal: Principal = {
      userId: world.users['supervisor-a'],
      username: 'supervisor-a',
      role: 'supervisor',
      kind: 'person',
      regionId: world.a.county.id,
      regionPath: world.a.county.path,
      enterpriseId: null,
      via: 'token',
    };
    for (let i = 0; i < count; i++) {
      const body = newHazard(`停机期间开始的流程 ${i}`) as Parameters<typeof registerHazard>[2];
      await registerHazard({ db: owner.db, hazards: capture, clock: Date.now }, principal, body, randomUUID()).catch(() => undefined);
    }
    return inputs;
  };
  /** Every hazard workflow the server knows has its record: nothing started was lost. */
  const everyWorkflowRecorded = async () => {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({ connection });
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: `WorkflowType = 'hazardWorkflow'` })) ids.push(wf.workflowId.replace(/^hazard-/, ''));
      const rows = await owner.db.execute<{ id: string }>(sql`select id::text as id from hazards`);
      const recorded = new Set(rows.rows.map((r) => r.id));
      return { started: ids.length, missing: ids.filter((id) => !recorded.has(id)) };
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    servers = await startPrivateServers('outages');
    ({ pg, temporal, owner, world, taskQueue } = servers);
    worker = servers.startWorker();
    ({ process: api, base } = await servers.startApi());
    await until('the API answers', async () => ((await call('GET', '/api/health')).status === 200 ? true : undefined), 60_000);
    supervisor = await login('supervisor-a');
    enterprise = await login('enterprise-a');
    const created = await call('POST', '/api/hazards', supervisor, newHazard('配电室未配备绝缘垫'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    hazardId = created.body.id;
  }, 180_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    // The servers and the connection as they now stand (each outage started them again).
    if (servers) Object.assign(servers, { pg, temporal, owner });
    await servers?.close();
  }, 60_000);

  it('Postgres stopped for 10 s: 503 naming the database at once, then recovery, every started workflow recorded, nothing half-written', async () => {
    const inputs = await workflowInputs(4);
    expect(inputs).toHaveLength(4);
    // Registrations in flight when the database goes.
    const burst = Array.from({ length: 6 }, (_, i) => call('POST', '/api/hazards', supervisor, newHazard(`停机期间登记 ${i}`)));
    await new Promise((r) => setTimeout(r, 300));
    await owner.close();
    await pg.stop();
    const downSince = Date.now();
    // Workflows started while it is away: their first step is to write the hazard's record.
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({ connection });
      for (const input of inputs) {
        await client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(input.hazard.hazardId), taskQueue, args: [input] });
      }
    } finally {
      await connection.close();
    }

    const list = await call('GET', '/api/hazards', supervisor);
    expectUnavailable(list, 'database');
    const command = await call('POST', `/api/hazards/${hazardId}/extensions`, enterprise, { requestedDeadline: addDays(shanghaiDate(Date.now()), 30), reason: '设备到货延迟' });
    expectUnavailable(command, 'database');
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.checks.postgres).not.toBe('ok');
    expect(health.body.checks.temporal).toBe('ok');
    expect(health.ms).toBeLessThan(QUICK_MS);
    // Readiness names what is down; liveness asks no dependency.
    expect((await call('GET', '/api/health/ready')).body).toMatchObject({ status: 'degraded', down: ['postgres'] });
    expect((await call('GET', '/api/health/live')).status).toBe(200);

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
    processesUp();
    pg = await startPostgres();
    owner = connectDatabase(pg.url, 2);

    // Each request of the burst was answered (registered, or 503 while the database was away), never 500.
    const answered = await Promise.all(burst);
    for (const res of answered) {
      expect([201, 503], JSON.stringify(res.body)).toContain(res.status);
      expect(res.ms).toBeLessThan(OUTAGE_MS + IN_FLIGHT_MS);
    }
    // The API recovers by itself.
    await until('the API reads again', async () => ((await call('GET', '/api/hazards', supervisor)).status === 200 ? true : undefined), 30_000);
    // The worker retried the records it could not write, and every started workflow has its record.
    const settled = await until(
      'every started workflow has its record',
      async () => {
        const seen = await everyWorkflowRecorded();
        return seen.missing.length === 0 ? seen : undefined;
      },
      60_000,
    );
    expect(settled.started).toBeGreaterThanOrEqual(1 + inputs.length);
    const created = await call('POST', '/api/hazards', supervisor, newHazard('恢复后登记'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    processesUp();

    // Nothing half-written: each registration answered 201 has its record, none has two, and every
    // trail written around the outage is whole and verifies.
    const registered = answered.filter((r) => r.status === 201).map((r) => r.body.id as string);
    const titled = await owner.db.execute<{ id: string; title: string }>(sql`select id::text as id, title from hazards where title like '停机期间登记 %'`);
    const lost = registered.filter((id) => !titled.rows.some((r) => r.id === id)).length + settled.missing.length;
    const duplicated = titled.rows.length - new Set(titled.rows.map((r) => r.title)).size;
    const check = await checkRecords(owner.db);
    printFigures(
      'postgres-outage',
      { lifecycles: burst.length + inputs.length, faults: 1, closed: 0, lost, duplicated, stuck: 0, outageMs: OUTAGE_MS, answered503: answered.length - registered.length },
      check,
    );
    expect({ lost, duplicated, records: duplicatesOf(check), gaps: gapsOf(check) }).toEqual({ lost: 0, duplicated: 0, records: 0, gaps: 0 });
    expect(check.auditOk, check.auditBreak ?? '').toBe(true);
  }, 150_000);

  it('Temporal stopped and restarted on its store: commands answer 503 naming Temporal at once; the worker reconnects by itself', async () => {
    const inFlight = Array.from({ length: 4 }, (_, i) => call('POST', '/api/hazards', supervisor, newHazard(`重启期间登记 ${i}`)));
    await new Promise((r) => setTimeout(r, 150));
    await temporal.stop();
    const downSince = Date.now();

    const command = await call('POST', `/api/hazards/${hazardId}/extensions`, enterprise, { requestedDeadline: addDays(shanghaiDate(Date.now()), 30), reason: '设备到货延迟' });
    expectUnavailable(command, 'temporal');
    const registration = await call('POST', '/api/hazards', supervisor, newHazard('服务不在时登记'));
    expectUnavailable(registration, 'temporal');
    // Reads come from Postgres: still served.
    expect((await call('GET', `/api/hazards/${hazardId}`, supervisor)).status).toBe(200);
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.checks.temporal).not.toBe('ok');
    expect(health.body.checks.postgres).toBe('ok');
    expect(health.ms).toBeLessThan(QUICK_MS);
    expect((await call('GET', '/api/health/ready')).body).toMatchObject({ status: 'degraded', down: ['temporal'] });
    expect((await call('GET', '/api/health/live')).status).toBe(200);
    for (const res of await Promise.all(inFlight)) {
      expect([201, 503], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 503) expect(res.body.dependency).toBe('temporal');
      expect(res.ms).toBeLessThan(QUICK_MS + 1_000);
    }

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
    processesUp();
    temporal = await startTemporal();

    // The API's connection and the worker's come back by themselves: a registration needs both.
    const created = await until(
      'a registration succeeds again',
      async () => {
        const res = await call('POST', '/api/hazards', supervisor, newHazard('重启后登记'));
        return res.status === 201 ? res : undefined;
      },
      60_000,
    );
    expect(created.body.status).toBe('rectifying');
    const requested = await call('POST', `/api/hazards/${hazardId}/extensions`, enterprise, { requestedDeadline: addDays(shanghaiDate(Date.now()), 30), reason: '设备到货延迟' });
    expect(requested.status, JSON.stringify(requested.body)).toBe(200);
    await until(
      'every started workflow has its record',
      async () => ((await everyWorkflowRecorded()).missing.length === 0 ? true : undefined),
      60_000,
    );
    processesUp();
  }, 150_000);
});

describe('a connection lost in the middle of a transaction', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('fails the transaction as "database unavailable", leaves the process alone, and the pool serves the next query on a new connection', async () => {
    const failure = await database.db
      .transaction(async (tx) => {
        const pid = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]!.pid;
        // The server ends this session (57P01, as in a shutdown) while the connection is held and idle.
        await database.pool.query('select pg_terminate_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, 300));
        await tx.execute(sql`select 1`);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    const after = await database.db.execute<{ one: number }>(sql`select 1 as one`);
    expect(after.rows[0]!.one).toBe(1);
  });
});
