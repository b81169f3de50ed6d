/**
 * What the start-up benchmark measures: `npm start` (scripts/start.ts) from spawn to a ready API
 * (`/api/health/ready` answers 200: Postgres and Temporal reached) and to "duban is running"
 * (worker polling, demo data checked), in a data folder of its own on free ports, then stopped
 * with Ctrl-C (SIGINT) and waited for. The first run in a new folder is the cold one (cluster made,
 * migrations, demo data); later runs find the folder, the bundle and the toolchain as they were.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CITY_SIZES, type CitySizes } from '../scripts/seed-city-directory';
import { seedCity } from '../scripts/seed-city';
import { freePort } from '../scripts/toolchain/ports';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartRun {
  readySeconds: number;
  runningSeconds: number;
  stopSeconds: number;
}

/** One `npm start` in `dataDir`, timed until ready and until running, then stopped. */
export async function timeStart(dataDir: string, timeoutMs = 300_000): Promise<StartRun> {
  const [pg, temporal, ui, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  // Its own servers, whatever this shell points at.
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'WORKFLOW_BUNDLE_PATH', 'AUDIT_HMAC_KEY', 'AUTH_TOKEN_SECRET', 'API_PORT', 'API_HOST']) delete env[k];
  Object.assign(env, { DUBAN_DATA_DIR: dataDir, DUBAN_PG_PORT: String(pg), DUBAN_TEMPORAL_PORT: String(temporal), DUBAN_TEMPORAL_UI_PORT: String(ui), API_PORT: String(api), LOG_LEVEL: 'warn' });
  const t0 = performance.now();
  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let runningAt: number | undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (runningAt === undefined && /duban is running/.test(output)) runningAt = performance.now();
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let readyAt: number | undefined;
  let stopSeconds = 0;
  try {
    const until = t0 + timeoutMs;
    while (readyAt === undefined || runningAt === undefined) {
      if (gone) throw new Error(`npm start exited before it was ready:\n${output.slice(-3000)}`);
      if (performance.now() > until) throw new Error(`npm start not ready within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
      if (readyAt === undefined) {
        const ok = await fetch(`http://127.0.0.1:${api}/api/health/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
        if (ok) readyAt = performance.now();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    // Ctrl-C to the group npm leads (npm, start.ts and what it started), as a terminal would send it.
    const stopping = performance.now();
    if (!gone) process.kill(-child.pid!, 'SIGINT');
    const stopped = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 60_000))]);
    if (!stopped && !gone) process.kill(-child.pid!, 'SIGKILL');
    stopSeconds = (performance.now() - stopping) / 1000;
  }
  return { readySeconds: (readyAt! - t0) / 1000, runningSeconds: (runningAt! - t0) / 1000, stopSeconds };
}

export interface SeedRate {
  hazards: number;
  /** Every row written: directory, hazards, their trails, audit heads and notifications. */
  rows: number;
  writeSeconds: number;
  hazardsPerSecond: number;
  rowsPerSecond: number;
  /** Rebuilding the leaders' figures from the rows afterwards, timed apart. */
  figuresSeconds: number;
}

/** The city seed (bulk COPY) of N hazards into a migrated database, timed. */
export async function seedRate(url: string, hazards: number, sizes: CitySizes = CITY_SIZES, log?: (m: string) => void): Promise<SeedRate> {
  const t0 = performance.now();
  const r = await seedCity({ url, seed: 1, hazards, sizes, progress: null, log: log ?? (() => undefined) });
  const total = (performance.now() - t0) / 1000;
  return {
    hazards: r.hazardsWritten,
    rows: r.rowsWritten,
    writeSeconds: r.seconds,
    hazardsPerSecond: r.hazardsWritten / r.seconds,
    rowsPerSecond: r.rowsWritten / r.seconds,
    figuresSeconds: total - r.seconds,
  };
}
