/**
 * Inspection runs in worker threads: the thread that answers requests stays free while a
 * hostile file is read, and a file that takes too long is refused and its worker replaced.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EvidenceInspector } from '../../evidence/inspector';
import { SAMPLE_JPEG, SAMPLE_PDF } from '../../scripts/sample-files';
import { onePage } from '../support/pdf-builder';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Two million values: a second or more of work for the PDF reader. */
const HEAVY = onePage(`/X[${'0 '.repeat(1_900_000)}]`);

/** The longest the event loop went without running a timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = Date.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('the evidence inspector', () => {
  const inspector = new EvidenceInspector({ workers: 1, timeoutMs: 60_000 });
  // Far below the heavy file's second, far above a small file's few milliseconds even on a loaded machine.
  const hasty = new EvidenceInspector({ workers: 1, timeoutMs: 400 });
  afterAll(async () => {
    await Promise.all([inspector.close(), hasty.close()]);
  });

  it('inspects in a worker: the same verdicts, capture time included', async () => {
    expect(await inspector.inspect(SAMPLE_JPEG)).toEqual({ ok: true, mediaType: 'image/jpeg', ext: 'jpg', capturedAt: new Date('2026-11-20T02:30:00.000Z') });
    expect(await inspector.inspect(SAMPLE_PDF)).toMatchObject({ ok: true, mediaType: 'application/pdf' });
    expect(await inspector.inspect(Buffer.from('MZ'))).toMatchObject({ ok: false });
  });

  it('keeps the calling thread free while a heavy file is read', async () => {
    let verdict: unknown;
    const stall = await longestStall(async () => {
      verdict = await inspector.inspect(HEAVY);
    });
    expect(verdict).toMatchObject({ ok: true });
    expect(stall).toBeLessThan(400);
  });

  it('drops a queued file whose request has gone, unread', async () => {
    const gone = new AbortController();
    const first = hasty.inspect(HEAVY);
    const queued = hasty.inspect(SAMPLE_PDF, gone.signal);
    gone.abort(new Error('deadline passed'));
    await expect(queued).rejects.toThrow('deadline passed');
    await first;
    await expect(hasty.inspect(SAMPLE_PDF, gone.signal)).rejects.toThrow('deadline passed');
  });

  it('refuses a file that takes longer than allowed, and goes on with the next', async () => {
    const [slow, next] = await Promise.all([hasty.inspect(HEAVY), hasty.inspect(SAMPLE_PDF)]);
    expect(slow).toMatchObject({ ok: false, tooComplex: true, reason: expect.stringMatching(/too complex to inspect/) });
    expect(next).toMatchObject({ ok: true });
  });
});

describe('a process using the evidence inspector', () => {
  // The API and the benchmarks end when their work is done: an idle inspector must not hold the
  // process open, and one still reading a file must (its caller awaits the verdict).
  it('ends by itself once the verdict is in', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/inspect-once.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out.trim()).toBe('{"ok":true}');
    expect(code).toBe(0);
  }, 40_000);
});
