/** Notice histories: the instrument ladder, 催办, and calendar years fetched before a step. */
import { confirmCompletionUpdate, decideUpdate, extendDeadlineUpdate, noticeIssuedUpdate, noticeStateQuery, noticeWorkflowId } from '../../workflows/notice.messages';
import { bulkUrgeSignal, urgeUpdate } from '../../workflows/urge.messages';
import { importCalendarYear } from '../../db/calendar';
import { addDays } from '../../domain/shanghai-time';
import { weekday } from '../../domain/work-calendar';
import { DAY, festival, noticeInput, type Recording } from './recording';

export async function recordNotices(rec: Recording): Promise<void> {
  const { db, taskQueue, record, today } = rec;
  // A notice to a township: nothing to sign, overdue, the whole instrument ladder, a decision
  // opened and taken, closed by confirmation.
  const noticeLife = async () => {
    const i = noticeInput(rec, addDays(await today(), 3));
    const h = await rec.env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(i.notice.noticeId), taskQueue, args: [i] });
    await h.executeUpdate(noticeIssuedUpdate);
    await rec.env.sleep(40 * DAY);
    const [first] = (await h.query(noticeStateQuery)).decisions;
    await h.executeUpdate(decideUpdate, { args: [{ decisionId: first!.id, outcome: 'taken', documentNumber: '回放约〔2026〕1号', reason: '逾期', by: 'leader' }] });
    await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  };
  await record('notice-full-life', noticeLife);
  await record('notice-full-life-one-core', noticeLife);
  await record('notice-full-life-spread-overdue', noticeLife);

  // A notice to the city urged, refused a second urge, closed by confirmation.
  await record('notice-urged', async () => {
    const i = noticeInput(rec, addDays(await today(), 3));
    const h = await rec.env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(i.notice.noticeId), taskQueue, args: [i] });
    await h.executeUpdate(noticeIssuedUpdate);
    await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader', message: '按期落实' }] });
    await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader' }] }).catch(() => undefined);
    await rec.env.sleep(5 * DAY);
    await h.signal(bulkUrgeSignal, { by: 'leader', message: '统一催办', bulkUrgeId: null });
    await rec.env.sleep(60_000);
    await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });

  // A notice whose ladder after a December deadline reaches the next year, published without
  // telling it: each step asks for the year before it fires (patch
  // fetch-calendar-years-before-provisional-step); its deadline moved into the year after fetches
  // that one (fetch-missing-calendar-years); closed by confirmation.
  await record('notice-calendar-fetched', async () => {
    const from = await today();
    const year = Number(from.slice(0, 4));
    let deadline = `${year}-12-31`;
    while (weekday(deadline) % 6 === 0) deadline = addDays(deadline, -1);
    const i = noticeInput(rec, deadline);
    const h = await rec.env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(i.notice.noticeId), taskQueue, args: [i] });
    await h.executeUpdate(noticeIssuedUpdate);
    await importCalendarYear(db, 'recorder', festival(`${year + 1}-01-01`));
    await rec.env.sleep(Date.parse(`${year + 1}-01-25T00:00:00+08:00`) - (await rec.env.currentTimeMs()));
    await importCalendarYear(db, 'recorder', festival(`${year + 2}-03-02`));
    let moved = `${year + 2}-03-01`;
    while (weekday(moved) % 6 === 0) moved = addDays(moved, -1);
    await h.executeUpdate(extendDeadlineUpdate, { args: [{ newDeadline: moved, reason: '延期', by: 'insp' }] });
    await rec.env.sleep(Date.parse(`${moved}T00:00:00+08:00`) + 20 * DAY - (await rec.env.currentTimeMs()));
    await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
    await h.result();
    return h.workflowId;
  });
}
