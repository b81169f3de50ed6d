/**
 * What `npm start` does when one of its processes dies: restart it after a growing pause and say
 * so, give up on a process that keeps crashing, and stop cleanly. Against real child processes
 * (small node scripts that crash on cue), not mocks.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { nextRestart, readyMessage, supervise, type RestartPolicy, type Supervised } from '../../scripts/supervise';

const POLICY: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 10_000, maxCrashes: 5, windowMs: 60_000 };

describe('restart policy', () => {
  it('doubles the pause with each crash in the window, up to the ceiling', () => {
    const now = 100_000;
    expect(nextRestart([now], now, POLICY)).toEqual({ delayMs: 1_000 });
    expect(nextRestart([now - 3_000, now], now, POLICY)).toEqual({ delayMs: 2_000 });
    expect(nextRestart([now - 9_000, now - 3_000, now], now, POLICY)).toEqual({ delayMs: 4_000 });
    expect(nextRestart([1, 2, 3, now], now, { ...POLICY, windowMs: 1_000_000 })).toEqual({ delayMs: 8_000 });
    expect(nextRestart([1, 2, 3, now], now, { ...POLICY, windowMs: 1_000_000, maxDelayMs: 5_000 })).toEqual({ delayMs: 5_000 });
  });

  it('forgets crashes older than the window', () => {
    const now = 1_000_000;
    const old = [now - 200_000, now - 150_000, now - 120_000, now - 61_000];
    expect(nextRestart([...old, now], now, POLICY)).toEqual({ delayMs: 1_000 });
  });

  it(`gives up at the fifth crash within a minute`, () => {
    const now = 1_000_000;
    const four = [now - 50_000, now - 40_000, now - 30_000, now - 20_000];
    expect(nextRestart(four, now, POLICY)).toEqual({ delayMs: 8_000 });
    expect(nextRestart([...four, now], now, POLICY)).toEqual({ giveUp: 'crashed 5 times within 60 s' });
  });
});

// ---------------------------------------------------------------------------------------------
// Real children

const FAST: Partial<RestartPolicy> = { initialDelayMs: 100, maxDelayMs: 400, maxCrashes: 4, windowMs: 60_000 };
const running: Supervised[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A node script run as the child: `body` decides when it says ready and when it dies. */
function script(body: string): string[] {
  return ['-e', body];
}

