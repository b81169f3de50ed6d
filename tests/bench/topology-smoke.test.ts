/**
 * The topology benchmark end to end at a tiny size, on the dev server (the production server's
 * start is the topology test's to prove): two worker processes and two API processes started as
 * in production, bare workflows on the workers and lives through both APIs, then the same through
 * one pair, with each process's CPU.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { processCpuSeconds } from '../../bench/proc';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

it('counts a process’s CPU from /proc, and nothing for one that is gone', () => {
  const mine = processCpuSeconds([process.pid, 0x7ffffff0]);
  expect(mine[process.pid]).toBeGreaterThan(0);
  expect(Object.keys(mine)).toEqual([String(process.pid)]);
});

it('runs bare workflows and lives on two workers and two APIs, then on one of each, and writes the rates', async () => {
  // Servers of its own, whatever the shell points at.
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/topology.ts', '--n', '3', '--warmup', '1', '--concurrency', '2', '--server', 'dev'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, out).toBe(0);
  expect(out).toMatch(/two workers, two APIs: hazard lives via API +[\d.]+ lives\/s/);
  expect(out).toMatch(/one worker, one API: bare workflows +[\d.]+ workflows\/s/);
  expect(out).toMatch(/one worker, one API: ratio lives\/bare [\d.]+/);
  const file = /result written to (\S+)/.exec(out)?.[1];
  expect(file, out).toBeDefined();
  const result = JSON.parse(await readFile(file!, 'utf8'));
  for (const m of [result.pair, result.single]) {
    expect(m.bare.rate.count).toBe(3);
    expect(m.life.rate.count).toBe(3);
    expect(m.ratio).toBeCloseTo(m.life.rate.perSecond / m.bare.rate.perSecond, 6);
    expect(m.life.cpuMsPerLife['worker-1']).toBeGreaterThan(0);
  }
  expect(Object.keys(result.pair.life.cpuMsPerLife)).toEqual(['worker-1', 'worker-2', 'api-1', 'api-2']);
  for (const ms of Object.values<number>(result.pair.life.cpuMsPerLife)) expect(ms).toBeGreaterThanOrEqual(0);
  // The bare workflows make no request to the APIs.
  expect(result.single.life.cpuMsPerLife['api-1']).toBeGreaterThan(result.single.bare.cpuMsPerLife['api-1']);
}, 600_000);
