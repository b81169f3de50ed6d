/**
 * Supervision notices through the API on real servers: issue (numbered by the issuer's agency),
 * read and list within reach, sign, extend, decide, confirm completion; every refusal a
 * problem+json with the right status that changes nothing; gapless numbers under 20 parallel issues.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimHazards, releaseClaimsUnlessOpen } from '../../db/notice-claims';
import { caseEvents, noticeClaims, noticeDecisions, notices, regions } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type HttpResponse, type Requester } from '../support/http';
import { createApp } from '../../api/app';
import { connectDatabase } from '../../db/client';
import { inject } from 'vitest';
import { PASSWORD } from '../support/world';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { createCalendarActivities } from '../../activities/calendar';
import { countDays, weekday, WorkCalendar, yearsFrom, type YearCalendar } from '../../domain/work-calendar';
import { publicationDone } from '../support/calendar-publication';

let h: ApiHarness;
let supA: Requester;
let supB: Requester;
let entA: Requester;
let entB: Requester;
let leaderCity: Requester;
const today = () => shanghaiDate(Date.now());
const YEAR = () => today().slice(0, 4);

beforeAll(async () => {
  h = await startApiHarness('notices-api');
  await h.database.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, h.world.a.county.id));
  [supA, supB, entA, entB, leaderCity] = await Promise.all([h.as('supervisor-a'), h.as('supervisor-b'), h.as('enterprise-a'), h.as('enterprise-b'), h.as('leader-city')]);
});

afterAll(async () => {
  await h?.stop();
});

async function register(as: Requester, enterpriseId: string, grade: 'general' | 'major' = 'general'): Promise<string> {
  const res = await as('POST', '/api/hazards', {
    body: { enterpriseId, title: '安全出口堵塞', category: '消防安全', source: 'inspection', grade, deadline: addDays(today(), 20), ...(grade === 'major' ? { listingLevel: 'county' } : {}) },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

function issue(as: Requester, body: Record<string, unknown>) {
  return as('POST', '/api/notices', { body: { title: '督促整改消防隐患', requirements: '立即清理安全出口', ...body } });
}

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  if (field) expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
}

const count = async () => Number((await h.database.db.execute<{ n: string }>(sql`select count(*) as n from notices`)).rows[0]!.n);

describe('issuing a notice', () => {
  it('issues a numbered notice for two hazards of one enterprise, with the deadline from the policy rule', async () => {
    const [h1, h2] = [await register(supA, h.world.enterpriseA), await register(supA, h.world.enterpriseA, 'major')];
    const res = await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [h1, h2] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/notices/${res.body.id}`);
    expect(res.body).toMatchObject({
      code: `甲县应急〔${YEAR()}〕1号`,
      agency: '甲县应急',
      enterpriseId: h.world.enterpriseA,
      addressee: null,
      grade: 'major',
      status: 'issued',
      issuedBy: 'supervisor-a',
      openHazards: 2,
      deadlineRule: { days: 30, unit: 'working' },
      legalBasis: '《中华人民共和国安全生产法》第六十五条',
    });
    expect(res.body.hazards.map((x: { id: string }) => x.id).sort()).toEqual([h1, h2].sort());
    expect(res.body.timeline.map((e: { type: string }) => e.type)).toEqual(['issued']);
    // A hazard already in an open notice cannot join another.
    expectProblem(await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [h1] }), 409);
  });

  it('signs the agency with the county name + 应急 when no region up the tree has a short name', async () => {
    const hz = await register(supB, h.world.enterpriseB);
    const res = await issue(supB, { enterpriseId: h.world.enterpriseB, hazardIds: [hz], deadline: addDays(today(), 5) });
    expect(res.status).toBe(201);
    expect(res.body.agency).toBe(`${h.world.b.county.name}应急`);
    expect(res.body).toMatchObject({ deadline: addDays(today(), 5), deadlineRule: null });
  });

  it('refuses bad requests with problem+json and leaves nothing behind', async () => {
    const mine = await register(supA, h.world.enterpriseA);
    const theirs = await register(supB, h.world.enterpriseB);
    const before = await count();
    expectProblem(await issue(supB, { enterpriseId: h.world.enterpriseA, hazardIds: [mine] }), 422, 'enterpriseId');
    expectProblem(await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [theirs] }), 422, 'hazardIds');
    expectProblem(await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [randomUUID()] }), 422, 'hazardIds');
    expectProblem(await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [mine], deadline: addDays(today(), -1) }), 422, 'deadline');
    expectProblem(await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [] }), 400, 'hazardIds');
    expectProblem(await issue(supA, { enterpriseId: h.world.enterpriseA, addressee: { regionId: h.world.a.township.id }, hazardIds: [mine] }), 400, 'enterpriseId');
    expectProblem(await issue(supA, { addressee: { regionId: h.world.b.township.id } }), 422, 'addressee.regionId');
    expectProblem(await entA('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [mine], title: 't', requirements: 'r' } }), 403);
    expect(await count()).toBe(before);
  });
});

describe('commands on a notice', () => {
  let noticeId: string;
  let deadline: string;

  beforeAll(async () => {
    const hz = await register(supA, h.world.enterpriseA);
    const res = await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [hz], deadline: addDays(today(), 10) });
    expect(res.status).toBe(201);
    noticeId = res.body.id;
    deadline = res.body.deadline;
  });

  it('is read within reach only: out of reach is the same 404 as missing', async () => {
    expect((await leaderCity('GET', `/api/notices/${noticeId}`)).status).toBe(200);
    expect((await entA('GET', `/api/notices/${noticeId}`)).status).toBe(200);
    const missing = await supB('GET', `/api/notices/${randomUUID()}`);
    expectProblem(missing, 404);
    expect((await supB('GET', `/api/notices/${noticeId}`)).body).toEqual({ ...missing.body, instance: `/api/notices/${noticeId}` });
    expectProblem(await entB('GET', `/api/notices/${noticeId}`), 404);
    const listB = await supB('GET', '/api/notices?limit=200');
    expect(listB.body.items.map((n: { id: string }) => n.id)).not.toContain(noticeId);
    const listA = await supA('GET', `/api/notices?status=issued&enterpriseId=${h.world.enterpriseA}&overdue=false`);
    expect(listA.body.items.map((n: { id: string }) => n.id)).toContain(noticeId);
  });

  it('is signed by its own enterprise only, once', async () => {
    expectProblem(await entB('POST', `/api/notices/${noticeId}/sign`), 404);
    expectProblem(await supA('POST', `/api/notices/${noticeId}/sign`), 403);
    const signed = await entA('POST', `/api/notices/${noticeId}/sign`);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', signedBy: 'enterprise-a' });
    expect(signed.body.timeline.at(-1)).toMatchObject({ type: 'signed', actor: 'enterprise-a', data: { late: false } });
    expectProblem(await entA('POST', `/api/notices/${noticeId}/sign`), 409);
  });

  it('moves the deadline by a supervisor with a reason; refuses a date not later', async () => {
    const events = async () => (await h.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, noticeId))).length;
    const before = await events();
    expectProblem(await supA('POST', `/api/notices/${noticeId}/extend`, { body: { newDeadline: deadline, reason: '需时' } }), 422, 'newDeadline');
    expectProblem(await supA('POST', `/api/notices/${noticeId}/extend`, { body: { newDeadline: addDays(deadline, 5) } }), 400, 'reason');
    expectProblem(await leaderCity('POST', `/api/notices/${noticeId}/extend`, { body: { newDeadline: addDays(deadline, 5), reason: '需时' } }), 403);
    expect(await events()).toBe(before);
    const res = await supA('POST', `/api/notices/${noticeId}/extend`, { body: { newDeadline: addDays(deadline, 5), reason: '需外购设备' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ deadline: addDays(deadline, 5) });
    expect(res.body.timeline.at(-1)).toMatchObject({ type: 'deadline_extended', actor: 'supervisor-a', data: { from: deadline, to: addDays(deadline, 5), reason: '需外购设备' } });
  });

  it('refuses confirmation of a notice with hazards (409), and decisions that do not exist (404) or are not pending (409)', async () => {
    expectProblem(await supA('POST', `/api/notices/${noticeId}/confirm-completion`, { body: { reason: '已完成' } }), 409);
    expectProblem(await leaderCity('POST', `/api/notices/${noticeId}/decisions/${randomUUID()}`, { body: { outcome: 'declined', reason: '已整改' } }), 404);
    const decided = randomUUID();
    await h.database.db.insert(noticeDecisions).values({ id: decided, noticeId, kind: 'penalty', deciderRole: 'supervisor_chief', openedAt: new Date(), status: 'taken' });
    expectProblem(await leaderCity('POST', `/api/notices/${noticeId}/decisions/${decided}`, { body: { outcome: 'declined', reason: '已整改' } }), 409);
    expectProblem(await leaderCity('POST', `/api/notices/${noticeId}/decisions/${decided}`, { body: { outcome: 'taken', reason: '逾期' } }), 400, 'documentNumber');
    expectProblem(await entA('POST', `/api/notices/${noticeId}/decisions/${decided}`, { body: { outcome: 'declined', reason: '已整改' } }), 403);
    // A penalty the policy gives the supervisor's chief is not a leader's to take, nor an interview a supervisor's.
    const penalty = randomUUID();
    const interview = randomUUID();
    await h.database.db.insert(noticeDecisions).values([
      { id: penalty, noticeId, kind: 'penalty', deciderRole: 'supervisor_chief', openedAt: new Date(), status: 'pending' },
      { id: interview, noticeId, kind: 'warning_interview', deciderRole: 'county_leader', openedAt: new Date(), status: 'pending' },
    ]);
    const taken = { body: { outcome: 'taken', documentNumber: '甲县应急罚〔2026〕1号', reason: '逾期未整改' } };
    expectProblem(await leaderCity('POST', `/api/notices/${noticeId}/decisions/${penalty}`, taken), 403);
    expectProblem(await supA('POST', `/api/notices/${noticeId}/decisions/${interview}`, taken), 403);
    const still = await h.database.db.select().from(noticeDecisions).where(eq(noticeDecisions.noticeId, noticeId));
    expect(still.filter((d) => d.id === penalty || d.id === interview).map((d) => d.status)).toEqual(['pending', 'pending']);
  });

  it('closes a notice to a government body by confirmation, once', async () => {
    const res = await issue(supA, { addressee: { regionId: h.world.a.township.id, department: '安监办' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ enterpriseId: null, addressee: `${h.world.a.township.name} 安监办`, signDueAt: null, grade: 'general' });
    expectProblem(await entA('GET', `/api/notices/${res.body.id}`), 404);
    const closed = await supA('POST', `/api/notices/${res.body.id}/confirm-completion`, { body: { reason: '已按要求落实' } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect(closed.body.timeline.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['issued', 'supervisor-a'],
      ['closed', 'supervisor-a'],
    ]);
    expectProblem(await supA('POST', `/api/notices/${res.body.id}/confirm-completion`, { body: { reason: '再次' } }), 409);
    const closedList = await supA('GET', '/api/notices?status=closed');
    expect(closedList.body.items.map((n: { id: string }) => n.id)).toEqual([res.body.id]);
  });
});

describe('closing with real hazards', () => {
  it('closes a notice of two real hazards only after both are accepted through the API', async () => {
    const [h1, h2] = [await register(supA, h.world.enterpriseA), await register(supA, h.world.enterpriseA)];
    const issued = await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [h1, h2] });
    expect(issued.status).toBe(201);
    const id = issued.body.id as string;
    const accept = async (hazardId: string) => {
      const up = await entA('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
      expect(up.status).toBe(201);
      expect((await entA('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [up.body.items[0].id] } })).status).toBe(200);
      const reviewed = await supA('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'accept', comment: '整改到位' } });
      expect(reviewed.status).toBe(200);
    };
    /** The hazard's outcome reaches the notice by signal: wait for the read model to show it. */
    const settled = async (open: number, status = 'issued') => {
      for (let i = 0; i < 100; i++) {
        const res = await supA('GET', `/api/notices/${id}`);
        if (res.body.openHazards === open && res.body.status === status) return res.body;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the notice never showed ${open} open hazards`);
    };
    await accept(h1);
    const half = await settled(1);
    expect(half.status).toBe('issued');
    expect(half.hazards.find((x: { id: string }) => x.id === h1)).toMatchObject({ status: 'closed', outcome: 'closed' });
    // Reopened before the notice closes, the hazard counts as open in it again.
    const reopened = await supA('POST', `/api/hazards/${h1}/reopen`, { body: { reason: '复查发现问题反弹', newDeadline: addDays(shanghaiDate(Date.now()), 10) } });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect((await settled(2)).hazards.find((x: { id: string }) => x.id === h1)).toMatchObject({ status: 'rectifying', outcome: 'open' });
    await accept(h2);
    await settled(1);
    await accept(h1);
    const done = await settled(0, 'closed');
    expect(done).toMatchObject({ status: 'closed', openHazards: 0 });
    expect(done.closedAt).not.toBeNull();
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual(['issued', 'hazard_closed', 'hazard_reopened', 'hazard_closed', 'hazard_closed', 'closed']);
    expectProblem(await entA('POST', `/api/notices/${id}/sign`), 409);
  });
});

describe('one hazard, one open notice', () => {
  const openNoticesHolding = async (hazardId: string) =>
    (
      await h.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from notice_hazards nh join notices n on n.id = nh.notice_id where nh.hazard_id = ${hazardId} and n.status <> 'closed'`,
      )
    ).rows[0]!.n;

  it('accepts exactly one of 20 notices issued at once for the same hazard; the hazard is free again once that notice closes', async () => {
    const hazardId = await register(supA, h.world.enterpriseA);
    const results = await Promise.all(Array.from({ length: 20 }, () => issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId] })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const refused of results.filter((r) => r.status === 409)) {
      expectProblem(refused, 409, 'hazardIds');
      expect(refused.body.detail).toContain(hazardId);
    }
    expect(await openNoticesHolding(hazardId)).toBe(1);
    const noticeId = results.find((r) => r.status === 201)!.body.id as string;
    // The refused ones left no notice, number or workflow of their own behind.
    expect(await h.database.db.select().from(noticeClaims).where(eq(noticeClaims.hazardId, hazardId))).toEqual([
      expect.objectContaining({ hazardId, noticeId, claimedBy: 'supervisor-a' }),
    ]);

    // The hazard is accepted: the notice closes and lets go of it.
    const up = await entA('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
    expect(up.status).toBe(201);
    expect((await entA('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [up.body.items[0].id] } })).status).toBe(200);
    expect((await supA('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'accept', comment: '整改到位' } })).status).toBe(200);
    for (let i = 0; i < 100 && (await supA('GET', `/api/notices/${noticeId}`)).body.status !== 'closed'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await supA('GET', `/api/notices/${noticeId}`)).body.status).toBe('closed');
    expect(await h.database.db.select().from(noticeClaims).where(eq(noticeClaims.hazardId, hazardId))).toEqual([]);

    // Reopened, it may be named by a new notice.
    const reopened = await supA('POST', `/api/hazards/${hazardId}/reopen`, { body: { reason: '复查发现问题反弹', newDeadline: addDays(today(), 10) } });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    const again = await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId] });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await openNoticesHolding(hazardId)).toBe(1);
  });

  it('accepts one of 20 notices issued at once through two API processes for the same hazard; the others get 409 hazard-in-open-notice', async () => {
    // A second API with a pool of its own: the claim must hold across processes, not by a lock in one.
    const url = new URL(h.database.url);
    url.username = inject('serviceLogin').user;
    url.password = inject('serviceLogin').password;
    const other = connectDatabase(url.toString(), 5, 'duban_app');
    const second = await serve(createApp({ ...h.deps, db: other.db }));
    try {
      const login = await second.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: PASSWORD } });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      const supA2: Requester = (method, path, opts = {}) => second.request(method, path, { token: login.body.token, ...opts });
      const hazardId = await register(supA, h.world.enterpriseA);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(i % 2 ? supA2 : supA, { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId] })));
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(19).fill(409)]);
      for (const refused of results.filter((r) => r.status === 409)) {
        expectProblem(refused, 409, 'hazardIds');
        expect(refused.body.code).toBe('hazard-in-open-notice');
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'hazardIds', code: 'hazard-in-open-notice' })]);
        expect(refused.body.hazardIds).toEqual([hazardId]);
      }
      expect(await openNoticesHolding(hazardId)).toBe(1);
    } finally {
      await second.close();
      await other.close();
    }
  });

  it('takes the claim for all of a notice’s hazards or none; the same notice claiming again holds what it holds', async () => {
    const [a, b, c] = [await register(supA, h.world.enterpriseA), await register(supA, h.world.enterpriseA), await register(supA, h.world.enterpriseA)];
    const first = randomUUID();
    const second = randomUUID();
    expect(await claimHazards(h.database.app, first, [a, b], 'supervisor-a')).toEqual([]);
    // A retry of the same issuance: the same claims, nothing refused.
    expect(await claimHazards(h.database.app, first, [b, a], 'supervisor-a')).toEqual([]);
    // Another notice naming one held hazard among free ones gets none of them.
    expect(await claimHazards(h.database.app, second, [c, b], 'supervisor-a')).toEqual([b]);
    expect(await h.database.db.select().from(noticeClaims).where(eq(noticeClaims.hazardId, c))).toEqual([]);
    // A notice that never got recorded lets go of its claims.
    await releaseClaimsUnlessOpen(h.database.app, first);
    expect(await claimHazards(h.database.app, second, [c, b], 'supervisor-a')).toEqual([]);
  });
});

