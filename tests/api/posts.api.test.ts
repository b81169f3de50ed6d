/**
 * Posts, decisions by post, what an enterprise sees of a notice, and the inbox, through the API on
 * real servers: an admin gives people posts (on the administrative trail) and lists holders by
 * region; a grid worker is refused a decision the policy names for the section chief (403 naming
 * the post), the chief takes it; the enterprise's answer holds no pending decision; each step's
 * people get deliveries in their inbox (the notice's reminder card reaches the enterprise's users,
 * the list reaches the section chief), with unread counts and marking read; nobody holding a named
 * post is recorded as unresolved; the hazard's, the suspension's and the notice's answers name, inside
 * the bureau only, the people each step reached.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEvents, deliveries, recipientResolutions } from '../../db/schema';
import { readAllJson, unreadCountJson } from '../../api/routes/inbox';
import { POST_RANKS, POSTS } from '../../domain/posts';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';
import { overdueHazard, overdueSuspension } from '../support/overdue-cases';
import { overdueNotice } from '../support/overdue-notice';
import { readWorkbook, rowOf, rowValues } from '../support/ledger-rows';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let admin: Requester;
let grid: Requester;
let chief: Requester;
let ent: Requester;
let entB: Requester;
let countyLeader: Requester;

beforeAll(async () => {
  h = await startApiHarness('posts-api');
  const signedIn = await Promise.all((['admin', 'grid-a', 'supervisor-a', 'enterprise-a', 'enterprise-b', 'leader-a'] as const).map((u) => h.as(u)));
  [admin, grid, chief, ent, entB, countyLeader] = signedIn as [Requester, Requester, Requester, Requester, Requester, Requester];
});
afterAll(async () => h?.stop());

function expectProblem(res: HttpResponse, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('posts as directory data', () => {
  it('an admin gives a person a post in their region, lists holders by region, takes it away; all on the trail', async () => {
    const created = await admin('POST', '/api/users', { body: { username: 'posts-inspector', displayName: '王检查', role: 'supervisor', regionId: h.world.a.township.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    const set = await admin('PUT', `/api/users/${id}/post`, { body: { post: 'inspector' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ userId: id, post: 'inspector', regionId: h.world.a.township.id, assignedBy: 'admin', postName: { zh: '执法检查员' } });

    const inCountyA = await admin('GET', `/api/posts?regionId=${h.world.a.county.id}&limit=500`);
    expect(inCountyA.status).toBe(200);
    const names = inCountyA.body.items.map((x: { username: string; post: string }) => `${x.username}:${x.post}`);
    expect(names).toEqual(expect.arrayContaining(['posts-inspector:inspector', 'supervisor-a:section_chief', 'leader-a:county_leader', 'grid-a:grid_worker']));
    expect(names.some((n: string) => n.startsWith('supervisor-b'))).toBe(false);
    const chiefs = await admin('GET', '/api/posts?post=section_chief');
    expect(chiefs.body.items.map((x: { username: string }) => x.username).sort()).toEqual(['supervisor-a', 'supervisor-b']);

    // Paged by keyset, the pages add up to the list.
    const all = (await admin('GET', '/api/posts?limit=500')).body.items;
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResponse = await admin('GET', `/api/posts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const cleared = await admin('PUT', `/api/users/${id}/post`, { body: { post: null } });
    expect(cleared.body).toEqual({ userId: id, post: null, cleared: 'inspector' });
    const trail = await h.database.db.select().from(adminEvents).where(eq(adminEvents.subjectId, id));
    expect(trail.map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['user.post_set', 'admin'],
        ['user.post_cleared', 'admin'],
      ]),
    );
  });

  it('names who assigned each post by display name (people), not only by login name', async () => {
    const made = await admin('POST', '/api/users', { body: { username: 'posts-admin-2', displayName: '赵管理', role: 'admin', regionId: h.world.a.county.id, password: 'a long enough password' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'posts-admin-2', password: 'a long enough password' } });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const otherAdmin: Requester = (method, path, opts = {}) => h.http.request(method, path, { token: login.body.token as string, ...opts });
    const set = await otherAdmin('PUT', `/api/users/${h.world.users['grid-a']}/post`, { body: { post: 'inspector' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);

    const listed = await admin('GET', `/api/posts?regionId=${h.world.a.county.id}&limit=500`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((x: { username: string }) => x.username === 'grid-a')).toMatchObject({ assignedBy: 'posts-admin-2' });
    expect(listed.body.people).toMatchObject({ 'posts-admin-2': '赵管理' });
    await otherAdmin('PUT', `/api/users/${h.world.users['grid-a']}/post`, { body: { post: 'grid_worker' } });
  });

  it('answers which posts each role may hold, as the domain says (the posts page offers exactly these)', async () => {
    const listed = await admin('GET', '/api/posts?limit=1');
    expect(listed.status).toBe(200);
    const fromDomain: Record<string, string[]> = {};
    for (const post of POSTS) (fromDomain[POST_RANKS[post].role] ??= []).push(post);
    expect(listed.body.postsByRole).toEqual(fromDomain);
    expect(Object.values(listed.body.postsByRole).flat().sort()).toEqual([...POSTS].sort());
  });

  it('refuses a post that does not fit the role, an unknown post, a user out of reach, and non-admins', async () => {
    expectProblem(await admin('PUT', `/api/users/${h.world.users['grid-a']}/post`, { body: { post: 'city_leader' } }), 422, 'post');
    expectProblem(await admin('PUT', `/api/users/${h.world.users['grid-a']}/post`, { body: { post: 'mayor' } }), 400, 'post');
    expectProblem(await admin('PUT', `/api/users/${randomUUID()}/post`, { body: { post: 'inspector' } }), 404);
    expectProblem(await admin('GET', '/api/posts?regionId=nope'), 404);
    expectProblem(await chief('PUT', `/api/users/${h.world.users['grid-a']}/post`, { body: { post: 'section_chief' } }), 403);
    expectProblem(await chief('GET', '/api/posts'), 403);
  });

  it('keeps the leaders’ posts to their level: a county’s leader is not made the city leader, nor a township’s the county leader', async () => {
    const leaderAt = async (username: string, regionId: string) => {
      const made = await admin('POST', '/api/users', { body: { username, displayName: username, role: 'leader', regionId } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.id as string;
    };
    const county = await leaderAt('posts-county-leader', h.world.a.county.id);
    const township = await leaderAt('posts-township-leader', h.world.a.township.id);
    // Held, the post would send the city leader's directives to this person and let them take the city leader's decisions.
    expectProblem(await admin('PUT', `/api/users/${county}/post`, { body: { post: 'city_leader' } }), 422, 'post');
    expectProblem(await admin('PUT', `/api/users/${township}/post`, { body: { post: 'county_leader' } }), 422, 'post');
    const held = await admin('PUT', `/api/users/${county}/post`, { body: { post: 'county_leader' } });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect((await admin('GET', `/api/posts?post=city_leader`)).body.items.map((x: { username: string }) => x.username)).toEqual(['leader-city']);
    expect((await admin('PUT', `/api/users/${county}/post`, { body: { post: null } })).status).toBe(200);
  });
});

describe('decisions by post, what the enterprise sees, the inbox', () => {
  it('a grid worker is refused the section chief’s decision (naming the post); the chief takes it; the enterprise never sees the one pending', async () => {
    const { noticeId, decisions } = await overdueNotice(h);
    const penalty = decisions.find((d) => d.kind === 'penalty')!;
    const interview = decisions.find((d) => d.kind === 'warning_interview')!;
    const body = { outcome: 'taken', documentNumber: '甲县应急罚〔2026〕3号', reason: '逾期未整改' };

    const refused = await grid('POST', `/api/notices/${noticeId}/decisions/${penalty.id}`, { body });
    expectProblem(refused, 403);
    expect(refused.body).toMatchObject({ code: 'decision-post-required', post: 'section_chief', deciderRole: 'supervisor_chief' });
    expect(refused.body.detail).toContain('科长');
    // A leader is not the section chief either; the county leader's interview is not the chief's.
    expectProblem(await countyLeader('POST', `/api/notices/${noticeId}/decisions/${penalty.id}`, { body }), 403);
    const notChief = await chief('POST', `/api/notices/${noticeId}/decisions/${interview.id}`, { body });
    expect(notChief.body).toMatchObject({ code: 'decision-post-required', post: 'county_leader' });

    const taken = await chief('POST', `/api/notices/${noticeId}/decisions/${penalty.id}`, { body });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.decisions.find((d: { id: string }) => d.id === penalty.id)).toMatchObject({ status: 'taken', decidedBy: 'supervisor-a' });

    // The enterprise: the penalty served on it, not the interview still being weighed.
    const seen = await ent('GET', `/api/notices/${noticeId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.decisions.map((d: { kind: string; status: string }) => [d.kind, d.status])).toEqual([['penalty', 'taken']]);
    expect(seen.body.instruments.map((i: { recipientRole: string }) => i.recipientRole)).toEqual(['enterprise']);
    expect(seen.body.timeline.map((e: { type: string }) => e.type)).not.toContain('decision_opened');
    expect(seen.body.timeline.map((e: { type: string }) => e.type)).toContain('decision_taken');
    expect(JSON.stringify(seen.body)).not.toContain('warning_interview');
    expect(seen.body.lastInstrumentCode).toBeNull();
    // The bureau sees everything.
    const inside = await chief('GET', `/api/notices/${noticeId}`);
    expect(inside.body.decisions.map((d: { kind: string; status: string }) => [d.kind, d.status])).toEqual([
      ['warning_interview', 'pending'],
      ['penalty', 'taken'],
    ]);
    // Nor can the enterprise find which of its notices have a decision pending.
    expectProblem(await ent('GET', '/api/notices?pendingDecision=warning_interview'), 400, 'query.pendingDecision');
    const listed = await ent('GET', '/api/notices?limit=200');
    expect(listed.body.items.find((n: { id: string }) => n.id === noticeId)).toMatchObject({ lastInstrumentCode: null });
  });

  it('the notice ledger an enterprise exports keeps the bureau’s side as its list does: no internal filter, no official’s instrument number', async () => {
    const { noticeId } = await overdueNotice(h);
    // Which of its notices have a decision pending, or reached a rung of the ladder, is not the enterprise's to find.
    for (const filter of ['pendingDecision=warning_interview', 'decider=county_leader', 'ladderLevel=2', 'instrument=list']) {
      expectProblem(await ent('GET', `/api/notices/export.xlsx?${filter}`), 400, `query.${filter.split('=')[0]}`);
    }
    const latestInstrument = async (user: 'enterprise-a' | 'supervisor-a') => {
      const signedIn = await h.http.request('POST', '/api/auth/login', { body: { username: user, password: PASSWORD } });
      const res = await fetch(`${h.http.baseUrl}/api/notices/export.xlsx`, { headers: { authorization: `Bearer ${signedIn.body.token}` } });
      expect(res.status).toBe(200);
      const sheet = await readWorkbook(await res.arrayBuffer());
      const titles = rowValues(sheet, rowOf(sheet, '文号'));
      const row = sheet.getColumn(titles.indexOf('通知编号') + 1).values.indexOf(noticeId);
      expect(row).toBeGreaterThan(0);
      return sheet.getRow(row).getCell(titles.indexOf('最新文书') + 1).value;
    };
    const [listed] = (await chief('GET', '/api/notices?limit=200')).body.items.filter((n: { id: string }) => n.id === noticeId);
    expect(listed.lastInstrumentCode).toEqual(expect.any(String));
    expect(await latestInstrument('supervisor-a')).toBe(listed.lastInstrumentCode);
    expect(await latestInstrument('enterprise-a')).toBeNull();
  });

  it('names, inside the bureau, the people each instrument and decision reached, by display name; the enterprise is told none of it', async () => {
    const { noticeId, decisions } = await overdueNotice(h);
    const named = await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: '钱科长' } });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    try {
      const inside = await chief('GET', `/api/notices/${noticeId}`);
      expect(inside.status).toBe(200);
      const list = inside.body.instruments.find((i: { kind: string }) => i.kind === 'list');
      expect(list.step).toBe('ladder-list');
      expect(inside.body.reached['ladder-list']).toEqual({ post: 'section_chief', names: ['钱科长'], unresolved: false });
      // Nobody held what the supervision letter names (enterprise A has no 包联 leader): said so.
      expect(inside.body.reached['ladder-supervision_letter']).toEqual({ post: null, names: [], unresolved: true });
      const penalty = inside.body.decisions.find((d: { id: string }) => d.id === decisions.find((x) => x.kind === 'penalty')!.id);
      expect(inside.body.reached[penalty.step]).toEqual({ post: 'section_chief', names: ['钱科长'], unresolved: false });
      const seen = await ent('GET', `/api/notices/${noticeId}`);
      expect(seen.body.reached).toBeUndefined();
      expect(seen.body.instruments.map((i: { recipientRole: string }) => i.recipientRole)).toEqual(['enterprise']);
    } finally {
      await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: 'supervisor-a' } });
    }
  });

  it('names, inside the bureau, the people a hazard’s escalations and a suspension’s overdue review reached; the enterprise is told none of it', async () => {
    const named = await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: '钱科长' } });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    try {
      const hazardId = await overdueHazard(h, '储罐区未设置围堰');
      const hazard = await chief('GET', `/api/hazards/${hazardId}`);
      const escalations = hazard.body.timeline.filter((e: { type: string }) => e.type === 'escalated');
      expect(escalations.map((e: { data: { recipientRole: string } }) => e.data.recipientRole)).toEqual(['supervisor', 'supervisor_chief']);
      // The supervisor in charge is reached through the hazard (no post); the chief through the post.
      expect(escalations.map((e: { step: string }) => hazard.body.reached[e.step])).toEqual([
        { post: null, names: ['钱科长'], unresolved: false },
        { post: 'section_chief', names: ['钱科长'], unresolved: false },
      ]);
      // Each notification names its step, so the pages can say whom it reached.
      for (const n of hazard.body.notifications) expect(hazard.body.reached[n.step], n.step).toBeDefined();
      const hazardSeen = await ent('GET', `/api/hazards/${hazardId}`);
      expect(hazardSeen.status).toBe(200);
      expect(hazardSeen.body.reached).toBeUndefined();

      const suspensionId = await overdueSuspension(h, '甲县应急停〔2026〕21号');
      const suspension = await chief('GET', `/api/suspensions/${suspensionId}`);
      const overdue = suspension.body.timeline.find((e: { type: string }) => e.type === 'review_overdue');
      expect(suspension.body.reached[overdue.step]).toEqual({ post: 'section_chief', names: ['钱科长'], unresolved: false });
      expect(suspension.body.notifications.map((n: { step: string }) => n.step)).toContain(overdue.step);
      const suspensionSeen = await ent('GET', `/api/suspensions/${suspensionId}`);
      expect(suspensionSeen.status).toBe(200);
      expect(suspensionSeen.body.reached).toBeUndefined();
    } finally {
      await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: 'supervisor-a' } });
    }
  });

  it('each step reaches the people who hold what it names: the reminder card the enterprise, the list the section chief; unresolved is recorded', async () => {
    const { noticeId } = await overdueNotice(h);
    const workflowId = `notice-${noticeId}`;
    const mine = async (as: Requester) => {
      const res = await as('GET', '/api/inbox?limit=200');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.filter((d: { subjectId: string }) => d.subjectId === noticeId);
    };
    const entItems = await mine(ent);
    expect(entItems.map((d: { kind: string }) => d.kind)).toEqual(['reminder_card']);
    expect(entItems[0]).toMatchObject({ subjectType: 'notice', link: `#/notices/${noticeId}`, readAt: null, recipientRole: 'enterprise' });
    expect(entItems[0].message).toMatch(/号/);
    const chiefKinds = (await mine(chief)).map((d: { kind: string }) => d.kind).sort();
    // (The notice was issued just now: not yet late to sign, so no sign escalation.)
    expect(chiefKinds).toEqual(['decision', 'list']);
    expect((await mine(countyLeader)).map((d: { kind: string }) => d.kind).sort()).toEqual(['decision', 'directive']);
    expect(await mine(grid)).toEqual([]);
    expect(await mine(entB)).toEqual([]);

    const resolutions = await h.database.db.select().from(recipientResolutions).where(eq(recipientResolutions.workflowId, workflowId));
    const byStep = new Map(resolutions.map((r) => [r.stepKey, r]));
    expect(byStep.get('ladder-list')).toMatchObject({ post: 'section_chief', foundAt: h.world.a.county.path, userIds: [h.world.users['supervisor-a']], unresolved: false });
    // Enterprise A has no 包联 leader: the supervision letter reached nobody, and says so.
    expect(byStep.get('ladder-supervision_letter')).toMatchObject({ recipientRole: 'responsible_leader', userIds: [], unresolved: true });
    // One row per person, step and channel.
    const rows = await h.database.db.select().from(deliveries).where(and(eq(deliveries.workflowId, workflowId), eq(deliveries.userId, h.world.users['supervisor-a'])));
    expect(new Set(rows.map((r) => r.stepKey)).size).toBe(rows.length);

    // Unread count, read one, read all.
    const count = async (as: Requester) => {
      const res = await as('GET', '/api/inbox/unread-count');
      // The bell's answer is the builder's, which types what the pages read.
      expect(res.body).toEqual(unreadCountJson(res.body.unread));
      return res.body.unread as number;
    };
    const before = await count(ent);
    expect(before).toBeGreaterThan(0);
    const read = await ent('POST', `/api/inbox/${entItems[0].id}/read`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect(await count(ent)).toBe(before - 1);
    const again = await ent('POST', `/api/inbox/${entItems[0].id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await ent('GET', '/api/inbox?unread=true&limit=200')).body.items.map((d: { id: number }) => d.id)).not.toContain(entItems[0].id);
    // Someone else's delivery is not found, exactly as a missing one.
    const othersRead = await entB('POST', `/api/inbox/${entItems[0].id}/read`);
    expectProblem(othersRead, 404);
    expect(othersRead.body.detail).toBe((await entB('POST', '/api/inbox/999999999/read')).body.detail);
    const all = await chief('POST', '/api/inbox/read-all');
    expect(all.body).toEqual(readAllJson(all.body.marked, 0));
    expect(all.body.marked).toBeGreaterThan(0);

    // Keyset pages add up to the list, newest first.
    const full = (await chief('GET', '/api/inbox?limit=200')).body.items;
    expect(full.map((d: { id: number }) => d.id)).toEqual([...full.map((d: { id: number }) => d.id)].sort((a, b) => b - a));
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResponse = await chief('GET', `/api/inbox?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(full);
    expectProblem(await chief('GET', '/api/inbox?cursor=bm9wZQ'), 400, 'query.cursor');
  });
});
