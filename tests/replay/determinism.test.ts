/**
 * The replay test is what stops a change that would break running workflows: here a deliberately
 * altered bundle (a workflow sleeping before its first step, without `patched()`) replays a
 * recorded history and must fail with a DeterminismViolationError, while the same history replays
 * on the real bundle. If this test ever passes an altered bundle, CI no longer guards determinism.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../temporal/create-worker';
import { quietRuntime } from '../support/workflow-env';
import { historyFromObject } from './history-json';

const LOADER = fileURLToPath(new URL('./alter-workflow-loader.cjs', import.meta.url));

const CASES = [
  {
    kind: 'hazard',
    source: /hazard\.workflow\.ts$/,
    marker: 'export async function hazardWorkflow(input: HazardWorkflowInput): Promise<HazardView> {',
    history: 'hazard-full-life.json',
  },
  {
    kind: 'stock import',
    source: /stock-import\.workflow\.ts$/,
    marker: 'export async function stockImportWorkflow(input: StockImportInput): Promise<{ workflowsStarted: number }> {',
    history: 'stock-import.json',
  },
];

describe('determinism is guarded by the recorded histories', () => {
  it.each(CASES)('fails the replay of a recorded $kind history on a workflow changed without patched()', async ({ kind, source, marker, history: file }) => {
    quietRuntime();
    const history = historyFromObject(JSON.parse(await readFile(fileURLToPath(new URL(`./histories/${file}`, import.meta.url)), 'utf8')));
    // The real bundle replays it.
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, `${kind}-real`);
    const altered = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
      webpackConfigHook: (config) => {
        config.module!.rules!.push({ test: source, enforce: 'pre', use: [{ loader: LOADER, options: { marker } }] });
        return config;
      },
    });
    expect(altered.code).toContain('4321');
    const failure = await Worker.runReplayHistory({ workflowBundle: altered }, history, `${kind}-altered`).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DeterminismViolationError);
  }, 120_000);
});