describe('numbering', () => {
  it('numbers 20 notices issued at once gaplessly and uniquely for their agency and year', async () => {
    const grid = h.world.b.grid.id;
    await h.database.db.update(regions).set({ agencyShortName: '乙网格应急' }).where(eq(regions.id, grid));
    // A supervisor placed in grid B signs as that grid's agency: a counter of its own.
    const admin = await h.as('admin');
    const created = await admin('POST', '/api/users', { body: { username: 'grid-b', displayName: '乙网格员', role: 'supervisor', regionId: grid, password: 'correct horse battery staple' } });
    expect(created.status).toBe(201);
    const gridB = await h.as('grid-b' as never);
    const ids = await Promise.all(Array.from({ length: 20 }, () => register(gridB, h.world.enterpriseB)));
    const results = await Promise.all(ids.map((hz) => issue(gridB, { enterpriseId: h.world.enterpriseB, hazardIds: [hz] })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(20);
    expect(codes.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))).toEqual(Array.from({ length: 20 }, (_, i) => `乙网格应急〔${YEAR()}〕${i + 1}号`));
    const rows = await h.database.db.select({ code: notices.code }).from(notices).where(eq(notices.agency, '乙网格应急'));
    expect(rows).toHaveLength(20);
  });
});

describe('publishing a calendar year', () => {
  it('tells notices holding a provisional deadline, which recount it and record the move', async () => {
    const hz = await register(supA, h.world.enterpriseA, 'major');
    const res = await issue(supA, { enterpriseId: h.world.enterpriseA, hazardIds: [hz] });
    expect(res.status).toBe(201);
    const before = res.body.deadline as string;
    const nextYear = Number(YEAR()) + 1;
    // Only meaningful while 30 working days reach into a year without data (as at the end of a year).
    if (!res.body.provisional) {
      expect(Number(before.slice(0, 4))).toBeLessThan(nextYear);
      return;
    }
    const known = new WorkCalendar(await createCalendarActivities(h.database.db).calendarYears(yearsFrom(today())));
    let holiday = `${nextYear}-01-01`;
    while (weekday(holiday) === 0 || weekday(holiday) === 6) holiday = addDays(holiday, 1);
    const year: YearCalendar = { year: nextYear, source: '测试发布', holidays: [{ date: holiday, name: '元旦' }], workdays: [] };
    const published = await (await h.as('admin'))('POST', '/api/calendars', { body: year });
    const progress = await publicationDone(await h.as('admin'), published);
    expect(progress.noticesTold).toBeGreaterThanOrEqual(1);
    const expected = countDays(new WorkCalendar([...(await createCalendarActivities(h.database.db).calendarYears(yearsFrom(today())))]), today(), 30, 'working');
    expect(known.hasYear(nextYear)).toBe(false);
    let after = res.body;
    for (let i = 0; i < 100 && after.deadline === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = (await supA('GET', `/api/notices/${res.body.id}`)).body;
    }
    expect(after.deadline).toBe(expected.date);
    expect(after.timeline.find((e: { type: string }) => e.type === 'deadline_recomputed')).toMatchObject({ data: { year: nextYear, moved: expect.arrayContaining([{ what: 'deadline', from: before, to: expected.date }]) } });
  });
});
