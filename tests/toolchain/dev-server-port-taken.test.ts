/**
 * A dev server asked for a port another Temporal server already serves (a port found free and taken
 * before the bind, or a server restarted on its old port meanwhile handed out): its start fails,
 * naming the port and the process, rather than reporting ready because the other server answered
 * there, and leaving its callers to talk to a server that is not theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../scripts/toolchain/dev-server';
import { ensureTemporalCli } from '../../scripts/toolchain/temporal-cli';

let first: DevServer;
let cliPath: string;
beforeAll(async () => {
  cliPath = await ensureTemporalCli();
  first = await startDevServer({ cliPath });
}, 120_000);
afterAll(async () => first?.stop(), 60_000);

describe('Temporal dev server on a port already served', () => {
  it('fails to start, naming the port and its process, though the other server answers there', async () => {
    const port = Number(first.address.split(':')[1]);
    let second: DevServer | undefined;
    try {
      second = await startDevServer({ cliPath, port });
    } catch (error) {
      expect((error as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
      expect((error as Error).message).toMatch(/pid \d+/);
      return;
    } finally {
      await second?.stop();
    }
    expect.fail(`a second dev server reported ready on ${port}, which the first serves`);
  }, 120_000);
});
