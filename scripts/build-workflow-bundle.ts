/**
 * Builds the production workflow bundle: the worker loads it (WORKFLOW_BUNDLE_PATH) instead of
 * running webpack over workflows/ at every start. The Dockerfile runs this at image build time.
 *
 *   tsx scripts/build-workflow-bundle.ts [out-file]     (default dist/workflow-bundle.js)
 *
 * A forbidden import in workflows/ (anything non-deterministic) fails the build here, not at start.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../temporal/create-worker';

export const DEFAULT_BUNDLE_PATH = 'dist/workflow-bundle.js';

export async function buildWorkflowBundle(outFile: string): Promise<{ path: string; bytes: number }> {
  const path = resolve(outFile);
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, code);
  return { path, bytes: Buffer.byteLength(code) };
}

const noop = () => undefined;
/** webpack's progress chatter stays out of build logs; warnings and errors come through. */
const quietLogger = { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error };

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { path, bytes } = await buildWorkflowBundle(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
  console.log(`workflow bundle written to ${path} (${(bytes / 1024).toFixed(1)} KiB, ${bytes} bytes)`);
}
