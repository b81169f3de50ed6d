/**
 * `npm run record-histories`: records the histories that the replay test keeps replaying.
 * Each scenario runs the current hazard workflow on the time-skipping server with real
 * activities; the histories are committed, so a later change to workflow code that would break
 * running workflows (non-determinism) fails CI. Re-record only when the old histories can no
 * longer occur in production, and keep the old files when they can: name the scenarios to record
 * (`npm run record-histories -- hazard-supervision`) so the others are left as they are.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { useAuditKey } from '../db/audit-key';
import { createEnterprise, createRegion } from '../db/directory';
import { savePolicy } from '../db/policies';
import { importCalendarYear } from '../db/calendar';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from '../domain/policy';
import { confirmCompletionUpdate, decideUpdate, extendDeadlineUpdate, noticeIssuedUpdate, noticeStateQuery, noticeWorkflowId, type NoticeWorkflowInput } from '../workflows/notice.messages';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import { createDubanWorker } from '../temporal/create-worker';
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
  type HazardWorkflowInput,
} from '../workflows/hazard.messages';
import { calendarChangedSignal } from '../workflows/calendar-signal';
import { attachNoticeSignal } from '../workflows/notice-link';
import { bulkUrgeSignal, urgeUpdate } from '../workflows/urge.messages';
import { roundExtensions } from '../domain/extension';
import { weekday, WorkCalendar, type YearCalendar } from '../domain/work-calendar';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import {
  applyResumptionUpdate,
  extendSuspensionUpdate,
  liftSuspensionUpdate,
  orderedUpdate,
  reviewResumptionUpdate,
  suspensionWorkflowId,
  type SuspensionWorkflowInput,
} from '../workflows/suspension.messages';
import { startEmbeddedPostgres } from './toolchain/postgres';
import { startTimeSkipping, testServerExecutable } from './toolchain/temporal-servers';

import { historyToObject } from '../tests/replay/history-json';

const OUT = fileURLToPath(new URL('../tests/replay/histories', import.meta.url));
const DAY = 86_400_000;
Runtime.install({ logger: new DefaultLogger('WARN') });

const work = await mkdtemp(join(tmpdir(), 'duban-record-'));
await chmod(work, 0o711);
const pg = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false });
const env = await startTimeSkipping(await testServerExecutable(console.log));
const types = proto.temporal.api.enums.v1.IndexedValueType;
const typeOf = { Keyword: types.INDEXED_VALUE_TYPE_KEYWORD, Int: types.INDEXED_VALUE_TYPE_INT, Datetime: types.INDEXED_VALUE_TYPE_DATETIME } as const;
await env.connection.operatorService.addSearchAttributes({
  namespace: 'default',
  searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([k, t]) => [k, typeOf[t]])),
});
// A throwaway database: a throwaway audit key.
useAuditKey(randomBytes(32).toString('hex'));
await migrateDatabase(pg.url);
const database = connectDatabase(pg.url, 4);
const region = await createRegion(database.db, 'recorder', { id: 'replay-city', name: '回放市', level: 'city' });
const ent = await createEnterprise(database.db, 'recorder', { name: '回放企业', creditCode: 'REPLAY-0001', regionId: region.id });
const taskQueue = 'record-histories';
const worker = await createDubanWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db: database.db });

/** The major policy as it was when the first histories were recorded: reminders and the ladder only. */
const FIRST_MAJOR_POLICY = { reminderDaysBefore: DEFAULT_POLICIES.major.reminderDaysBefore, escalation: DEFAULT_POLICIES.major.escalation };

function input(deadline: string, extra: Partial<HazardWorkflowInput> = {}, policy = DEFAULT_POLICIES.major): HazardWorkflowInput {
  const hazardId = randomUUID();
  return {
    hazard: { hazardId, enterpriseId: ent.id, grade: 'major', policy, deadline },
    registration: {
      title: '回放场景隐患', description: '', category: '回放', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: 'recorder',
    },
    ...extra,
  };
}

const only = process.argv.slice(2);

