/** Hazard histories: the ladder, major-hazard supervision, calendars, reopening, people and policy changes, 催办. */
import { importCalendarYear } from '../../db/calendar';
import { savePolicy } from '../../db/policies';
import { roundExtensions } from '../../domain/extension';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { weekday, WorkCalendar } from '../../domain/work-calendar';
import { calendarChangedSignal } from '../../workflows/calendar-signal';
import {
  assignUpdate,
  changePolicyUpdate,
  decideExtensionUpdate,
  filePlanUpdate,
  hazardWorkflowId,
  recordAcceptanceUpdate,
  registeredUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitRectificationUpdate,
  voidUpdate,
} from '../../workflows/hazard.messages';
import { attachNoticeSignal } from '../../workflows/notice-link';
import { bulkUrgeSignal, urgeUpdate } from '../../workflows/urge.messages';
import { DAY, festival, FIRST_MAJOR_POLICY, hazardInput, type Recording } from './recording';

export async function recordHazards(rec: Recording): Promise<void> {
  const { db, taskQueue, record, today } = rec;
  // Reminders, overdue, the whole ladder, a late submission, a rejection, a second round, closure.
  const fullLife = async () => {
    const i = hazardInput(rec, addDays(await today(), 10), {}, FIRST_MAJOR_POLICY);
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await rec.env.sleep(30 * DAY);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], newDeadline: addDays(await today(), 5), by: 'insp' }] });
    await rec.env.sleep(2 * DAY);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e2'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  };
  await record('hazard-full-life', fullLife);
  // The same life with the overdue mark at the hazard's own offset after midnight.
  await record('hazard-full-life-spread', fullLife);

  // Stock entered already overdue: the ladder catches up at once; closed on first review.
  await record('hazard-imported-overdue', async () => {
    const i = hazardInput(rec, addDays(await today(), -8), {}, FIRST_MAJOR_POLICY);
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });

  // A major hazard on the working-day calendar (fetched by the workflow): joins a notice, files its
  // five-point plan, is reassigned, submits; the review runs late (escalated); the enterprise
  // and an expert accept; the review closes it. Then it is reopened in a new run and voided.
  const supervisionLife = async () => {
    const i = hazardInput(rec, addDays(await today(), 20));
    i.hazard = { ...i.hazard, listingLevel: 'city', assignment: { supervisor: 'insp', enterpriseContact: null, delegate: null } };
    const id = hazardWorkflowId(i.hazard.hazardId);
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: id, taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await h.signal(attachNoticeSignal, { noticeId: 'replay-notice', workflowId: 'notice-replay-notice' });
    await h.executeUpdate(filePlanUpdate, { args: [{ measures: '更换', funds: 1000, deadline: i.hazard.deadline, responsiblePerson: '王', contingencyPlan: '停用', by: 'ent' }] });
    await h.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: 'insp-2', reason: '培训', by: 'insp' }] });
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
    await rec.env.sleep(20 * DAY);
    await h.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'enterprise', passed: true, opinion: '合格', signatory: '王', by: 'ent' }] });
    await h.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'expert', passed: true, opinion: '合格', signatory: '张', by: 'insp' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  };
  await record('hazard-supervision', supervisionLife);
  // The same life on one workflow core (shared commands and clock; search attributes upserted when changed).
  await record('hazard-supervision-one-core', supervisionLife);

  // A counted deadline reaching into an unpublished year, moved when the year is published; voided.
  await record('hazard-calendar-void', async () => {
    const from = await today();
    const known = new WorkCalendar([]);
    const rule = { from, days: 25, unit: 'working' as const, legalBasis: '回放' };
    const i = hazardInput(rec, known.addWorkingDays(from, 25).date);
    i.hazard = { ...i.hazard, grade: 'general', policy: DEFAULT_POLICIES.general, deadlineRule: rule, calendar: [] };
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    const year = Number(from.slice(0, 4));
    await h.signal(calendarChangedSignal, { year, source: 'replay', holidays: [{ date: addDays(from, 3), name: '回放假日' }], workdays: [] });
    await rec.env.sleep(2 * DAY);
    await h.executeUpdate(voidUpdate, { args: [{ kind: 'misreport', reason: '误报', by: 'leader' }] });
    await h.result();
    return h.workflowId;
  });

  // A closed hazard reopened in a new run of its workflow, then closed again.
  await record('hazard-reopened', async () => {
    const first = hazardInput(rec, addDays(await today(), 5));
    const id = hazardWorkflowId(first.hazard.hazardId);
    const h1 = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: id, taskQueue, args: [first] });
    await h1.executeUpdate(registeredUpdate);
    await h1.executeUpdate(filePlanUpdate, { args: [{ measures: '更换', funds: 1000, deadline: first.hazard.deadline, responsiblePerson: '王', contingencyPlan: '停用', by: 'ent' }] });
    await h1.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
    await h1.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'enterprise', passed: true, opinion: '合格', signatory: '王', by: 'ent' }] });
    await h1.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'expert', passed: true, opinion: '合格', signatory: '张', by: 'insp' }] });
    const closed = await h1.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h1.result();
    const at = await rec.env.currentTimeMs();
    const newDeadline = addDays(shanghaiDate(at), 10);
    const h2 = await rec.env.client.workflow.start('hazardWorkflow', {
      workflowId: id,
      taskQueue,
      args: [
        {
          ...first,
          carried: {
            ...first.hazard, status: 'closed', round: closed.round, roundStartedAt: at, fired: [], overdueSince: null, escalationLevel: 0, submission: null,
            closedAt: Date.parse(closed.closedAt!), extension: roundExtensions(first.hazard.deadline), seq: 20, calendar: [],
          },
          reopen: { reason: '复现', newDeadline, by: 'leader', at },
        },
      ],
    });
    await h2.executeUpdate(registeredUpdate);
    await h2.executeUpdate(filePlanUpdate, { args: [{ measures: '重新整改', funds: 2000, deadline: newDeadline, responsiblePerson: '王', contingencyPlan: '停用', by: 'ent' }] });
    await rec.env.sleep(12 * DAY);
    await h2.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e2'], note: '', by: 'ent' }] });
    await h2.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'enterprise', passed: true, opinion: '合格', signatory: '王', by: 'ent' }] });
    await h2.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'expert', passed: true, opinion: '合格', signatory: '张', by: 'insp' }] });
    await h2.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h2.result();
    return h2.workflowId;
  });

  // A general hazard whose people change (reassigned, delegated, the delegation withdrawn), moved to
  // a new policy version, whose extensions are denied, approved, and let lapse by a submission.
  await record('hazard-people-policy-extensions', async () => {
    const deadline = addDays(await today(), 20);
    const i = hazardInput(rec, deadline, {}, DEFAULT_POLICIES.general);
    i.hazard = { ...i.hazard, grade: 'general', assignment: { supervisor: 'insp', enterpriseContact: 'ent', delegate: null } };
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await h.executeUpdate(assignUpdate, { args: [{ kind: 'reassign', role: 'supervisor', to: 'insp-2', reason: '调岗', by: 'leader' }] });
    await h.executeUpdate(assignUpdate, { args: [{ kind: 'reassign', role: 'enterprise_contact', to: 'ent-2', reason: '离职', by: 'leader' }] });
    await h.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: 'insp-3', reason: '出差', by: 'insp-2' }] });
    await h.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: null, reason: '返回', by: 'insp-2' }] });
    const saved = await savePolicy(db, 'recorder', { grade: 'general' }, DEFAULT_POLICIES.general, '回放');
    await h.executeUpdate(changePolicyUpdate, { args: [{ policyId: saved.id, version: saved.version, policy: DEFAULT_POLICIES.general, reason: '新版本', by: 'leader' }] });
    await h.executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: addDays(deadline, 5), reason: '备件', by: 'ent-2' }] });
    await h.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'deny', reason: '理由不足', by: 'insp-2' }] });
    await h.executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: addDays(deadline, 10), reason: '备件未到', by: 'ent-2' }] });
    await h.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', newDeadline: addDays(deadline, 7), by: 'insp-2' }] });
    await rec.env.sleep(3 * DAY);
    await h.executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: addDays(deadline, 12), reason: '再等', by: 'ent-2' }] });
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '已改', by: 'ent-2' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', comment: '通过', by: 'insp-2' }] });
    await h.result();
    return h.workflowId;
  });


  // A hazard started on this year's calendar alone; the next year is published without telling
  // it. Its rejection's new round in January fetches that year (patch fetch-missing-calendar-years),
  // and its escalations count the festival; accepted in the end.
  await record('hazard-calendar-fetched', async () => {
    const from = await today();
    const year = Number(from.slice(0, 4));
    const i = hazardInput(rec, addDays(from, 5));
    i.hazard = { ...i.hazard, grade: 'general', policy: DEFAULT_POLICIES.general, calendar: [{ year, source: 'replay', holidays: [], workdays: [] }] };
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
    let newDeadline = `${year + 1}-01-14`;
    while (weekday(newDeadline) % 6 === 0) newDeadline = addDays(newDeadline, 1);
    await importCalendarYear(db, 'recorder', festival(addDays(newDeadline, 1)));
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], newDeadline, by: 'insp' }] });
    await rec.env.sleep(Date.parse(`${newDeadline}T00:00:00+08:00`) + 40 * DAY - (await rec.env.currentTimeMs()));
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e2'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });


  // 催办: a leader urges an overdue hazard, a second urge is refused and a bulk urge's signal
  // passed over within the quiet window; a day later a bulk urge's signal urges it; then it closes.
  await record('hazard-urged', async () => {
    const i = hazardInput(rec, addDays(await today(), -2), {}, FIRST_MAJOR_POLICY);
    const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
    await h.executeUpdate(registeredUpdate);
    await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader', message: '限期整改' }] });
    await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader-2' }] }).catch(() => undefined);
    await h.signal(bulkUrgeSignal, { by: 'leader-2', message: '统一催办', bulkUrgeId: null });
    await rec.env.sleep(DAY + 60_000);
    await h.signal(bulkUrgeSignal, { by: 'leader-2', message: '统一催办', bulkUrgeId: null });
    await rec.env.sleep(60_000);
    await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e'], note: '', by: 'ent' }] });
    await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });
}
