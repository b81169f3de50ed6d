/**
 * The replay test is what stops a change that would break running workflows: here a deliberately
 * altered bundle (the hazard workflow sleeping before its first step, without `patched()`)
 * replays a recorded history and must fail with a DeterminismViolationError, while the same
 * history replays on the real bundle. If this test ever passes the altered bundle, CI no longer
 * guards determinism.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../temporal/create-worker';
import { quietRuntime } from '../support/workflow-env';
import { historyFromObject } from './history-json';

const HISTORY = fileURLToPath(new URL('./histories/hazard-full-life.json', import.meta.url));
const LOADER = fileURLToPath(new URL('./alter-workflow-loader.cjs', import.meta.url));

describe('determinism is guarded by the recorded histories', () => {
  it('fails the replay of a recorded hazard history on a workflow changed without patched()', async () => {
    quietRuntime();
    const history = historyFromObject(JSON.parse(await readFile(HISTORY, 'utf8')));
    // The real bundle replays it.
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, 'hazard-real');
    const altered = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
      webpackConfigHook: (config) => {
        config.module!.rules!.push({ test: /hazard\.workflow\.ts$/, enforce: 'pre', use: [{ loader: LOADER }] });
        return config;
      },
    });
    expect(altered.code).toContain('4321');
    const failure = await Worker.runReplayHistory({ workflowBundle: altered }, history, 'hazard-altered').then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DeterminismViolationError);
  }, 120_000);
});
