/** The workflows this worker runs; the bundler starts here. */
export { hazardWorkflow } from './hazard.workflow';
export { bareLocalWorkflow, bareWorkflow } from './bare.workflow';
export { noticeWorkflow } from './notice.workflow';
export { suspensionWorkflow } from './suspension.workflow';
export { calendarPublicationWorkflow } from './calendar-publication.workflow';
export { bulkUrgeWorkflow } from './bulk-urge.workflow';
export { campaignSnapshotWorkflow } from './campaign-snapshots.workflow';
export { reviewPackWorkflow } from './review-pack.workflow';
export { stockImportWorkflow } from './stock-import.workflow';
export { stockJudgingWorkflow } from './stock-judging.workflow';
