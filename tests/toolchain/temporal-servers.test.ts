/**
 * Where the Temporal servers come from when the binaries cannot be had: a clear error naming the
 * way out, or — only when explicitly allowed — the SDK's own download.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sdkDownloadAllowed, testServerExecutable } from '../../scripts/toolchain/temporal-servers';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('temporal server executables', () => {
  it('uses the built or cached test server when there is one', async () => {
    expect(await testServerExecutable()).toMatchObject({ type: 'existing-path', path: expect.stringMatching(/temporal-test-server$/) });
  });

  it('fails with the reason and the way out when the binary cannot be had and downloads are not allowed', async () => {
    process.env.DUBAN_TEMPORAL_TEST_SERVER = '/nonexistent/temporal-test-server';
    delete process.env.DUBAN_TEMPORAL_DOWNLOAD;
    await expect(testServerExecutable()).rejects.toThrow(/DUBAN_TEMPORAL_TEST_SERVER[\s\S]*DUBAN_TEMPORAL_DOWNLOAD=1/);
  });

  it("falls back to the SDK's download only when DUBAN_TEMPORAL_DOWNLOAD=1", async () => {
    process.env.DUBAN_TEMPORAL_TEST_SERVER = '/nonexistent/temporal-test-server';
    process.env.DUBAN_TEMPORAL_DOWNLOAD = '1';
    expect(await testServerExecutable()).toEqual({ type: 'cached-download' });
    expect(sdkDownloadAllowed({ DUBAN_TEMPORAL_DOWNLOAD: 'yes' })).toBe(false);
  });
});
