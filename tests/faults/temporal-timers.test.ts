/**
 * The Temporal server stopped and started again on its store while timers are pending: every
 * timer survives and fires (none early, none lost), and a worker that lost the server polls
 * again by itself. (The API's answers meanwhile, 503 naming Temporal, and duban's own worker
 * reconnecting are in tests/integration/outages.test.ts.)
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietRuntime } from '../support/workflow-env';
import { startPrivateServers, type PrivateServers } from '../support/private-servers';
import { printFigures } from './records-check';

const PROBE = fileURLToPath(new URL('../support/timer-probe.workflow.ts', import.meta.url));
/** Timers due before, during and after the outage. */
const TIMERS_MS = [1_000, 4_000, 7_000, 10_000, 14_000, 20_000];
const DOWN_AT_MS = 2_000;
const OUTAGE_MS = 8_000;

let servers: PrivateServers;
beforeAll(async () => {
  quietRuntime();
  servers = await startPrivateServers('faults-timers');
}, 180_000);
afterAll(async () => servers?.close(), 60_000);

describe('Temporal restarted on its store mid-run', () => {
  it('keeps every pending timer and fires it; the worker reconnects by itself', async () => {
    const taskQueue = `${servers.taskQueue}-timers`;
    const native = await NativeConnection.connect({ address: servers.temporal.address });
    const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: PROBE });
    const running = worker.run();
    let connection = await Connection.connect({ address: servers.temporal.address });
    try {
      const client = new Client({ connection });
      const started = Date.now();
      const handles = await Promise.all(
        TIMERS_MS.map((ms, i) => client.workflow.start('timerProbeWorkflow', { workflowId: `timer-probe-${i}-${started}`, taskQueue, args: [ms] })),
      );
      await new Promise((r) => setTimeout(r, DOWN_AT_MS));
      await connection.close();
      await servers.temporal.stop();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      servers.temporal = await servers.startTemporal();
      connection = await Connection.connect({ address: servers.temporal.address });
      const after = new Client({ connection });
      const results = await Promise.all(handles.map((h) => after.workflow.getHandle(h.workflowId).result() as Promise<{ startedAt: number; firedAt: number }>));
      const early = results.filter((r, i) => r.firedAt - r.startedAt < TIMERS_MS[i]!).length;
      printFigures('temporal-restart', {
        lifecycles: TIMERS_MS.length,
        faults: 1,
        closed: results.length,
        lost: TIMERS_MS.length - results.length,
        duplicated: 0,
        stuck: 0,
        early,
        lateMs: Math.max(...results.map((r, i) => r.firedAt - r.startedAt - TIMERS_MS[i]!)),
      });
      expect(results).toHaveLength(TIMERS_MS.length);
      expect(early).toBe(0);
      // The timers that fell due while the server was away fired once it was back.
      expect(Date.now() - started).toBeLessThan(90_000);
      expect(worker.getState()).toBe('RUNNING');
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
    }
  }, 150_000);
});
