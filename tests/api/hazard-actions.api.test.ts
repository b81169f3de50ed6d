/**
 * The hazard commands beyond the rectification loop, through HTTP on the dev server and real
 * Postgres: void, reopen, reassignment and delegation, the five-point plan and acceptance of a
 * major hazard, deadlines counted by the policy's rule, and publishing a calendar year that moves
 * provisional deadlines. Each refusal is problem+json and leaves the hazard as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState } from '../../domain/hazard-lifecycle';
import { isProvisional, provisionalDates } from '../../domain/hazard-calendar';
import { DEFAULT_POLICIES, MAX_OFFSET_DAYS } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { countDays, weekday, WorkCalendar, yearsFrom, type YearCalendar } from '../../domain/work-calendar';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { publicationDone } from '../support/calendar-publication';

let h: ApiHarness;
let sup: Requester;
let supB: Requester;
let grid: Requester;
let ent: Requester;
let entB: Requester;
let leader: Requester;
let leaderCity: Requester;
let admin: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('hazard-actions');
  [sup, supB, grid, ent, entB, leader, leaderCity, admin] = (await Promise.all(
    (['supervisor-a', 'supervisor-b', 'grid-a', 'enterprise-a', 'enterprise-b', 'leader-a', 'leader-city', 'admin'] as const).map((u) => h.as(u)),
  )) as [Requester, Requester, Requester, Requester, Requester, Requester, Requester, Requester];
});
afterAll(async () => h?.stop());

type Hazard = { id: string; [k: string]: any };
interface TimelineEvent {
  type: string;
  actor: string;
  data: any;
}

const newHazard = (over: Record<string, unknown> = {}) => ({
  enterpriseId: h.world.enterpriseA,
  title: '消防通道堆放杂物',
  category: '消防安全',
  source: 'inspection',
  grade: 'general',
  deadline: addDays(today(), 15),
  requiredMeasures: '清理杂物，保持通道畅通',
  ...over,
});

async function create(over: Record<string, unknown> = {}, as: Requester = sup): Promise<Hazard> {
  const res = await as('POST', '/api/hazards', { body: newHazard(over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Hazard;
}

async function upload(id: string, as: Requester = ent): Promise<string> {
  const res = await as('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.items[0].id as string;
}

async function submit(id: string, as: Requester = ent): Promise<Hazard> {
  const file = await upload(id, as);
  const res = await as('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [file], note: '已整改' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function accept(id: string, as: Requester = sup): Promise<Hazard> {
  const res = await as('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept', comment: '整改到位' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function closedHazard(over: Record<string, unknown> = {}): Promise<Hazard> {
  const { id } = await create(over);
  await submit(id);
  const closed = await accept(id);
  expect(closed.status).toBe('closed');
  return closed;
}

async function read(id: string, as: Requester = sup): Promise<Hazard> {
  const res = await as('GET', `/api/hazards/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const last = (hazard: Hazard): TimelineEvent => hazard.timeline.at(-1);
const typesOf = (hazard: Hazard) => hazard.timeline.map((e: TimelineEvent) => e.type);

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:duban:problem:/) });
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** Sends refusals one after another and checks that each left the hazard exactly as it was. */
async function refusedWithoutChange(id: string, refusals: Array<[() => Promise<HttpResponse>, number, string?]>, reader: Requester = sup) {
  const before = await read(id, reader);
  for (const [request, status, field] of refusals) {
    expectProblem(await request(), status, field);
  }
  const after = await read(id, reader);
  expect(after.timeline).toHaveLength(before.timeline.length);
  expect({ ...after, timeline: undefined, overdue: undefined }).toEqual({ ...before, timeline: undefined, overdue: undefined });
}

// ---------------------------------------------------------------------------------------------

