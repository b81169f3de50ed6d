/**
 * The dev server's SQLite store busy for a moment (a long write elsewhere, or a queue behind its
 * one connection under load): a workflow start that carries search attributes waits it out and
 * succeeds. With the CLI's default (`system.forceSearchAttributesCacheRefreshOnRead`), every such
 * start reads the namespace from the store, and a failed read is answered
 * "Namespace default is not found." — a NotFound no client retries.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../scripts/toolchain/dev-server';
import { ensureTemporalCli } from '../../scripts/toolchain/temporal-cli';
import { DubanStatus, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const LOCK_MS = 3_000;

let dir: string;
let server: DevServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-busy-store-'));
  server = await startDevServer({ cliPath: await ensureTemporalCli(), dbFile: join(dir, 'temporal.db'), searchAttributes: { ...SEARCH_ATTRIBUTES } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

/** Holds SQLite's exclusive lock on the file for `ms` (the server's reads and writes get SQLITE_BUSY meanwhile). */
async function lockStore(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const sqlite = spawn('sqlite3', ['-bail', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let said = '';
  sqlite.stdout.on('data', (c: Buffer) => (said += c.toString()));
  sqlite.stderr.on('data', (c: Buffer) => (said += c.toString()));
  const done = new Promise<void>((resolve, reject) => {
    sqlite.once('error', (err) => reject(new Error(`sqlite3 could not run (Debian's sqlite3 package; .ci/run installs it): ${err.message}`)));
    sqlite.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`sqlite3 exited with ${code}: ${said}`))));
  });
  sqlite.stdin.on('error', () => undefined); // sqlite3 missing: the error above says so
  // .timeout: the server itself holds the lock now and then; wait for it rather than fail.
  sqlite.stdin.write(`.timeout 10000\nBEGIN EXCLUSIVE;\nSELECT 'locked';\n.shell sleep ${ms / 1000}\nCOMMIT;\n.quit\n`);
  // The lock is held once sqlite3 has answered the statement after BEGIN.
  const deadline = Date.now() + 10_000;
  let failed: Error | undefined;
  done.catch((err: Error) => (failed = err));
  while (!said.includes('locked')) {
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`sqlite3 took no lock: ${said}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { released: done };
}

describe('Temporal dev server with its store busy', () => {
  it('starts a workflow with search attributes once the store is free, never answering that its namespace is missing', async () => {
    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection });
      const { released } = await lockStore(join(dir, 'temporal.db'), LOCK_MS);
      const began = Date.now();
      const handle = await client.workflow.start('busyStoreProbe', {
        workflowId: `busy-store-${began}`,
        taskQueue: 'busy-store',
        typedSearchAttributes: [{ key: DubanStatus, value: 'open' }],
      });
      await released;
      // It waited for the lock rather than failing at once.
      expect(Date.now() - began).toBeGreaterThan(LOCK_MS / 2);
      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(DubanStatus)).toBe('open');
    } finally {
      await connection.close();
    }
  }, 120_000);
});
