/**
 * Replays the recorded histories with every scheduled activity captured: the current code must
 * schedule each activity with the arguments the history holds. The records' event payloads and
 * step keys are hashed into the audit chain and key the activities' idempotency, so moving where
 * they are shaped (workflow or domain) must leave them exactly as they were.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type InjectedSinks } from '@temporalio/worker';
import { defaultPayloadConverter } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyFromObject } from './history-json';
import { quietRuntime } from '../support/workflow-env';
import { WORKFLOWS_PATH } from '../../temporal/create-worker';
import type { ActivityCaptureSinks } from '../support/activity-capture.interceptor';

/**
 * An activity's arguments as they can be compared: without the read model's snapshot (recomputed
 * from the state on every record, it has gained fields since older histories were recorded),
 * a notice record without its event's `provisional` (on `issued` and `calendar_applied`: since
 * provisional later steps were told apart it is computed otherwise than when they were recorded),
 * and a closure without its `onTime` verdict (added to `review_accepted` after the recordings; it
 * is derived from the state the rest of the record already pins).
 */
function comparable(type: string, args: unknown[]): unknown[] {
  return args.map((a) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a) || !('snapshot' in a)) return a;
    const { snapshot: _snapshot, ...rest } = a as Record<string, unknown>;
    const event = rest.event as { type?: string; data?: Record<string, unknown> } | undefined;
    const added = type === 'recordNoticeStep' ? 'provisional' : event?.type === 'review_accepted' ? 'onTime' : null;
    if (!added || !event?.data || !(added in event.data)) return rest;
    const { [added]: _added, ...data } = event.data;
    return { ...rest, event: { ...event, data } };
  });
}

const DIR = fileURLToPath(new URL('./histories', import.meta.url));
/** The task queue the SDK's replayer names for the run it replays. */
const REPLAY_QUEUE = /^fake_replay_queue-\d+$/;
/**
 * The benchmark's second baseline runs its steps as local activities: its history holds markers,
 * not scheduled activities, so there is nothing here to compare (replay.test.ts replays it).
 */
const LOCAL_ONLY = new Set(['bare-local.json']);
const files = (await readdir(DIR)).filter((f) => f.endsWith('.json') && !LOCAL_ONLY.has(f)).sort();

let code = '';
beforeAll(async () => {
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [fileURLToPath(new URL('../support/activity-capture.interceptor.ts', import.meta.url))],
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  code = bundle.code;
}, 120_000);

describe('replayed histories schedule the activities they recorded, with the same arguments', () => {
  it.each(files)('%s', async (file) => {
    quietRuntime();
    const history = historyFromObject(JSON.parse(await readFile(join(DIR, file), 'utf8')));
    const recorded = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => {
        const a = e.activityTaskScheduledEventAttributes!;
        return { type: a.activityType!.name!, args: comparable(a.activityType!.name!, (a.input?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p))) };
      });
    const scheduled: Array<{ type: string; args: unknown[] }> = [];
    // The replayer runs the workflow on a queue of its own: an argument naming the run's queue
    // (a stock import's `hazardQueue`) is compared as the queue the history ran on.
    const queue = history.events?.[0]?.workflowExecutionStartedEventAttributes?.taskQueue?.name;
    const asRecorded = (_key: string, v: unknown) => (typeof v === 'string' && REPLAY_QUEUE.test(v) ? queue : v);
    const sinks: InjectedSinks<ActivityCaptureSinks> = {
      activities: { scheduled: { fn: (_info, type, args) => void scheduled.push({ type, args: comparable(type, JSON.parse(JSON.stringify(args), asRecorded) as unknown[]) }), callDuringReplay: true } },
    };
    // The run's own id: the overdue moment's offset is derived from it.
    const workflowId = recorded.map((r) => (r.args[0] as { workflowId?: string } | null)?.workflowId).find(Boolean);
    await Worker.runReplayHistory({ workflowBundle: { code }, sinks }, history, workflowId ?? file);
    expect(recorded.length).toBeGreaterThan(0);
    expect(scheduled).toEqual(recorded);
  });
});
