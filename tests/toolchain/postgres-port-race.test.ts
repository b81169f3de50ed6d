/**
 * A port found free can be taken before Postgres binds it (other test files start servers side by
 * side): the embedded Postgres then chooses another port rather than failing its caller.
 */
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';

const taken: Server[] = [];
vi.mock('../../scripts/toolchain/ports', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../scripts/toolchain/ports')>();
  let first = true;
  return {
    ...real,
    // The first port handed out is taken by someone else before Postgres starts on it.
    freePort: async () => {
      const port = await real.freePort();
      if (first) {
        first = false;
        const squatter = createServer();
        await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
        taken.push(squatter);
      }
      return port;
    },
  };
});

const { startEmbeddedPostgres } = await import('../../scripts/toolchain/postgres');

afterAll(() => {
  for (const s of taken) s.close();
});

describe('embedded Postgres on a port taken meanwhile', () => {
  it('starts on another port', async () => {
    const work = await mkdtemp(join(tmpdir(), 'duban-port-race-'));
    await chmod(work, 0o711);
    const said: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false, log: (m) => said.push(m) });
    try {
      const squatted = (taken[0]!.address() as { port: number }).port;
      expect(server.port).not.toBe(squatted);
      expect(said.some((m) => m.includes(`port ${squatted} was taken`))).toBe(true);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query('select 1 as one')).rows[0]).toEqual({ one: 1 });
      await client.end();
    } finally {
      await server.stop();
      await rm(work, { recursive: true, force: true });
    }
  }, 120_000);
});
