/** Every side effect a workflow causes lives here, built from explicit dependencies. */
import type { Database } from '../db/client';
import { createBaselineActivities } from './baseline';
import { createBulkUrgeActivities } from './bulk-urge';
import { createCalendarActivities } from './calendar';
import { createCampaignSnapshotActivities } from './campaign-snapshots';
import { createCalendarPublicationActivities } from './calendar-publication';
import { createHazardRecordActivities } from './hazard-records';
import { createNoticeRecordActivities } from './notice-records';
import { createReviewPackActivities } from './review-packs';
import { createSuspensionRecordActivities } from './suspension-records';
import { createStockImportActivities } from './stock-import';

export interface ActivityDeps {
  db: Database;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createHazardRecordActivities(deps.db),
    ...createNoticeRecordActivities(deps.db),
    ...createCalendarActivities(deps.db),
    ...createCalendarPublicationActivities(deps.db),
    ...createSuspensionRecordActivities(deps.db),
    ...createBulkUrgeActivities(deps.db),
    ...createCampaignSnapshotActivities(deps.db),
    ...createReviewPackActivities(deps.db),
    ...createStockImportActivities(deps.db),
    ...createBaselineActivities(),
  };
}

export type Activities = ReturnType<typeof createActivities>;