async function record(name: string, scenario: () => Promise<string>) {
  if (only.length && !only.includes(name)) return;
  const workflowId = await scenario();
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(historyToObject(history), null, 1)}\n`);
  console.log(`recorded ${name}: ${history.events?.length} events`);
}

// The servers go down whatever happens, so a failed scenario leaves no test server running.
try {
  await worker.runUntil(async () => {
    const today = () => env.currentTimeMs().then((t) => shanghaiDate(t));

    // Reminders, overdue, the whole ladder, a late submission, a rejection, a second round, closure.
    const fullLife = async () => {
      const i = input(addDays(await today(), 10), {}, FIRST_MAJOR_POLICY);
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
      await env.sleep(30 * DAY);
      await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
      await h.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], newDeadline: addDays(await today(), 5), by: 'insp' }] });
      await env.sleep(2 * DAY);
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
      const i = input(addDays(await today(), -8), {}, FIRST_MAJOR_POLICY);
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
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
      const i = input(addDays(await today(), 20));
      i.hazard = { ...i.hazard, listingLevel: 'city', assignment: { supervisor: 'insp', enterpriseContact: null, delegate: null } };
      const id = hazardWorkflowId(i.hazard.hazardId);
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: id, taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
      await h.signal(attachNoticeSignal, { noticeId: 'replay-notice', workflowId: 'notice-replay-notice' });
      await h.executeUpdate(filePlanUpdate, { args: [{ measures: '更换', funds: 1000, deadline: i.hazard.deadline, responsiblePerson: '王', contingencyPlan: '停用', by: 'ent' }] });
      await h.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: 'insp-2', reason: '培训', by: 'insp' }] });
      await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
      await env.sleep(20 * DAY);
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
      const i = input(known.addWorkingDays(from, 25).date);
      i.hazard = { ...i.hazard, grade: 'general', policy: DEFAULT_POLICIES.general, deadlineRule: rule, calendar: [] };
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
      const year = Number(from.slice(0, 4));
      await h.signal(calendarChangedSignal, { year, source: 'replay', holidays: [{ date: addDays(from, 3), name: '回放假日' }], workdays: [] });
      await env.sleep(2 * DAY);
      await h.executeUpdate(voidUpdate, { args: [{ kind: 'misreport', reason: '误报', by: 'leader' }] });
      await h.result();
      return h.workflowId;
    });

    // A closed hazard reopened in a new run of its workflow, then closed again.
    await record('hazard-reopened', async () => {
      const first = input(addDays(await today(), 5));
      const id = hazardWorkflowId(first.hazard.hazardId);
      const h1 = await env.client.workflow.start('hazardWorkflow', { workflowId: id, taskQueue, args: [first] });
      await h1.executeUpdate(registeredUpdate);
      await h1.executeUpdate(filePlanUpdate, { args: [{ measures: '更换', funds: 1000, deadline: first.hazard.deadline, responsiblePerson: '王', contingencyPlan: '停用', by: 'ent' }] });
      await h1.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
      await h1.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'enterprise', passed: true, opinion: '合格', signatory: '王', by: 'ent' }] });
      await h1.executeUpdate(recordAcceptanceUpdate, { args: [{ party: 'expert', passed: true, opinion: '合格', signatory: '张', by: 'insp' }] });
      const closed = await h1.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
      await h1.result();
      const at = await env.currentTimeMs();
      const newDeadline = addDays(shanghaiDate(at), 10);
      const h2 = await env.client.workflow.start('hazardWorkflow', {
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
      await env.sleep(12 * DAY);
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
      const i = input(deadline, {}, DEFAULT_POLICIES.general);
      i.hazard = { ...i.hazard, grade: 'general', assignment: { supervisor: 'insp', enterpriseContact: 'ent', delegate: null } };
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
      await h.executeUpdate(assignUpdate, { args: [{ kind: 'reassign', role: 'supervisor', to: 'insp-2', reason: '调岗', by: 'leader' }] });
      await h.executeUpdate(assignUpdate, { args: [{ kind: 'reassign', role: 'enterprise_contact', to: 'ent-2', reason: '离职', by: 'leader' }] });
      await h.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: 'insp-3', reason: '出差', by: 'insp-2' }] });
      await h.executeUpdate(assignUpdate, { args: [{ kind: 'delegate', to: null, reason: '返回', by: 'insp-2' }] });
      const saved = await savePolicy(database.db, 'recorder', { grade: 'general' }, DEFAULT_POLICIES.general, '回放');
      await h.executeUpdate(changePolicyUpdate, { args: [{ policyId: saved.id, version: saved.version, policy: DEFAULT_POLICIES.general, reason: '新版本', by: 'leader' }] });
      await h.executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: addDays(deadline, 5), reason: '备件', by: 'ent-2' }] });
      await h.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'deny', reason: '理由不足', by: 'insp-2' }] });
      await h.executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: addDays(deadline, 10), reason: '备件未到', by: 'ent-2' }] });
      await h.executeUpdate(decideExtensionUpdate, { args: [{ decision: 'approve', newDeadline: addDays(deadline, 7), by: 'insp-2' }] });
      await env.sleep(3 * DAY);
      await h.executeUpdate(requestExtensionUpdate, { args: [{ requestedDeadline: addDays(deadline, 12), reason: '再等', by: 'ent-2' }] });
      await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '已改', by: 'ent-2' }] });
      await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', comment: '通过', by: 'insp-2' }] });
      await h.result();
      return h.workflowId;
    });

    // A suspension left to run: reminders, the review overdue, the maximum reached; then lifted.
    await record('suspension-maximum-lifted', async () => {
      const startsOn = await today();
      const i: SuspensionWorkflowInput = {
        suspension: {
          suspensionId: randomUUID(), enterpriseId: ent.id, hazardId: null, origin: null, documentNumber: '回放应急停〔2026〕2号',
          reason: '回放', scope: 'partial', scopeNote: '一号车间', startsOn, plannedEnd: addDays(startsOn, 10), maxDays: 20, orderedBy: 'recorder',
        },
      };
      const h = await env.client.workflow.start('suspensionWorkflow', { workflowId: suspensionWorkflowId(i.suspension.suspensionId), taskQueue, args: [i] });
      await h.executeUpdate(orderedUpdate);
      await env.sleep(22 * DAY);
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
      const h = await env.client.workflow.start('suspensionWorkflow', { workflowId: suspensionWorkflowId(i.suspension.suspensionId), taskQueue, args: [i] });
      await h.executeUpdate(orderedUpdate);
      await env.sleep(19 * DAY);
      const passed = { note: '', evidence: ['e1'], selfCheck: { passed: true, summary: '合格' }, by: 'ent' };
      await h.executeUpdate(applyResumptionUpdate, { args: [passed] });
      await h.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], plannedEnd: addDays(startsOn, 30), by: 'insp' }] });
      await h.executeUpdate(extendSuspensionUpdate, { args: [{ plannedEnd: addDays(startsOn, 35), reason: '延长', by: 'leader' }] });
      await env.sleep(20 * DAY);
      await h.executeUpdate(applyResumptionUpdate, { args: [passed] });
      await h.executeUpdate(reviewResumptionUpdate, { args: [{ decision: 'approve', by: 'insp' }] });
      await h.result();
      return h.workflowId;
    };
    await record('suspension-full-life', suspensionLife);
    // The same life on the code after one drain before continue-as-new and shared refusals.
    await record('suspension-full-life-drained', suspensionLife);
    await record('suspension-full-life-one-core', suspensionLife);
    // A notice to a township: nothing to sign, overdue, the whole instrument ladder, a decision
    // opened and taken, closed by confirmation.
    const noticeLife = async () => {
      const noticeId = randomUUID();
      const rule = DEFAULT_POLICIES.general.deadline!;
      const i: NoticeWorkflowInput = {
        notice: { noticeId, enterpriseId: null, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], deadline: addDays(await today(), 3), rule },
        issue: {
          agency: '回放应急', enterpriseId: null, addressee: '回放市', addresseeRegionId: region.id, regionPath: region.path, title: '回放督办', requirements: '按期落实',
          legalBasis: rule.legalBasis, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'recorder', hazardIds: [],
        },
      };
      const h = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [i] });
      await h.executeUpdate(noticeIssuedUpdate);
      await env.sleep(40 * DAY);
      const [first] = (await h.query(noticeStateQuery)).decisions;
      await h.executeUpdate(decideUpdate, { args: [{ decisionId: first!.id, outcome: 'taken', documentNumber: '回放约〔2026〕1号', reason: '逾期', by: 'leader' }] });
      await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
      await h.result();
      return h.workflowId;
    };
    await record('notice-full-life', noticeLife);
    await record('notice-full-life-one-core', noticeLife);
    await record('notice-full-life-spread-overdue', noticeLife);

    /** A year as published (a fixture, not official data): ten days off from `first`. */
    const festival = (first: string): YearCalendar => ({
      year: Number(first.slice(0, 4)),
      source: 'replay',
      holidays: Array.from({ length: 10 }, (_, d) => ({ date: addDays(first, d), name: '回放春节' })),
      workdays: [],
    });

    // A hazard started on this year's calendar alone; the next year is published without telling
    // it. Its rejection's new round in January fetches that year (patch fetch-missing-calendar-years),
    // and its escalations count the festival; accepted in the end.
    await record('hazard-calendar-fetched', async () => {
      const from = await today();
      const year = Number(from.slice(0, 4));
      const i = input(addDays(from, 5));
      i.hazard = { ...i.hazard, grade: 'general', policy: DEFAULT_POLICIES.general, calendar: [{ year, source: 'replay', holidays: [], workdays: [] }] };
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
      await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e1'], note: '', by: 'ent' }] });
      let newDeadline = `${year + 1}-01-14`;
      while (weekday(newDeadline) % 6 === 0) newDeadline = addDays(newDeadline, 1);
      await importCalendarYear(database.db, 'recorder', festival(addDays(newDeadline, 1)));
      await h.executeUpdate(reviewUpdate, { args: [{ decision: 'reject', reasons: ['不合格'], newDeadline, by: 'insp' }] });
      await env.sleep(Date.parse(`${newDeadline}T00:00:00+08:00`) + 40 * DAY - (await env.currentTimeMs()));
      await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e2'], note: '', by: 'ent' }] });
      await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
      await h.result();
      return h.workflowId;
    });

    // A notice whose ladder after a December deadline reaches the next year, published without
    // telling it: each step asks for the year before it fires (patch
    // fetch-calendar-years-before-provisional-step); its deadline moved into the year after fetches
    // that one (fetch-missing-calendar-years); closed by confirmation.
    // 催办: a leader urges an overdue hazard, a second urge is refused and a bulk urge's signal
    // passed over within the quiet window; a day later a bulk urge's signal urges it; then it closes.
    await record('hazard-urged', async () => {
      const i = input(addDays(await today(), -2), {}, FIRST_MAJOR_POLICY);
      const h = await env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
      await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader', message: '限期整改' }] });
      await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader-2' }] }).catch(() => undefined);
      await h.signal(bulkUrgeSignal, { by: 'leader-2', message: '统一催办', bulkUrgeId: null });
      await env.sleep(DAY + 60_000);
      await h.signal(bulkUrgeSignal, { by: 'leader-2', message: '统一催办', bulkUrgeId: null });
      await env.sleep(60_000);
      await h.executeUpdate(submitRectificationUpdate, { args: [{ evidence: ['e'], note: '', by: 'ent' }] });
      await h.executeUpdate(reviewUpdate, { args: [{ decision: 'accept', by: 'insp' }] });
      await h.result();
      return h.workflowId;
    });

    // A notice to the city urged, refused a second urge, closed by confirmation.
    await record('notice-urged', async () => {
      const noticeId = randomUUID();
      const rule = DEFAULT_POLICIES.general.deadline!;
      const i: NoticeWorkflowInput = {
        notice: { noticeId, enterpriseId: null, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], deadline: addDays(await today(), 3), rule },
        issue: {
          agency: '回放应急', enterpriseId: null, addressee: '回放市', addresseeRegionId: region.id, regionPath: region.path, title: '回放督办', requirements: '按期落实',
          legalBasis: rule.legalBasis, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'recorder', hazardIds: [],
        },
      };
      const h = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [i] });
      await h.executeUpdate(noticeIssuedUpdate);
      await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader', message: '按期落实' }] });
      await h.executeUpdate(urgeUpdate, { args: [{ by: 'leader' }] }).catch(() => undefined);
      await env.sleep(5 * DAY);
      await h.signal(bulkUrgeSignal, { by: 'leader', message: '统一催办', bulkUrgeId: null });
      await env.sleep(60_000);
      await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
      await h.result();
      return h.workflowId;
    });

    await record('notice-calendar-fetched', async () => {
      const from = await today();
      const year = Number(from.slice(0, 4));
      let deadline = `${year}-12-31`;
      while (weekday(deadline) % 6 === 0) deadline = addDays(deadline, -1);
      const noticeId = randomUUID();
      const rule = DEFAULT_POLICIES.general.deadline!;
      const i: NoticeWorkflowInput = {
        notice: { noticeId, enterpriseId: null, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], deadline, rule },
        issue: {
          agency: '回放应急', enterpriseId: null, addressee: '回放市', addresseeRegionId: region.id, regionPath: region.path, title: '回放督办', requirements: '按期落实',
          legalBasis: rule.legalBasis, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'recorder', hazardIds: [],
        },
      };
      const h = await env.client.workflow.start('noticeWorkflow', { workflowId: noticeWorkflowId(noticeId), taskQueue, args: [i] });
      await h.executeUpdate(noticeIssuedUpdate);
      await importCalendarYear(database.db, 'recorder', festival(`${year + 1}-01-01`));
      await env.sleep(Date.parse(`${year + 1}-01-25T00:00:00+08:00`) - (await env.currentTimeMs()));
      await importCalendarYear(database.db, 'recorder', festival(`${year + 2}-03-02`));
      let moved = `${year + 2}-03-01`;
      while (weekday(moved) % 6 === 0) moved = addDays(moved, -1);
      await h.executeUpdate(extendDeadlineUpdate, { args: [{ newDeadline: moved, reason: '延期', by: 'insp' }] });
      await env.sleep(Date.parse(`${moved}T00:00:00+08:00`) + 20 * DAY - (await env.currentTimeMs()));
      await h.executeUpdate(confirmCompletionUpdate, { args: [{ reason: '已落实', by: 'insp' }] });
      await h.result();
      return h.workflowId;
    });
  });
} finally {
  await env.teardown();
  await database.close();
  await pg.stop();
  await rm(work, { recursive: true, force: true });
}
