/**
 * Replays histories recorded from earlier versions of the workflow code against the current
 * code: a change that would break workflows already running in production fails here.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromObject } from './history-json';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { quietRuntime } from '../support/workflow-env';

const DIR = fileURLToPath(new URL('./histories', import.meta.url));
const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();

describe('recorded histories replay on the current workflow code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    quietRuntime();
    const history = historyFromObject(JSON.parse(await readFile(join(DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file);
  });
});
