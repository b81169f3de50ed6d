/** Bulk urge (批量催办) histories: a region's overdue hazards and notice urged a page per run. */
import { addDays } from '../../domain/shanghai-time';
import { BulkUrger } from '../../temporal/bulk-urge';
import { hazardWorkflowId, registeredUpdate } from '../../workflows/hazard.messages';
import { noticeIssuedUpdate, noticeWorkflowId } from '../../workflows/notice.messages';
import { firstAndLastRuns, FIRST_MAJOR_POLICY, hazardInput, noticeInput, type Recording } from './recording';

export async function recordBulkUrges(rec: Recording): Promise<void> {
  const { region, taskQueue, record, today } = rec;

  // Two overdue hazards and an overdue notice; one item a page, so each run continues as new.
  await record('bulk-urge', async () => {
    for (const days of [-2, -5]) {
      const i = hazardInput(rec, addDays(await today(), days), {}, FIRST_MAJOR_POLICY);
      const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
    }
    const n = noticeInput(rec, addDays(await today(), -1));
    await (await rec.env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(n.notice.noticeId), taskQueue, args: [n] })).executeUpdate(noticeIssuedUpdate);
    const scope = { kind: 'region' as const, regionId: region.id, regionPath: region.path, reachPath: region.path };
    const started = await new BulkUrger(rec.env.client, taskQueue, 1).start({ by: 'leader', message: '统一催办', scope });
    if (!started) throw new Error('the bulk urge did not start');
    await rec.env.client.workflow.getHandle(started.bulkUrgeId).result();
    return firstAndLastRuns(rec, 'bulk-urge', started.bulkUrgeId);
  });
}
