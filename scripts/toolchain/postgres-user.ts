import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Who runs Postgres. Postgres refuses to run as root, so as root it runs as the `postgres`
 * OS user (created when missing); otherwise as ourselves. `uid`/`gid` go to spawn().
 */
export interface PostgresRunner {
  name: string;
  uid?: number;
  gid?: number;
}

export function postgresRunner(): PostgresRunner {
  if (userInfo().uid !== 0) return { name: userInfo().username };
  let ids = idsOf('postgres');
  if (!ids) {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'pipe' });
    } catch (err) {
      // 9: the group exists already (a half-made user); anything else is a real failure.
      if ((err as { status?: number }).status !== 9) throw noUser(err);
    }
    try {
      execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
    } catch (err) {
      throw noUser(err);
    }
    ids = idsOf('postgres');
    if (!ids) throw noUser(new Error('id -u postgres still fails after useradd'));
  }
  return { name: 'postgres', ...ids };
}

function idsOf(user: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

function noUser(cause: unknown): Error {
  const detail = String((cause as { stderr?: Buffer }).stderr ?? (cause as Error).message ?? cause).trim();
  return new Error(
    `Postgres cannot run as root, and the 'postgres' OS user it would run as is missing and could not be created (${detail}). ` +
      `Create it (e.g. \`useradd --system --user-group postgres\`), set DATABASE_URL to a Postgres of your own, or run as a non-root user.`,
    { cause },
  );
}

/** Whether `runner` may enter `dir` (search permission on it and on every parent). */
export function canEnter(runner: PostgresRunner, dir: string): boolean {
  return asRunner(runner, ['/bin/sh', '-c', 'cd -- "$1"', 'sh', dir]);
}

/** Whether `runner` can run `executable` (`--version`): reachable, executable, its libraries loadable. */
export function canRun(runner: PostgresRunner, executable: string): boolean {
  return asRunner(runner, [executable, '--version']);
}

function asRunner(runner: PostgresRunner, [command, ...args]: string[]): boolean {
  // cwd '/': the caller's own folder may be one the runner cannot enter.
  const result = spawnSync(command!, args, { uid: runner.uid, gid: runner.gid, cwd: '/', stdio: 'ignore', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/**
 * A folder of ours that every user may pass through but only we may list or change:
 * /var/tmp/duban-<uid> (mode 711). /var/tmp survives reboots, unlike /tmp on many systems.
 * Refuses one that someone else made or can write to: what we put there, the postgres user runs.
 */
export function sharedArea(base = '/var/tmp'): string {
  const uid = userInfo().uid;
  const dir = join(base, `duban-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new Error(
      `${dir} is not a directory owned by uid ${uid} and writable only by it (mode ${(st.mode & 0o777).toString(8)}, owner ${st.uid}); ` +
        `Postgres binaries and data placed there would not be safe. Remove it and start again.`,
    );
  }
  // mkdir's mode is cut by the umask; others must be able to pass through.
  if ((st.mode & 0o777) !== 0o711) chmodSync(dir, 0o711);
  return dir;
}
