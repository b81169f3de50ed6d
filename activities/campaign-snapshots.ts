/**
 * The campaign burn-down's snapshots, taken for the snapshot schedule's workflow. A first run for
 * a campaign whose cut-off is long past takes many days; it heartbeats per day, and each day is
 * stored as it is taken, so a retry resumes where the last attempt stopped.
 */
import { Context } from '@temporalio/activity';
import { takeCampaignSnapshots } from '../db/campaign-snapshots';
import type { SnapshotRun } from '../domain/campaign-burndown';
import type { Database } from '../db/client';

export function createCampaignSnapshotActivities(db: Database) {
  return {
    /** `at`: the run's instant; its Shanghai date is "today" (provisional), every day before it final. */
    snapshotCampaigns(input: { at: number }): Promise<SnapshotRun> {
      return takeCampaignSnapshots(db, input.at, (day) => Context.current().heartbeat(day));
    },
  };
}