describe('void (误报 / 豁免)', () => {
  const reason = '复核确认为误报：现场为临时堆放，当日已清理';

  it('voids an open hazard as a leader: the hazard is void, its history stays, nothing more is taken', async () => {
    const { id } = await create();
    const file = await upload(id);
    const res = await leader('POST', `/api/hazards/${id}/void`, { body: { kind: 'misreport', reason } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id,
      status: 'void',
      next: null,
      voided: { kind: 'misreport', reason, by: 'leader-a', at: expect.any(String) },
    });
    expect(typesOf(res.body)).toEqual(['registered', 'voided']);
    expect(last(res.body)).toMatchObject({ type: 'voided', actor: 'leader-a', data: { kind: 'misreport', reason, statusBefore: 'rectifying' } });

    // A void hazard takes nothing more: no evidence set, no second void, no reopening.
    await refusedWithoutChange(id, [
      [() => ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [file] } }), 409],
      [() => leader('POST', `/api/hazards/${id}/void`, { body: { kind: 'exempt', reason } }), 409],
      [() => sup('POST', `/api/hazards/${id}/reopen`, { body: { reason: '再查', newDeadline: addDays(today(), 5) } }), 409],
      [() => sup('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'reassign', role: 'supervisor', to: 'grid-a', reason: '调整' } }), 409],
    ]);
    const listed = await sup('GET', '/api/hazards?status=void');
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(id);
  });

  it('voids a hazard under review as exempt, by the city leader', async () => {
    const { id } = await create();
    await submit(id);
    const res = await leaderCity('POST', `/api/hazards/${id}/void`, { body: { kind: 'exempt', reason: '企业已整体关停搬迁，依规豁免' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'void', voided: { kind: 'exempt', by: 'leader-city' } });
    expect(last(res.body)).toMatchObject({ type: 'voided', actor: 'leader-city', data: { kind: 'exempt', statusBefore: 'under_review' } });
    expectProblem(await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept' } }), 409);
  });

  it('refuses other roles (403), hazards out of reach (404), a closed hazard (409) and bad bodies (400), changing nothing', async () => {
    const { id } = await create();
    const body = { kind: 'misreport', reason };
    await refusedWithoutChange(id, [
      [() => sup('POST', `/api/hazards/${id}/void`, { body }), 403],
      [() => ent('POST', `/api/hazards/${id}/void`, { body }), 403],
      [() => admin('POST', `/api/hazards/${id}/void`, { body }), 403],
      [() => leader('POST', `/api/hazards/${id}/void`, { body: { kind: 'mistake', reason } }), 400, 'kind'],
      [() => leader('POST', `/api/hazards/${id}/void`, { body: { kind: 'misreport' } }), 400, 'reason'],
      [() => leader('POST', `/api/hazards/${id}/void`, { body: { kind: 'misreport', reason: '   ' } }), 400, 'reason'],
      [() => leader('POST', `/api/hazards/${id}/void`, { body: { ...body, by: 'someone-else' } }), 400, 'by'],
      [() => leader('POST', `/api/hazards/00000000-0000-4000-8000-000000000000/void`, { body }), 404],
    ]);
    const b = await create({ enterpriseId: h.world.enterpriseB }, supB);
    await refusedWithoutChange(b.id, [[() => leader('POST', `/api/hazards/${b.id}/void`, { body }), 404]], supB);
    const closed = await closedHazard();
    await refusedWithoutChange(closed.id, [[() => leader('POST', `/api/hazards/${closed.id}/void`, { body }), 409]]);
  });
});

describe('reopen', () => {
  it('reopens a closed hazard in a new round against a new deadline; the closure stays on record', async () => {
    const closed = await closedHazard();
    const id = closed.id;
    const newDeadline = addDays(today(), 12);
    const res = await sup('POST', `/api/hazards/${id}/reopen`, { body: { reason: '复查发现通道再次堵塞', newDeadline } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'rectifying', round: 2, deadline: newDeadline, closedAt: null, reopenings: 1, overdue: false, escalationLevel: 0 });
    expect(res.body.next).toMatchObject({ kind: 'reminder' });
    expect(typesOf(res.body)).toEqual(['registered', 'rectification_submitted', 'review_accepted', 'reopened']);
    expect(last(res.body)).toEqual(
      expect.objectContaining({
        type: 'reopened',
        actor: 'supervisor-a',
        data: { reason: '复查发现通道再次堵塞', newDeadline, closedAt: Date.parse(closed.closedAt), round: 2 },
      }),
    );

    // The reopened hazard runs as before: evidence, review, closure; and it can be reopened again, by a leader.
    await submit(id);
    const again = await accept(id);
    expect(again).toMatchObject({ status: 'closed', round: 2 });
    const third = await leader('POST', `/api/hazards/${id}/reopen`, { body: { reason: '群众再次举报', newDeadline: today() } });
    expect(third.status, JSON.stringify(third.body)).toBe(200);
    expect(third.body).toMatchObject({ status: 'rectifying', round: 3, deadline: today(), reopenings: 2 });
    expect(last(third.body)).toMatchObject({ type: 'reopened', actor: 'leader-a', data: { round: 3, newDeadline: today() } });
    const audit = await sup('GET', `/api/hazards/${id}/audit`);
    expect(audit.body).toMatchObject({ ok: true });
  });

  it('refuses a hazard that is not closed (409), a past or malformed date, other roles and hazards out of reach, changing nothing', async () => {
    const { id } = await create();
    const body = { reason: '复查', newDeadline: addDays(today(), 10) };
    await refusedWithoutChange(id, [
      [() => sup('POST', `/api/hazards/${id}/reopen`, { body }), 409],
      [() => leader('POST', `/api/hazards/${id}/reopen`, { body }), 409],
    ]);
    const closed = await closedHazard();
    await refusedWithoutChange(closed.id, [
      [() => sup('POST', `/api/hazards/${closed.id}/reopen`, { body: { ...body, newDeadline: addDays(today(), -1) } }), 422, 'newDeadline'],
      [() => sup('POST', `/api/hazards/${closed.id}/reopen`, { body: { ...body, newDeadline: addDays(today(), MAX_OFFSET_DAYS + 1) } }), 422, 'newDeadline'],
      // A date the schedule cannot plan (escalations would fall after 9999) is refused, not left hanging.
      [() => sup('POST', `/api/hazards/${closed.id}/reopen`, { body: { ...body, newDeadline: '9999-12-31' } }), 422, 'newDeadline'],
      [() => sup('POST', `/api/hazards/${closed.id}/reopen`, { body: { ...body, newDeadline: '2026-02-30' } }), 400, 'newDeadline'],
      [() => sup('POST', `/api/hazards/${closed.id}/reopen`, { body: { newDeadline: body.newDeadline } }), 400, 'reason'],
      [() => ent('POST', `/api/hazards/${closed.id}/reopen`, { body }), 403],
      [() => admin('POST', `/api/hazards/${closed.id}/reopen`, { body }), 403],
      [() => supB('POST', `/api/hazards/${closed.id}/reopen`, { body }), 404],
    ]);
    expect((await read(closed.id)).status).toBe('closed');
  });

  it('lets exactly one of two concurrent reopenings through; the other is 409', async () => {
    const closed = await closedHazard();
    const body = (who: string) => ({ reason: `${who}要求复查`, newDeadline: addDays(today(), 9) });
    const answers = await Promise.all([
      sup('POST', `/api/hazards/${closed.id}/reopen`, { body: body('甲') }),
      leader('POST', `/api/hazards/${closed.id}/reopen`, { body: body('乙') }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expectProblem(answers.find((a) => a.status === 409)!, 409);
    const after = await read(closed.id);
    expect(after).toMatchObject({ status: 'rectifying', round: 2, reopenings: 1 });
    expect(typesOf(after).filter((t: string) => t === 'reopened')).toHaveLength(1);
  });
});

describe('reassignment and delegation', () => {
  it('reassigns the enterprise contact and the supervisor, delegates and withdraws, recording both people', async () => {
    const created = await create();
    const id = created.id;
    expect(created.assignment).toEqual({ supervisor: 'supervisor-a', enterpriseContact: null, delegate: null });

    const contact = await sup('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'reassign', role: 'enterprise_contact', to: 'enterprise-a', reason: '安全主管负责' } });
    expect(contact.status, JSON.stringify(contact.body)).toBe(200);
    expect(contact.body.assignment).toEqual({ supervisor: 'supervisor-a', enterpriseContact: 'enterprise-a', delegate: null });
    expect(last(contact.body)).toMatchObject({ type: 'reassigned', actor: 'supervisor-a', data: { role: 'enterprise_contact', from: null, to: 'enterprise-a', reason: '安全主管负责' } });

    const delegated = await sup('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'delegate', to: 'grid-a', reason: '出差期间由网格员跟进' } });
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(200);
    expect(delegated.body.assignment).toEqual({ supervisor: 'supervisor-a', enterpriseContact: 'enterprise-a', delegate: 'grid-a' });
    expect(last(delegated.body)).toMatchObject({ type: 'delegated', actor: 'supervisor-a', data: { role: 'delegate', from: null, to: 'grid-a', reason: '出差期间由网格员跟进' } });

    const withdrawn = await leader('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'delegate', to: null, reason: '出差结束' } });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.assignment.delegate).toBeNull();
    expect(last(withdrawn.body)).toMatchObject({ type: 'delegation_withdrawn', actor: 'leader-a', data: { role: 'delegate', from: 'grid-a', to: null, reason: '出差结束' } });

    // A new supervisor's charge starts without the old one's delegation.
    await sup('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'delegate', to: 'grid-a', reason: '再次委托' } });
    const reassigned = await leader('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'reassign', role: 'supervisor', to: 'grid-a', reason: '属地网格管理' } });
    expect(reassigned.status, JSON.stringify(reassigned.body)).toBe(200);
    expect(reassigned.body.assignment).toEqual({ supervisor: 'grid-a', enterpriseContact: 'enterprise-a', delegate: null });
    expect(last(reassigned.body)).toMatchObject({ type: 'reassigned', actor: 'leader-a', data: { role: 'supervisor', from: 'supervisor-a', to: 'grid-a', reason: '属地网格管理' } });
    // The new supervisor delegates in turn.
    const byGrid = await grid('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'delegate', to: 'supervisor-a', reason: '休假' } });
    expect(byGrid.status, JSON.stringify(byGrid.body)).toBe(200);
    expect(last(byGrid.body)).toMatchObject({ type: 'delegated', actor: 'grid-a', data: { role: 'delegate', from: null, to: 'supervisor-a' } });
    expect(typesOf(byGrid.body)).toEqual(['registered', 'reassigned', 'delegated', 'delegation_withdrawn', 'delegated', 'reassigned', 'delegated']);
    // The record lists the same people as the answer.
    expect((await read(id)).assignment).toEqual({ supervisor: 'grid-a', enterpriseContact: 'enterprise-a', delegate: 'supervisor-a' });
  });

  it('lists the people who can take each place: the supervisors covering the hazard, the enterprise’s people', async () => {
    const { id } = await create();
    const names = async (as: Requester, place: string) => {
      const res = await as('GET', `/api/hazards/${id}/assignees?place=${place}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as Array<{ username: string; displayName: string }>).map((i) => i.username);
    };
    const supervisors = await names(sup, 'supervisor');
    expect(supervisors).toEqual(expect.arrayContaining(['supervisor-a', 'grid-a']));
    // Another county's supervisor, a leader, an enterprise's people: none can supervise it.
    for (const other of ['supervisor-b', 'leader-a', 'enterprise-a', 'enterprise-b']) expect(supervisors).not.toContain(other);
    // The grid's own worker first: nearest jurisdiction first.
    expect(supervisors[0]).toBe('grid-a');
    expect(await names(leader, 'enterprise_contact')).toEqual(['enterprise-a']);
    // Everyone offered is accepted by the command the list is for.
    const delegated = await sup('POST', `/api/hazards/${id}/assignments`, { body: { kind: 'delegate', to: supervisors[0], reason: '出差' } });
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(200);
    expect((await grid('GET', `/api/hazards/${id}/assignees?place=boss`)).status).toBe(400);
    expect((await ent('GET', `/api/hazards/${id}/assignees`)).status).toBe(403);
    expect((await supB('GET', `/api/hazards/${id}/assignees`)).status).toBe(404);
  });

  it('refuses a person who cannot take the place (422 to), nothing to withdraw (409), other roles, reach and bad bodies', async () => {
    const { id } = await create();
    const post = (as: Requester, body: unknown) => as('POST', `/api/hazards/${id}/assignments`, { body });
    const reassign = (role: string, to: unknown) => ({ kind: 'reassign', role, to, reason: '调整' });
    await refusedWithoutChange(id, [
      // Not a supervisor covering the hazard: another county's, a leader, nobody at all.
      [() => post(sup, reassign('supervisor', 'supervisor-b')), 422, 'to'],
      [() => post(sup, reassign('supervisor', 'leader-a')), 422, 'to'],
      [() => post(sup, reassign('supervisor', 'no-such-person')), 422, 'to'],
      [() => post(sup, reassign('supervisor', 'supervisor-a')), 422, 'to'],
      [() => post(sup, { kind: 'delegate', to: 'supervisor-b', reason: '委托' }), 422, 'to'],
      [() => post(sup, { kind: 'delegate', to: 'supervisor-a', reason: '委托自己' }), 422, 'to'],
      // Not a user of the hazard's enterprise.
      [() => post(sup, reassign('enterprise_contact', 'enterprise-b')), 422, 'to'],
      [() => post(sup, reassign('enterprise_contact', 'supervisor-a')), 422, 'to'],
      [() => post(sup, { kind: 'delegate', to: null, reason: '撤回' }), 409],
      [() => post(sup, reassign('boss', 'grid-a')), 400, 'role'],
      [() => post(sup, reassign('supervisor', null)), 400, 'to'],
      [() => post(sup, { kind: 'reassign', role: 'supervisor', to: 'grid-a' }), 400, 'reason'],
      [() => post(sup, { kind: 'transfer', to: 'grid-a', reason: 'x' }), 400, 'kind'],
      [() => post(ent, reassign('enterprise_contact', 'enterprise-a')), 403],
      [() => post(admin, reassign('supervisor', 'grid-a')), 403],
      [() => post(supB, reassign('supervisor', 'supervisor-b')), 404],
    ]);
    const closed = await closedHazard();
    await refusedWithoutChange(closed.id, [
      [() => sup('POST', `/api/hazards/${closed.id}/assignments`, { body: reassign('supervisor', 'grid-a') }), 409],
    ]);
  });
});

describe('a major hazard (重大事故隐患)', () => {
  const plan = () => ({
    measures: '更换腐蚀储罐，增设可燃气体报警装置',
    funds: 380000,
    deadline: addDays(today(), 5),
    responsiblePerson: '王厂长',
    contingencyPlan: '整改期间停用罐区，配备应急物资并安排专人值守',
  });
  const acceptance = (party: string, passed: boolean, signatory: string) => ({ party, passed, opinion: passed ? '整改到位，同意验收' : '报警装置未联动，不予通过', signatory });

  it('is listed at a level, needs its plan before evidence, and all parties’ acceptance before closure', async () => {
    expectProblem(await sup('POST', '/api/hazards', { body: newHazard({ grade: 'major', deadline: undefined }) }), 400, 'listingLevel');
    expectProblem(await sup('POST', '/api/hazards', { body: newHazard({ grade: 'general', listingLevel: 'county' }) }), 400, 'listingLevel');
    expectProblem(await sup('POST', '/api/hazards', { body: newHazard({ grade: 'major', listingLevel: 'galaxy' }) }), 400, 'listingLevel');

    // No deadline given: the major policy's rule counts 30 working days on the published calendar.
    const years = (await sup('GET', '/api/calendars')).body.items as YearCalendar[];
    const calendar = new WorkCalendar(years.filter((y) => yearsFrom(today()).includes(y.year)));
    const rule = DEFAULT_POLICIES.major.deadline!;
    const counted = countDays(calendar, today(), rule.days, rule.unit);
    const created = await create({ grade: 'major', listingLevel: 'county', deadline: undefined, title: '液氨储罐区未设置泄漏报警' });
    const id = created.id;
    expect(created).toMatchObject({
      status: 'rectifying',
      grade: 'major',
      listingLevel: 'county',
      deadline: counted.date,
      deadlineRule: { from: today(), days: 30, unit: 'working', legalBasis: rule.legalBasis },
      plan: null,
      acceptances: [],
    });

    // Evidence cannot go in before the plan is on record.
    const early = await upload(id);
    await refusedWithoutChange(id, [
      [() => ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [early] } }), 409],
      [() => ent('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('enterprise', true, '李工') }), 409],
      [() => ent('POST', `/api/hazards/${id}/plan`, { body: { ...plan(), deadline: addDays(counted.date, 1) } }), 422, 'deadline'],
      [() => ent('POST', `/api/hazards/${id}/plan`, { body: { ...plan(), funds: 0 } }), 400, 'funds'],
      [() => ent('POST', `/api/hazards/${id}/plan`, { body: { ...plan(), contingencyPlan: undefined } }), 400, 'contingencyPlan'],
      [() => ent('POST', `/api/hazards/${id}/plan`, { body: { ...plan(), deadline: '2026-13-01' } }), 400, 'deadline'],
      [() => sup('POST', `/api/hazards/${id}/plan`, { body: plan() }), 403],
      [() => leader('POST', `/api/hazards/${id}/plan`, { body: plan() }), 403],
      [() => entB('POST', `/api/hazards/${id}/plan`, { body: plan() }), 404],
    ]);

    const filed = await ent('POST', `/api/hazards/${id}/plan`, { body: plan() });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body.plan).toEqual({ ...plan(), version: 1, by: 'enterprise-a', at: expect.any(String) });
    expect(last(filed.body)).toEqual(expect.objectContaining({ type: 'plan_filed', actor: 'enterprise-a', data: { ...plan(), version: 1 } }));
    // A revision is a new version.
    const revised = await ent('POST', `/api/hazards/${id}/plan`, { body: { ...plan(), funds: 420000 } });
    expect(revised.body.plan).toMatchObject({ funds: 420000, version: 2 });

    const submitted = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [early], note: '已按五落实方案整改' } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.status).toBe('under_review');
    const acceptPlease = () => sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept', comment: '同意销号' } });
    await refusedWithoutChange(id, [
      [() => acceptPlease(), 409],
      [() => ent('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('expert', true, '李工') }), 422, 'party'],
      [() => sup('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('enterprise', true, '张专家') }), 422, 'party'],
      [() => sup('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('government', true, '张专家') }), 400, 'party'],
      [() => sup('POST', `/api/hazards/${id}/acceptances`, { body: { ...acceptance('expert', true, '张专家'), passed: 'yes' } }), 400, 'passed'],
      [() => sup('POST', `/api/hazards/${id}/acceptances`, { body: { ...acceptance('expert', true, '张专家'), signatory: '' } }), 400, 'signatory'],
      [() => leader('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('expert', true, '张专家') }), 403],
      [() => supB('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('expert', true, '张专家') }), 404],
      [() => entB('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('enterprise', true, '李工') }), 404],
      [() => ent('POST', `/api/hazards/${id}/plan`, { body: plan() }), 409],
    ]);

    // The enterprise's own check fails first, then passes; the expert passes; then the review closes it.
    const failed = await ent('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('enterprise', false, '李工') });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(last(failed.body)).toEqual(
      expect.objectContaining({ type: 'acceptance_recorded', actor: 'enterprise-a', data: { round: 1, party: 'enterprise', passed: false, opinion: '报警装置未联动，不予通过', signatory: '李工' } }),
    );
    await refusedWithoutChange(id, [[() => acceptPlease(), 409]]);
    const passed = await ent('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('enterprise', true, '李工') });
    expect(passed.status).toBe(200);
    await refusedWithoutChange(id, [[() => acceptPlease(), 409]]);
    const expert = await sup('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('expert', true, '张专家') });
    expect(expert.status, JSON.stringify(expert.body)).toBe(200);
    expect(last(expert.body)).toEqual(
      expect.objectContaining({ type: 'acceptance_recorded', actor: 'supervisor-a', data: { round: 1, party: 'expert', passed: true, opinion: '整改到位，同意验收', signatory: '张专家' } }),
    );
    // The record shows each party's newest acceptance of the round; the failed one stays in the timeline.
    expect(expert.body.acceptances).toEqual([
      { round: 1, party: 'enterprise', passed: true, opinion: '整改到位，同意验收', signatory: '李工', by: 'enterprise-a', at: expect.any(String) },
      { round: 1, party: 'expert', passed: true, opinion: '整改到位，同意验收', signatory: '张专家', by: 'supervisor-a', at: expect.any(String) },
    ]);
    expect(expert.body.timeline.filter((e: TimelineEvent) => e.type === 'acceptance_recorded').map((e: TimelineEvent) => [e.data.party, e.data.passed, e.actor])).toEqual([
      ['enterprise', false, 'enterprise-a'],
      ['enterprise', true, 'enterprise-a'],
      ['expert', true, 'supervisor-a'],
    ]);

    const closed = await acceptPlease();
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(typesOf(closed.body)).toEqual([
      'registered',
      'plan_filed',
      'plan_filed',
      'rectification_submitted',
      'acceptance_recorded',
      'acceptance_recorded',
      'acceptance_recorded',
      'review_accepted',
    ]);
    expect(closed.body.timeline[0].data).toMatchObject({ listingLevel: 'county', deadlineRule: { days: 30 } });
  });

  it('refuses the plan and acceptances on a general hazard with 409', async () => {
    const { id } = await create();
    await refusedWithoutChange(id, [[() => ent('POST', `/api/hazards/${id}/plan`, { body: plan() }), 409]]);
    await submit(id);
    await refusedWithoutChange(id, [
      [() => ent('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('enterprise', true, '李工') }), 409],
      [() => sup('POST', `/api/hazards/${id}/acceptances`, { body: acceptance('expert', true, '张专家') }), 409],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('deadlines from the policy rule and the working-day calendar', () => {
  it('shows the published years to every signed-in person, and to nobody else', async () => {
    const res = await ent('GET', '/api/calendars');
    expect(res.status).toBe(200);
    const years = res.body.items.map((y: YearCalendar) => y.year);
    expect(years).toContain(Number(today().slice(0, 4)));
    expect(years).toEqual([...years].sort());
    expect(res.body.items[0]).toEqual({ year: expect.any(Number), source: expect.any(String), holidays: expect.any(Array), workdays: expect.any(Array) });
    expectProblem(await h.http.request('GET', '/api/calendars'), 401);
  });

  it('counts a general hazard’s deadline by the rule when none is given', async () => {
    const years = ((await sup('GET', '/api/calendars')).body.items as YearCalendar[]).filter((y) => yearsFrom(today()).includes(y.year));
    const rule = DEFAULT_POLICIES.general.deadline!;
    const counted = new WorkCalendar(years).addWorkingDays(today(), rule.days);
    const created = await create({ deadline: undefined });
    const deadlineRule = { from: today(), days: rule.days, unit: rule.unit, legalBasis: rule.legalBasis };
    // Provisional when the deadline or a step still ahead (an escalation) falls in a year without data.
    const state = initialState({ hazardId: created.id, enterpriseId: h.world.enterpriseA, grade: 'general', policy: DEFAULT_POLICIES.general, deadline: counted.date, deadlineRule, calendar: years }, Date.now());
    expect(created).toMatchObject({ deadline: counted.date, deadlineRule, provisional: isProvisional(state), status: 'rectifying' });
    expect(created.timeline[0]).toMatchObject({ type: 'registered', data: { deadline: counted.date, deadlineRule } });
    // A date given is kept as given, with no rule.
    const given = await create({ deadline: addDays(today(), 3) });
    expect(given).toMatchObject({ deadline: addDays(today(), 3), deadlineRule: null });
  });

  it('tells a provisional deadline apart from provisional steps after a deadline that stands', async () => {
    const all = (await sup('GET', '/api/calendars')).body.items as YearCalendar[];
    let year = Number(today().slice(0, 4));
    while (all.some((y) => y.year === year)) year++;
    // The last day before the year without data (or soon, when that year is this one): the
    // deadline stands, the escalations after it count into the year without data.
    const lastDay = `${year - 1}-12-31`;
    const deadline = lastDay > today() && lastDay <= addDays(today(), 60) ? lastDay : addDays(today(), 5);
    const created = await create({ deadline });
    const years = all.filter((y) => yearsFrom(today()).includes(y.year));
    const expected = provisionalDates(initialState({ hazardId: created.id, enterpriseId: h.world.enterpriseA, grade: 'general', policy: DEFAULT_POLICIES.general, deadline, calendar: years }, Date.now()));
    // Far from a year without data nothing is provisional; near one, only the later steps are.
    const near = deadline === lastDay || year === Number(today().slice(0, 4));
    expect(expected).toEqual({ deadline: false, laterSteps: near });
    const flags = { provisional: near, deadlineProvisional: false, laterStepsProvisional: near };
    expect(created).toMatchObject({ deadline, ...flags });
    expect(await read(created.id)).toMatchObject(flags);
  });

  it('moves a provisional deadline when its year is published, and says which moved', async () => {
    const all = (await admin('GET', '/api/calendars')).body.items as YearCalendar[];
    // The first year from now on without calendar data, and a fixture for it.
    let year = Number(today().slice(0, 4));
    while (all.some((y) => y.year === year)) year++;
    const fixture = yearFixture(year);
    // Registration counts on the years from this one on, as the workflow does.
    const held = all.filter((y) => yearsFrom(today()).includes(y.year));
    const calendarNow = new WorkCalendar(held);

    // A policy (for public reports only, so no other hazard runs on it) whose rule reaches into that
    // year: mid-January, or two weeks on when the year without data is this one.
    const target = [`${year}-01-15`, addDays(today(), 14)].sort()[1]!;
    const days = calendarNow.workingDaysBetween(today(), target).days;
    expect(days, 'the year without data is too far off for a deadline').toBeLessThanOrEqual(MAX_OFFSET_DAYS);
    // The fixture's holidays must hold a weekday the count crosses; past New Year, add one.
    const crossed = (d: string) => d > today() && d <= target && weekday(d) !== 0 && weekday(d) !== 6;
    if (!fixture.holidays.some((d) => crossed(d.date))) {
      let extra = addDays(today(), 1);
      while (!crossed(extra) || fixture.holidays.some((d) => d.date === extra)) extra = addDays(extra, 1);
      fixture.holidays.push({ date: extra, name: '临时公休' });
      fixture.holidays.sort((a, b) => (a.date < b.date ? -1 : 1));
    }
    const rule = { days, unit: 'working' as const, legalBasis: '《安全生产事故隐患排查治理暂行规定》第二十条' };
    const saved = await admin('POST', '/api/policies', { body: { grade: 'general', source: 'public_report', policy: { ...DEFAULT_POLICIES.general, deadline: rule }, note: '跨年测试' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);

    const before = countDays(calendarNow, today(), days, 'working');
    const after = countDays(new WorkCalendar([...held, fixture]), today(), days, 'working');
    expect(before.provisional).toBe(true);
    expect(after.provisional).toBe(false);
    expect(after.date > before.date).toBe(true);

    const created = await create({ source: 'public_report', deadline: undefined, title: '群众举报：楼道堆放电动车电池' });
    expect(created).toMatchObject({ policyId: saved.body.id, deadline: before.date, provisional: true, deadlineProvisional: true, deadlineRule: { from: today(), ...rule } });
    // One with a date given does not move: its deadline was not counted.
    const fixed = await create({ source: 'public_report', deadline: before.date });

    // 202 at once: the publication tells the hazards in its own workflow; its progress says how far.
    const answer = await admin('POST', '/api/calendars', { body: fixture });
    expect(answer.body).toMatchObject({ year, replaced: false });
    const published = await publicationDone(admin, answer);
    expect(published).toMatchObject({ year, replaced: false, phase: 'done', remaining: 0, failed: 0 });
    expect(published.deadlinesMoved).toBeGreaterThanOrEqual(1);
    expect(published.hazardsTold).toBeGreaterThanOrEqual(1);
    expect(published.concerned).toBeGreaterThanOrEqual(published.hazardsTold);

    // The workflow applies the year: the deadline moves, no longer provisional, and the timeline says so.
    let seen: Hazard | undefined;
    await expect
      .poll(async () => {
        seen = await read(created.id);
        return [seen.deadline, seen.provisional, typesOf(seen).includes('calendar_applied')];
      }, { timeout: 10_000, interval: 200 })
      .toEqual([after.date, false, true]);
    const applied = seen!.timeline.find((e: TimelineEvent) => e.type === 'calendar_applied');
    expect(applied).toMatchObject({
      actor: 'system',
      data: { year, deadline: { from: before.date, to: after.date }, reviewDue: null, provisionalBefore: true, provisionalAfter: false },
    });
    expect(seen!.extension.originalDeadline).toBe(after.date);
    expect((await read(fixed.id)).deadline).toBe(before.date);

    const years = (await sup('GET', '/api/calendars')).body.items as YearCalendar[];
    expect(years.find((y) => y.year === year)).toEqual(fixture);
    // Publishing the same year again replaces it and moves nothing more.
    const again = await admin('POST', '/api/calendars', { body: fixture });
    expect(again.body).toMatchObject({ year, replaced: true });
    expect(await publicationDone(admin, again)).toMatchObject({ year, replaced: true, deadlinesMoved: 0 });

    // A correction (one more day off before the deadline) moves a deadline counted on the year as published.
    let dayOff = addDays(after.date, -1);
    while (weekday(dayOff) === 0 || weekday(dayOff) === 6 || fixture.holidays.some((d) => d.date === dayOff) || dayOff <= today()) dayOff = addDays(dayOff, -1);
    const corrected = { ...fixture, holidays: [...fixture.holidays, { date: dayOff, name: '补充公休' }].sort((a, b) => (a.date < b.date ? -1 : 1)) };
    const later = countDays(new WorkCalendar([...held, corrected]), today(), days, 'working').date;
    const fixedAgain = await admin('POST', '/api/calendars', { body: corrected });
    expect(fixedAgain.body).toMatchObject({ year, replaced: true });
    expect((await publicationDone(admin, fixedAgain)).deadlinesMoved).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await read(created.id)).deadline, { timeout: 10_000, interval: 200 }).toBe(later);
  });

  it('refuses a bad year with 400 naming the field, and anyone but an admin', async () => {
    const year = Number(today().slice(0, 4)) + 5;
    const good = yearFixture(year);
    const post = (body: unknown, as: Requester = admin) => as('POST', '/api/calendars', { body });
    const listBefore = (await admin('GET', '/api/calendars')).body;
    const firstWeekday = good.holidays.find((d) => weekday(d.date) !== 0 && weekday(d.date) !== 6)!.date;
    expectProblem(await post({ ...good, source: undefined }), 400, 'source');
    expectProblem(await post({ ...good, year: '2031' }), 400, 'year');
    expectProblem(await post({ ...good, year: 1999, holidays: [], workdays: [] }), 400, 'year');
    expectProblem(await post({ ...good, holidays: [{ date: `${year + 1}-01-01`, name: '元旦' }] }), 400, 'holidays.0.date');
    expectProblem(await post({ ...good, holidays: [...good.holidays, { date: `${year}-02-30`, name: '错日' }] }), 400, `holidays.${good.holidays.length}.date`);
    expectProblem(await post({ ...good, workdays: [{ date: firstWeekday, name: '调休' }] }), 400, 'workdays.0.date');
    expectProblem(await post({ ...good, holidays: [...good.holidays, good.holidays[0]] }), 400, `holidays.${good.holidays.length}.date`);
    expectProblem(await post({ ...good, holidays: [{ date: `${year}-10-01` }] }), 400, 'holidays.0.name');
    expectProblem(await post({ ...good, extra: true }), 400, 'extra');
    expectProblem(await post(good, sup), 403);
    expectProblem(await post(good, leaderCity), 403);
    expectProblem(await post(good, ent), 403);
    expectProblem(await h.http.request('POST', '/api/calendars', { body: good }), 401);
    expect((await admin('GET', '/api/calendars')).body).toEqual(listBefore);
  });
});

/** A year as the State Council publishes it: New Year, Labour Day and National Day, with a make-up Saturday. */
function yearFixture(year: number): YearCalendar {
  const days = (from: string, n: number, name: string) => Array.from({ length: n }, (_, i) => ({ date: addDays(`${year}-${from}`, i), name }));
  // The Saturday before National Day is worked in its place (调休).
  let makeUp = `${year}-09-30`;
  while (weekday(makeUp) !== 6) makeUp = addDays(makeUp, -1);
  return {
    year,
    source: `国务院办公厅关于${year}年部分节假日安排的通知（测试）`,
    // New Year's three days always hold a weekday, so a count across them moves.
    holidays: [...days('01-01', 3, '元旦'), ...days('05-01', 5, '劳动节'), ...days('10-01', 7, '国庆节')],
    workdays: [{ date: makeUp, name: '国庆节调休' }],
  };
}

describe('moving a hazard to another policy version', () => {
  it('is explicit and recorded; refuses another grade’s version, the same one, and settled hazards', async () => {
    const { id, policyId } = await create();
    const saved = await admin('POST', '/api/policies', {
      body: { grade: 'general', industry: '策略迁移测试', policy: { ...DEFAULT_POLICIES.general, escalation: [{ afterDays: 1, level: 1, recipientRole: 'county_leader' }] }, note: '更严的督办' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const major = (await admin('GET', '/api/policies')).body.items.find((p: { grade: string }) => p.grade === 'major');

    await refusedWithoutChange(id, [
      [() => sup('POST', `/api/hazards/${id}/policy`, { body: { policyId: major.id, reason: '错误等级' } }), 422, 'policyId'],
      [() => sup('POST', `/api/hazards/${id}/policy`, { body: { policyId: policyId, reason: '同一版本' } }), 422, 'policyId'],
      [() => sup('POST', `/api/hazards/${id}/policy`, { body: { policyId: 99_999_999, reason: '不存在' } }), 422, 'policyId'],
      [() => sup('POST', `/api/hazards/${id}/policy`, { body: { policyId: saved.body.id } }), 400, 'reason'],
      [() => ent('POST', `/api/hazards/${id}/policy`, { body: { policyId: saved.body.id, reason: '企业无权' } }), 403],
      [() => supB('POST', `/api/hazards/${id}/policy`, { body: { policyId: saved.body.id, reason: '辖区外' } }), 404],
    ]);

    const res = await sup('POST', `/api/hazards/${id}/policy`, { body: { policyId: saved.body.id, reason: '执行新版督办政策' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ policyId: saved.body.id, policy: { escalation: [{ afterDays: 1, recipientRole: 'county_leader' }] } });
    expect(last(res.body)).toMatchObject({ type: 'policy_changed', actor: 'supervisor-a', data: { fromPolicyId: policyId, toPolicyId: saved.body.id, reason: '执行新版督办政策' } });

    const closed = await closedHazard();
    expectProblem(await sup('POST', `/api/hazards/${closed.id}/policy`, { body: { policyId: saved.body.id, reason: '已销号' } }), 409);
  });

  it('offers the other stored versions of its grade, each with what would change from the one it runs on', async () => {
    const { id, policyId } = await create();
    const saved = await admin('POST', '/api/policies', {
      body: { grade: 'general', industry: '策略选择测试', policy: { ...DEFAULT_POLICIES.general, reminderDaysBefore: [5, 2] }, note: '提前提醒' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const res = await sup('GET', `/api/hazards/${id}/policy-choices`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.current).toMatchObject({ policyId });
    const grades = new Set(res.body.items.map((p: { grade: string }) => p.grade));
    expect([...grades]).toEqual(['general']);
    expect(res.body.items.map((p: { id: number }) => p.id)).not.toContain(policyId);
    const offered = res.body.items.find((p: { id: number }) => p.id === saved.body.id);
    expect(offered).toMatchObject({ version: saved.body.version, industry: '策略选择测试', note: '提前提醒', createdByName: expect.any(String) });
    const running = (await sup('GET', `/api/hazards/${id}`)).body.policy;
    expect(offered.changes).toEqual([{ path: 'reminderDaysBefore', before: running.reminderDaysBefore, after: [5, 2] }]);
    expectProblem(await ent('GET', `/api/hazards/${id}/policy-choices`), 403);
    expectProblem(await supB('GET', `/api/hazards/${id}/policy-choices`), 404);
  });
});

describe('a hazard whose process has ended out of band', () => {
  it('answers a command with 409 problem+json, recognised from the server by its status code', async () => {
    const hazard = await create();
    // An operator terminated the run: the read model still says rectifying, Temporal says it is gone.
    await h.env.client.workflow.getHandle(`hazard-${hazard.id}`).terminate('ended by an operator');
    const res = await leader('POST', `/api/hazards/${hazard.id}/void`, { body: { kind: 'misreport', reason: '误报' } });
    expectProblem(res, 409);
    expect(res.body.detail).toMatch(/process has ended/);
  });
});
