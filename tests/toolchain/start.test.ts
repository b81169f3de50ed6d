/**
 * `npm start` from end to end, as someone at a terminal sees it: it says it is running only when
 * the worker polls and the API answers; a worker killed under it comes back and the restart is
 * reported; a Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops the API,
 * then the worker, then Temporal, then Postgres, with no stack trace, and exits 0.
 * Its data folder is a fresh mode-700 folder: as root, the cluster then lives elsewhere.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/toolchain/ports';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Everything the process printed, and a way to wait for a line. */
function watch(child: ChildProcessByStdio<null, Readable, Readable>) {
  let output = '';
  const waiters: Array<() => void> = [];
  const take = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output);
      if (match) return match;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`npm start exited before printing ${pattern}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 250);
      });
    }
  };
  return { output: () => output, waitFor, exited };
}

async function health(apiUrl: string): Promise<number> {
  try {
    return (await fetch(`${apiUrl}/health`)).status;
  } catch {
    return 0;
  }
}

describe('npm start', () => {
  it('is running once every process is, restarts a killed worker, and stops in order on Ctrl-C', async () => {
    const data = await mkdtemp(join(tmpdir(), 'duban-start-'));
    cleanups.push(() => rm(data, { recursive: true, force: true }));
    const [pgPort, temporalPort, uiPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DUBAN_DATA_DIR: data,
      DUBAN_PG_PORT: String(pgPort),
      DUBAN_TEMPORAL_PORT: String(temporalPort),
      DUBAN_TEMPORAL_UI_PORT: String(uiPort),
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      // The worker need not bundle the workflows again (seconds on a busy machine).
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      LOG_LEVEL: 'warn',
    };
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'AUTH_TOKEN_SECRET', 'EVIDENCE_DIR', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];

    // A process group of its own, so the SIGINT below reaches every process in it, as Ctrl-C does.
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(async () => {
      if (start.exitCode === null && start.signalCode === null) {
        process.kill(-start.pid!, 'SIGKILL');
      }
    });
    const run = watch(start);
    const apiUrl = `http://127.0.0.1:${apiPort}/api`;

    const placement = /postgres cluster for (\S+) lives in (\S+)/;
    cleanups.push(async () => {
      const placed = placement.exec(run.output());
      if (placed) await rm(placed[2]!, { recursive: true, force: true });
    });

    // About a minute on a quiet machine, most of it loading the demo city through the API.
    await run.waitFor(/duban is running/, 80_000);
    // As root, the cluster is not in the mode-700 folder (the postgres user cannot enter it),
    // and the log says where it is.
    const placed = placement.exec(run.output());
    if (userInfo().uid === 0) {
      expect(placed, run.output()).not.toBeNull();
      expect(placed![1]).toBe(join(data, 'postgres'));
      expect(placed![2]!.startsWith(data)).toBe(false);
    } else {
      expect(placed).toBeNull();
    }

    // Ready means ready: the worker said it polls and the API answered before the banner.
    const before = run.output().slice(0, run.output().indexOf('duban is running'));
    const workerPid = Number((/worker polling \(pid (\d+)\)/.exec(before) ?? [])[1]);
    expect(workerPid, before).toBeGreaterThan(0);
    expect(before).toMatch(/api healthy \(pid \d+\)/);
    expect(await health(apiUrl)).toBe(200);

    // A worker that dies is started again, and the restart is reported.
    process.kill(workerPid, 'SIGKILL');
    await run.waitFor(/worker exited \(SIGKILL\); restart 1 in 1 s/, 10_000);
    const back = await run.waitFor(/worker is back \(pid (\d+), restart 1\)/, 45_000);
    expect(Number(back[1])).not.toBe(workerPid);
    expect(await health(apiUrl)).toBe(200);

    // Ctrl-C.
    const stopFrom = run.output().length;
    process.kill(-start.pid!, 'SIGINT');
    const exit = await Promise.race([run.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit within 40 s:\n${run.output()}`)), 40_000))]);
    const stopping = run.output().slice(stopFrom);
    expect(exit, run.output()).toEqual({ code: 0, signal: null });

    const order = ['api stopped', 'worker stopped', 'temporal stopped', 'postgres stopped'].map((line) => stopping.indexOf(line));
    expect(order.every((i) => i >= 0), stopping).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stopping).not.toMatch(/^\s+at /m);
    expect(stopping).not.toMatch(/TransportError|Unhandled|uncaught|restart/i);
    expect(run.output()).not.toMatch(/^\s+at /m);

    for (const port of [apiPort, temporalPort, pgPort]) expect(await portIsOpen(port), `port ${port}`).toBe(false);
  }, 120_000);
});
