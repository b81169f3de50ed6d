import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Per-user cache for built servers. It lives outside the clone so a fresh clone
 * (CI, a second worktree) reuses binaries that took minutes to build.
 */
export function cacheDir(): string {
  const explicit = process.env.DUBAN_CACHE_DIR;
  if (explicit) return explicit;
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, 'duban');
  return join(homedir(), '.cache', 'duban');
}

export interface LockOptions {
  /** Told once, when another process holds the lock and we start waiting. */
  log?: (msg: string) => void;
  /** Give up after this long. Default: wait as long as the holder is alive. */
  timeoutMs?: number;
}

// A lock dir whose owner file never appeared is only trusted this long: the holder
// died between mkdir and writing its pid.
const OWNERLESS_GRACE_MS = 10_000;
const POLL_MS = 500;

/**
 * Runs `fn` while holding a lock shared by every process of this user, so vitest's
 * global setup and `npm start` never build the same binary at once. mkdir is atomic
 * on every local filesystem; a lock whose owner pid is gone is stale and taken over.
 * Two waiters taking over the same stale lock at the same instant can both get in;
 * callers publish results by atomic rename, so that race wastes time, never corrupts.
 */
export async function withLock<T>(name: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const locks = join(cacheDir(), 'locks');
  await mkdir(locks, { recursive: true });
  const dir = join(locks, `${name}.lock`);
  const owner = join(dir, 'owner');
  const started = Date.now();
  let told = false;

  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(owner, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(dir, owner);
    if (holder === 'stale') {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      opts.log?.(`waiting for ${name}: another process (${holder}) holds ${dir}`);
      told = true;
    }
    if (opts.timeoutMs !== undefined && Date.now() - started > opts.timeoutMs) {
      throw new Error(`Timed out after ${opts.timeoutMs} ms waiting for lock ${dir} held by ${holder}. Remove it if no such process runs.`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }

  try {
    return await fn();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `'stale'` when the lock can be taken over, else a description of the live holder. */
async function lockHolder(dir: string, owner: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(owner, 'utf8');
  } catch {
    // No owner file yet: either being written right now, or its writer died.
    try {
      const age = Date.now() - (await stat(dir)).mtimeMs;
      return age > OWNERLESS_GRACE_MS ? 'stale' : 'a process starting up';
    } catch {
      return 'stale'; // the dir vanished: released meanwhile
    }
  }
  let parsed: { pid?: unknown; host?: unknown };
  try {
    parsed = JSON.parse(text) as { pid?: unknown; host?: unknown };
  } catch {
    return 'stale';
  }
  if (typeof parsed.pid !== 'number') return 'stale';
  // A pid on another host (shared home over NFS) cannot be probed: trust it.
  if (parsed.host !== hostname()) return `pid ${parsed.pid} on ${String(parsed.host)}`;
  return isAlive(parsed.pid) ? `pid ${parsed.pid}` : 'stale';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
