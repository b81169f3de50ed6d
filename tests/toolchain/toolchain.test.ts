/**
 * The toolchain against the real thing: real Postgres, real Temporal dev server, real
 * Java test server. A cold machine builds the Temporal binaries here (minutes), hence
 * the long timeouts on ensure* calls; a warm cache makes the whole file take seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { cacheDir, withLock } from '../../scripts/toolchain/cache';
import { startDevServer } from '../../scripts/toolchain/dev-server';
import { freePort } from '../../scripts/toolchain/ports';
import { createDatabase, databaseUrl, dropDatabase, startEmbeddedPostgres } from '../../scripts/toolchain/postgres';
import { ensureTemporalCli } from '../../scripts/toolchain/temporal-cli';
import { ensureTestServer } from '../../scripts/toolchain/test-server';
import { startTimeSkipping } from '../../scripts/toolchain/temporal-servers';

const BUILD_TIMEOUT = 600_000;
const log = (msg: string) => console.log(`[toolchain test] ${msg}`);

/** A scratch dir the `postgres` OS user can enter: as root, Postgres runs as that user. */
async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'duban-toolchain-'));
  await chmod(dir, 0o711); // mkdtemp makes 0700
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('ports', () => {
  it('hands out a port nothing listens on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portIsOpen(port)).toBe(false);
  });
});

describe('cache lock', () => {
  it('never lets two holders of the same lock overlap', async () => {
    const name = `toolchain-test-${process.pid}`;
    const events: string[] = [];
    const hold = (who: string) =>
      withLock(name, async () => {
        events.push(`${who} in`);
        await new Promise((r) => setTimeout(r, 300));
        events.push(`${who} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect([
      ['a in', 'a out', 'b in', 'b out'],
      ['b in', 'b out', 'a in', 'a out'],
    ]).toContainEqual(events);
  });

  it('takes over a lock whose owner process is gone', async () => {
    const name = `toolchain-stale-${process.pid}`;
    const dir = join(cacheDir(), 'locks', `${name}.lock`);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'owner'), JSON.stringify({ pid: dead, host: hostname() }));
    const result = await withLock(name, async () => 'acquired', { timeoutMs: 5_000 });
    expect(result).toBe('acquired');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('embedded Postgres', () => {
  it('starts, answers, creates databases, and removes a throwaway cluster on stop', async () => {
    const parent = await scratchDir();
    const dataDir = join(parent, 'pg');
    const hooks = () => ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e));
    const hooksBefore = hooks();
    try {
      const server = await startEmbeddedPostgres({ dataDir, persistent: false, log });
      try {
        // The package's own exit hooks would end a failed test run with code 0: none are left.
        expect(hooks()).toEqual(hooksBefore);
        expect(server.url).toBe(`postgres://duban:duban@127.0.0.1:${server.port}/duban`);
        expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);

        await createDatabase(server.url, 'toolchain_template');
        await query(databaseUrl(server.url, 'toolchain_template'), 'create table marker (id int); insert into marker values (42)');
        await createDatabase(server.url, 'toolchain_copy', { template: 'toolchain_template' });
        expect(await query(databaseUrl(server.url, 'toolchain_copy'), 'select id from marker')).toEqual([{ id: 42 }]);
        await dropDatabase(server.url, 'toolchain_copy');
        await dropDatabase(server.url, 'toolchain_template');
        const left = await query<{ datname: string }>(server.url, "select datname from pg_database where datname like 'toolchain_%'");
        expect(left).toEqual([]);
      } finally {
        await server.stop();
      }
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);

  it('keeps a persistent cluster across restarts', async () => {
    const parent = await scratchDir();
    const dataDir = join(parent, 'pg');
    try {
      const first = await startEmbeddedPostgres({ dataDir, persistent: true, log });
      await query(first.url, 'create table kept (v text); insert into kept values ($$still here$$)');
      await first.stop();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

      const second = await startEmbeddedPostgres({ dataDir, persistent: true, log });
      try {
        expect(await query(second.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
      } finally {
        await second.stop();
      }
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('Temporal dev server', () => {
  it(
    'starts with search attributes registered in its namespace, and stops',
    async () => {
      const cliPath = await ensureTemporalCli(log);
      const server = await startDevServer({
        cliPath,
        namespace: 'toolchain-check',
        searchAttributes: { DubanCheckStatus: 'Keyword', DubanCheckDue: 'Datetime' },
        log,
      });
      const port = Number(server.address.split(':')[1]);
      try {
        const connection = await Connection.connect({ address: server.address });
        try {
          const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'toolchain-check' });
          expect(customAttributes).toMatchObject({ DubanCheckStatus: 2 /* KEYWORD */, DubanCheckDue: 6 /* DATETIME */ });
        } finally {
          await connection.close();
        }
        expect(server.uiUrl).toBeUndefined();
      } finally {
        await server.stop();
      }
      expect(await portIsOpen(port)).toBe(false);
    },
    BUILD_TIMEOUT,
  );

  it(
    'dies with the process that started it, even when that process is SIGKILLed',
    async () => {
      const cliPath = await ensureTemporalCli(log);
      const script = `
        import { startDevServer } from './scripts/toolchain/dev-server';
        const server = await startDevServer({ cliPath: ${JSON.stringify(cliPath)} });
        console.log('READY ' + server.address);
        setInterval(() => {}, 1000);
      `;
      // node itself (not npx/tsx shims) so the SIGKILL hits the process that owns the server.
      const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const address = await new Promise<string>((resolve, reject) => {
        let out = '';
        parent.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /READY (\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        parent.once('exit', (code) => reject(new Error(`parent exited early with ${code}: ${out}`)));
      });
      const port = Number(address.split(':')[1]);
      expect(await portIsOpen(port)).toBe(true);

      parent.kill('SIGKILL');
      expect(await until(async () => !(await portIsOpen(port)), 15_000)).toBe(true);
    },
    BUILD_TIMEOUT,
  );
});

describe('Temporal time-skipping test server', () => {
  it(
    'runs behind the wrapper through the SDK, skips time, and tears down',
    async () => {
      const path = await ensureTestServer(log);
      const env = await startTimeSkipping({ type: 'existing-path', path });
      const port = Number(env.address.split(':').at(-1));
      let javaPid: number | undefined;
      try {
        expect(env.supportsTimeSkipping).toBe(true);
        const before = await env.currentTimeMs();
        await env.sleep('1 day');
        expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(86_400_000);

        // The wrapper exec's the JVM: the server process is java, a direct child of
        // this process, so the SDK's kill on teardown reaches it.
        const found = spawnSync('pgrep', ['-f', `io\\.temporal\\.testserver\\.TestServer ${port}$`], { encoding: 'utf8' }).stdout.trim();
        expect(found).toMatch(/^\d+$/);
        javaPid = Number(found);
        const status = await readFile(`/proc/${javaPid}/status`, 'utf8');
        expect(status).toMatch(/^Name:\s+java$/m);
        expect(status).toMatch(new RegExp(`^PPid:\\s+${process.pid}$`, 'm'));
      } finally {
        await env.teardown();
      }
      expect(await until(async () => !(await portIsOpen(port)), 10_000)).toBe(true);
      expect(await until(() => !isAlive(javaPid!), 10_000)).toBe(true);
    },
    BUILD_TIMEOUT,
  );
});
