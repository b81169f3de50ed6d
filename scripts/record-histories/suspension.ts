/** Suspension (停产停业) histories: reminders, the maximum reached, resumption refused and approved. */
import { randomUUID } from 'node:crypto';
import { addDays } from '../../domain/shanghai-time';
import {
  applyResumptionUpdate,
  extendSuspensionUpdate,
  liftSuspensionUpdate,
  orderedUpdate,
  reviewResumptionUpdate,
  suspensionWorkflowId,
  type SuspensionWorkflowInput,
} from '../../workflows/suspension.messages';
import { DAY, type Recording } from './recording';

export async function recordSuspensions(rec: Recording): Promise<void> {
  const { ent, taskQueue, record, today } = rec;
  // A suspension left to run: reminders, the review overdue, the maximum reached; then lifted.
  await record('suspension-maximum-lifted', async () => {
    const startsOn = await today();
    const i: SuspensionWorkflowInput = {
      suspension: {
        suspensionId: randomUUID(), enterpriseId: ent.id, hazardId: null, origin: null, documentNumber: '回放应急停〔2026〕2号',
        reason: '回放', scope: 'partial', scopeNote: '一号车间', startsOn, plannedEnd: addDays(startsOn, 10), maxDays: 20, orderedBy: 'recorder',
      },
    };
    const h = await rec.env.client.workflow.start('suspensionWorkflow', { workflowId: suspensionWorkflowId(i.suspension.suspensionId), taskQueue, args: [i] });
    await h.executeUpdate(orderedUpdate);
    await rec.env.sleep(22 * DAY);
    await h.executeUpdate(liftSuspensionUpdate, { args: [{ documentNumber: '回放解〔2026〕1号', reason: '整改完成', by: 'leader' }] });
    await h.result();
    return h.workflowId;
  });

  // A suspension: reminders, a rejected resumption with a new planned end, an extension, the
  // review-overdue escalation, then an approved resumption.
  const suspensionLife = async () => {
    const startsOn = await today();
    const i: SuspensionWorkflowInput = {
      suspension: {
        suspensionId: randomUUID(), enterpriseId: ent.id, hazardId: null, origin: { type: 'notice_decision', id: 'replay' }, documentNumber: '回放应急停〔2026〕1号',
        reason: '回放', scope: 'full', scopeNote: '', startsOn, plannedEnd: addDays(startsOn, 20), maxDays: 60, orderedBy: 'recorder',
      },
    };
    const h = await rec.env.client.workflow.start('suspensionWorkflow', { workflowId: suspensionWorkflowId(i.suspension.suspensionId), taskQueue, args: [i] });
    await h.executeUpdate(orderedUpdate);
    await rec.env.sleep(19 * DAY);
    const passed = { note: '', evidence: ['e1'], selfCheck: { passed: true, summary: '合格' }, by: 'ent' };
    await h.executeUpdate(applyResumptionUpdate, { args: [passed] });
    await h.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], plannedEnd: addDays(startsOn, 30), by: 'insp' }] });
    await h.executeUpdate(extendSuspensionUpdate, { args: [{ plannedEnd: addDays(startsOn, 35), reason: '延长', by: 'leader' }] });
    await rec.env.sleep(20 * DAY);
    await h.executeUpdate(applyResumptionUpdate, { args: [passed] });
    await h.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'approve', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  };
  await record('suspension-full-life', suspensionLife);
  // The same life on the code after one drain before continue-as-new and shared refusals.
  await record('suspension-full-life-drained', suspensionLife);
  await record('suspension-full-life-one-core', suspensionLife);
}
