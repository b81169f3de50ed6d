/**
 * Histories of the workflows a Schedule starts (the campaign burn-down's snapshots, a region's
 * review pack) and of the benchmark's bare baseline: each one activity call or a few.
 */
import { createCampaign } from '../../db/campaigns';
import { addDays } from '../../domain/shanghai-time';
import type { ReviewPackInput } from '../../workflows/review-pack.workflow';
import type { Recording } from './recording';

export async function recordScheduled(rec: Recording): Promise<void> {
  const { db, region, taskQueue, record, today } = rec;

  // A campaign whose cut-off is three days past: the run takes those days back.
  await record('campaign-snapshots', async () => {
    const t = await today();
    await createCampaign(db, 'recorder', region.path, { name: '回放百日清零', regionId: region.id, cutoff: addDays(t, -3), target: addDays(t, 30) });
    const workflowId = 'campaign-snapshots-replay';
    await rec.env.client.workflow.execute('campaignSnapshotWorkflow', { workflowId, taskQueue, args: [] });
    return workflowId;
  });

  // The city's pack for the window just ended, as its Schedule starts it.
  await record('review-pack', async () => {
    const workflowId = `review-pack-${region.id}`;
    const input: ReviewPackInput = { regionId: region.id, everyMonths: 2 };
    await rec.env.client.workflow.execute('reviewPackWorkflow', { workflowId, taskQueue, args: [input] });
    return workflowId;
  });

  await record('bare', async () => {
    const workflowId = 'bare-replay';
    await rec.env.client.workflow.execute('bareWorkflow', { workflowId, taskQueue, args: [3] });
    return workflowId;
  });

  await record('bare-local', async () => {
    const workflowId = 'bare-local-replay';
    await rec.env.client.workflow.execute('bareLocalWorkflow', { workflowId, taskQueue, args: [3] });
    return workflowId;
  });
}
