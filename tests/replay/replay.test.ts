/**
 * Replays histories recorded from earlier versions of the workflow code against the current
 * code: a change that would break workflows already running in production fails here. Every
 * workflow kind the worker runs has at least one recorded history, so a new kind without one
 * fails too (record it: `npm run record-histories -- <scenario>`, README "Changing a workflow").
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromObject } from './history-json';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import * as workflows from '../../workflows/index';
import { quietRuntime } from '../support/workflow-env';

const DIR = fileURLToPath(new URL('./histories', import.meta.url));
const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
const histories = new Map(await Promise.all(files.map(async (f) => [f, historyFromObject(JSON.parse(await readFile(join(DIR, f), 'utf8')))] as const)));

describe('recorded histories replay on the current workflow code', () => {
  it('has a history of every workflow kind the worker runs', () => {
    const recorded = new Set([...histories.values()].map((h) => h.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
    const kinds = Object.keys(workflows);
    expect(kinds.length).toBeGreaterThanOrEqual(9);
    expect(kinds.filter((kind) => !recorded.has(kind))).toEqual([]);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    quietRuntime();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, histories.get(file)!, file);
  });
});