function start(name: string, body: string, extra: Partial<Parameters<typeof supervise>[0]> = {}) {
  const said: Array<{ at: number; msg: string }> = [];
  const gaveUp: string[] = [];
  const supervised = supervise({
    name,
    command: process.execPath,
    args: script(body),
    ready: readyMessage(5_000),
    policy: FAST,
    log: (msg) => said.push({ at: Date.now(), msg }),
    onGiveUp: (reason) => gaveUp.push(reason),
    ...extra,
  });
  running.push(supervised);
  return { supervised, said, gaveUp };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('supervise', () => {
  it('restarts a process that crashes after it was ready, reports it, and runs the new one', async () => {
    scratch ??= await mkdtemp(join(tmpdir(), 'duban-supervise-'));
    const marker = join(scratch, 'crashed-once');
    // First run: ready, then crash. Second run: ready and stays.
    const body = `
      const fs = require('node:fs');
      const first = !fs.existsSync(${JSON.stringify(marker)});
      if (first) fs.writeFileSync(${JSON.stringify(marker)}, '');
      process.send('ready');
      if (first) setTimeout(() => process.exit(3), 100);
      else setInterval(() => {}, 1000);
    `;
    const { supervised, said, gaveUp } = start('flaky', body);
    await supervised.started;
    const firstPid = supervised.pid!;
    await until(() => supervised.restarts === 1 && said.some((s) => /flaky is back/.test(s.msg)), 10_000);
    expect(supervised.pid).not.toBe(firstPid);
    expect(alive(supervised.pid!)).toBe(true);
    const crashed = said.find((s) => /flaky exited \(code 3\); restart 1 in 0\.1 s/.test(s.msg));
    const back = said.find((s) => new RegExp(`flaky is back \\(pid ${supervised.pid}, restart 1\\)`).test(s.msg));
    expect(crashed).toBeDefined();
    expect(back).toBeDefined();
    expect(back!.at - crashed!.at).toBeGreaterThanOrEqual(90);
    expect(gaveUp).toEqual([]);
    expect(existsSync(marker)).toBe(true);
  });

  it('waits longer after each crash and gives up on a process that keeps crashing', async () => {
    const { supervised, said, gaveUp } = start('doomed', `process.send('ready'); setTimeout(() => process.exit(1), 50);`);
    await supervised.started;
    await until(() => gaveUp.length > 0, 15_000);
    expect(gaveUp).toEqual(['doomed crashed 4 times within 60 s']);
    const restarts = said.filter((s) => /restart \d+ in/.test(s.msg)).map((s) => s.msg.replace(/^.*(restart \d+ in [\d.]+ s).*$/, '$1'));
    expect(restarts).toEqual(['restart 1 in 0.1 s', 'restart 2 in 0.2 s', 'restart 3 in 0.4 s']);
    // Nothing more is started after giving up.
    const pid = supervised.pid!;
    await new Promise((r) => setTimeout(r, 600));
    expect(supervised.pid).toBe(pid);
    expect(alive(pid)).toBe(false);
  });

  it('counts a restarted process that dies before it is ready as another crash', async () => {
    scratch ??= await mkdtemp(join(tmpdir(), 'duban-supervise-'));
    const marker = join(scratch, 'ready-once');
    const body = `
      const fs = require('node:fs');
      if (fs.existsSync(${JSON.stringify(marker)})) process.exit(2);
      fs.writeFileSync(${JSON.stringify(marker)}, '');
      process.send('ready');
      setTimeout(() => process.exit(1), 50);
    `;
    const { supervised, gaveUp } = start('relapsing', body);
    await supervised.started;
    await until(() => gaveUp.length > 0, 15_000);
    expect(gaveUp).toEqual(['relapsing crashed 4 times within 60 s']);
  });

  it('does not restart a process that fails on its first start: the caller hears why', async () => {
    const { supervised, said } = start('broken', `console.error('bad config'); process.exit(78);`);
    await expect(supervised.started).rejects.toThrow('broken exited during start-up (code 78)');
    await new Promise((r) => setTimeout(r, 300));
    expect(said.filter((s) => /restart/.test(s.msg))).toEqual([]);
  });

  it('stops with SIGTERM, and with SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const polite = start('polite', `process.send('ready'); process.on('SIGTERM', () => { console.log('draining'); setTimeout(() => process.exit(0), 100); }); setInterval(() => {}, 1000);`);
    const stubborn = start('stubborn', `process.on('SIGTERM', () => {}); process.send('ready'); setInterval(() => {}, 1000);`, { stopGraceMs: 300 });
    await Promise.all([polite.supervised.started, stubborn.supervised.started]);
    const pids = [polite.supervised.pid!, stubborn.supervised.pid!];

    const t0 = Date.now();
    await polite.supervised.stop();
    expect(alive(pids[0]!)).toBe(false);
    expect(polite.said.map((s) => s.msg)).toContain('polite stopped');

    await stubborn.supervised.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(alive(pids[1]!)).toBe(false);
    expect(stubborn.said.map((s) => s.msg)).toContain('stubborn did not stop within 0.3 s; killed');
    expect([...polite.said, ...stubborn.said].filter((s) => /restart/.test(s.msg))).toEqual([]);
  });

  it('stopping during the pause before a restart starts nothing more', async () => {
    const { supervised, said } = start('paused', `process.send('ready'); setTimeout(() => process.exit(1), 50);`, {
      policy: { ...FAST, initialDelayMs: 2_000, maxDelayMs: 2_000 },
    });
    await supervised.started;
    await until(() => said.some((s) => /restart 1 in 2 s/.test(s.msg)), 5_000);
    const pid = supervised.pid!;
    await supervised.stop();
    await new Promise((r) => setTimeout(r, 2_300));
    expect(supervised.pid).toBe(pid);
    expect(supervised.restarts).toBe(0);
  });

  it('gives a process that never says it is ready up after the readiness timeout', async () => {
    const { supervised } = start('silent', `setInterval(() => {}, 1000);`, { ready: readyMessage(300) });
    await expect(supervised.started).rejects.toThrow('silent was not ready within 0.3 s');
    const pid = supervised.pid!;
    await until(() => !alive(pid), 5_000);
  });
});
