/**
 * A list's total is worked out once, on its first page: read from the leaders' kept figures where
 * the filter is one they hold (and they were folded lately), else counted. Every cursor after it
 * carries that total (as of the first page), sealed for the person, the list and its filters: a
 * total altered in a cursor, or a cursor used with other filters or by someone else, is never
 * shown (the page counts again); a carried part not as the API wrote it is a 400. The notice
 * list's first page reads its total from the notices' kept figures the same way.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazardFilterOf } from '../../api/hazard-list-filter';
import type { Principal } from '../../auth/principal';
import { foldFigures } from '../../db/figures/fold';
import { hazardFilterConditions, hazardScope } from '../../db/hazard-queries';
import { countUpTo } from '../../db/list-count';
import { hazards, notices } from '../../db/schema';
import { noticeConditions, noticeScope, type NoticeFilter } from '../../db/notice-queries';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { registerFigureHazards } from '../support/figure-hazards';
import type { Requester } from '../support/http';
import type { WorldUser } from '../support/world';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('list-totals');
  await registerFigureHazards(h, { ids: ['a1', 'a3'], daysAgo: 9 });
});
afterAll(async () => h?.stop());

async function registerOne(title: string): Promise<string> {
  const sup = await h.as('supervisor-a');
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title, category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 10), requiredMeasures: '整改' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function page(as: Requester, query: string) {
  const res = await as('GET', `/api/hazards?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Array<{ id: string }>; total: number; totalAtLeast: boolean; totalFrom: string; totalAsOf: string | null; nextCursor: string | null };
}

const PLACES = { 'leader-city': 'city', 'leader-a': 'county', 'supervisor-a': 'county' } as const satisfies Partial<Record<WorldUser, 'city' | 'county'>>;

/** The person as the API knows them, to count the same filter on the hazards themselves. */
function principalOf(user: keyof typeof PLACES): Principal {
  const region = h.world.a[PLACES[user]];
  const role = user === 'supervisor-a' ? 'supervisor' : 'leader';
  return { userId: h.world.users[user], username: user, kind: 'person', role, regionId: region.id, regionPath: region.path, enterpriseId: null, via: 'token' };
}

/** The live count of a list query for the person: every matching hazard, counted on the hazards. */
async function liveCount(user: keyof typeof PLACES, query: Record<string, string>): Promise<number> {
  const p = principalOf(user);
  const now = Date.now();
  const q = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]));
  const filter = await hazardFilterOf(h.database.db, p, q, now);
  return countUpTo(h.database.db, hazards, [hazardScope(p), ...hazardFilterConditions(filter, new Date(now))], 1_000_000);
}

/** A filter the figures do not hold (repeats or not), so the first page counts. */
const COUNTED = 'limit=1&repeat=false';

describe('the total travels with the cursor', () => {
  it('a later page states the first page’s total, as of it, without counting again', async () => {
    const sup = await h.as('supervisor-a');
    const first = await page(sup, COUNTED);
    expect(first).toMatchObject({ totalFrom: 'count', totalAsOf: null, totalAtLeast: false });
    expect(first.total).toBeGreaterThanOrEqual(3);
    const before = Date.now();
    await registerOne('配电柜门锁损坏');
    const second = await page(sup, `${COUNTED}&cursor=${encodeURIComponent(first.nextCursor!)}`);
    // Still the first page's figure: the hazard registered since is not in it.
    expect(second).toMatchObject({ total: first.total, totalFrom: 'count' });
    expect(Date.parse(second.totalAsOf!)).toBeLessThanOrEqual(before);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    const third = await page(sup, `${COUNTED}&cursor=${encodeURIComponent(second.nextCursor!)}`);
    expect(third).toMatchObject({ total: first.total, totalAsOf: second.totalAsOf });
    expect((await page(sup, COUNTED)).total).toBe(first.total + 1);
  });

  it('a total altered in a cursor is never shown: the page counts again', async () => {
    const sup = await h.as('supervisor-a');
    const first = await page(sup, COUNTED);
    const [position, , signature] = first.nextCursor!.split('.');
    const forgedText = Buffer.from(`99999|0|c|${Date.now()}`).toString('base64url');
    const forged = await page(sup, `${COUNTED}&cursor=${encodeURIComponent(`${position}.${forgedText}.${signature}`)}`);
    expect(forged).toMatchObject({ total: first.total, totalFrom: 'count', totalAsOf: null });
    const claimsFigures = Buffer.from(`7|0|f|${Date.now()}`).toString('base64url');
    expect(await page(sup, `${COUNTED}&cursor=${encodeURIComponent(`${position}.${claimsFigures}.${'A'.repeat(22)}`)}`)).toMatchObject({ total: first.total, totalAsOf: null });
  });

  it('a cursor’s total is its own filters’ and person’s: with other filters or by someone else it is counted again', async () => {
    const sup = await h.as('supervisor-a');
    const first = await page(sup, `${COUNTED}&grade=general`);
    const generalCursor = encodeURIComponent(first.nextCursor!);
    const all = await page(sup, COUNTED);
    const otherFilter = await page(sup, `${COUNTED}&cursor=${generalCursor}`);
    expect(otherFilter).toMatchObject({ total: all.total, totalAsOf: null });
    const leader = await h.as('leader-a');
    const otherPerson = await page(leader, `${COUNTED}&grade=general&cursor=${generalCursor}`);
    expect(otherPerson).toMatchObject({ total: await liveCount('leader-a', { grade: 'general', repeat: 'false' }), totalAsOf: null });
    // The same person and filters: the carried total.
    expect(await page(sup, `${COUNTED}&grade=general&cursor=${generalCursor}`)).toMatchObject({ total: first.total, totalAsOf: expect.any(String) });
  });

  it('a carried part not as the API writes it is a 400 naming the cursor', async () => {
    const sup = await h.as('supervisor-a');
    const first = await page(sup, 'limit=1');
    const [position, text, signature] = first.nextCursor!.split('.');
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const cursor of [
      `${position}.${text}`,
      `${position}.${text}.${signature}.x`,
      `${position}..${signature}`,
      `${position}.${text}.short`,
      `${position}.${b64('12|1|c')}.${signature}`,
      `${position}.${b64('-1|0|c|1')}.${signature}`,
      `${position}.${b64('1|0|x|1')}.${signature}`,
      `${position}.${b64(' 1|0|c|1')}.${signature}`,
      `${position}.${b64('1|0|c|1')}=.${signature}`,
      `.${text}.${signature}`,
    ]) {
      const res = await sup('GET', `/api/hazards?limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.errors, cursor).toEqual([{ field: 'query.cursor', message: expect.any(String) }]);
    }
  });

});

describe('a first page’s total from the leaders’ figures', () => {
  const HELD: Array<Record<string, string>> = [
    { open: 'true' },
    { overdue: 'true' },
    { status: 'rectifying' },
    { open: 'true', grade: 'major' },
    { open: 'true', listed: 'true' },
    { age: '8-15' },
    { overdue: 'true', grade: 'general' },
    // The ledger's: every hazard, any status, a grade, closed ones.
    {},
    { open: 'false' },
    { status: 'closed' },
    { status: 'void' },
    { grade: 'general' },
    { status: 'closed', grade: 'general' },
  ];

  it('reads the figures for a filter they hold, and they agree with the hazards after a fold', async () => {
    // A closed and a voided hazard besides the open ones (the read model moved as their workflows would move it).
    const [closed, voided] = [await registerOne('安全出口指示灯损坏'), await registerOne('灭火器过期')];
    await h.database.db.update(hazards).set({ status: 'closed', closedAt: new Date() }).where(eq(hazards.id, closed));
    await h.database.db.update(hazards).set({ status: 'void' }).where(eq(hazards.id, voided));
    await foldFigures(h.database.db);
    const [{ folded_at: foldedAt }] = (await h.database.db.execute<{ folded_at: Date }>(sql`select folded_at from figure_folds where id = 1`)).rows as [{ folded_at: Date }];
    for (const user of Object.keys(PLACES) as Array<keyof typeof PLACES>) {
      const as = await h.as(user);
      const queries = [...HELD, { open: 'true', region: h.world.a.county.id }, { overdue: 'true', region: h.world.a.township.id }, { region: h.world.a.county.id }, { region: h.world.a.township.id, status: 'closed' }];
      for (const query of queries) {
        const answer = await page(as, new URLSearchParams({ limit: '1', ...query }).toString());
        const live = await liveCount(user, query);
        expect({ user, query, total: answer.total, from: answer.totalFrom }).toEqual({ user, query, total: live, from: 'figures' });
        // Read now (the fold's rows and what was written since, in one snapshot): no earlier moment to state.
        expect(answer.totalAsOf).toBeNull();
        expect(foldedAt).not.toBeNull();
      }
    }
    // Something was counted: an overdue pair and more open ones.
    expect(await liveCount('leader-city', { overdue: 'true' })).toBe(2);
    expect(await liveCount('leader-city', { open: 'true' })).toBeGreaterThan(2);
    expect(await liveCount('leader-city', { open: 'false' })).toBe(2);
  });

  it('adds what was written since the last fold: the total is exact before the next one', async () => {
    await foldFigures(h.database.db);
    const city = await h.as('leader-city');
    const before = await page(city, 'limit=1&open=true');
    await registerOne('叉车制动失灵');
    const unfolded = await page(city, 'limit=1&open=true');
    expect(unfolded).toMatchObject({ total: before.total + 1, totalFrom: 'figures' });
    expect(await liveCount('leader-city', { open: 'true' })).toBe(before.total + 1);
    await foldFigures(h.database.db);
    const folded = await page(city, 'limit=1&open=true');
    expect(folded.total).toBe(before.total + 1);
    // A page after it carries the first page's total and its time.
    const next = await page(city, `limit=1&open=true&cursor=${encodeURIComponent(folded.nextCursor!)}`);
    expect(next).toMatchObject({ total: folded.total, totalFrom: 'figures', totalAsOf: expect.any(String) });
  });

  it('counts a filter the figures do not hold, an enterprise’s list, and when the figures were not folded lately', async () => {
    await foldFigures(h.database.db);
    const city = await h.as('leader-city');
    const unheld: Array<Record<string, string>> = [{ repeat: 'false' }, { overdue: 'false' }, { open: 'true', enterpriseId: h.world.enterpriseA }, { overdue: 'true', repeat: 'false' }, { region: h.world.a.county.id, extensionPending: 'false' }];
    for (const query of unheld) {
      const answer = await page(city, new URLSearchParams({ limit: '1', ...query }).toString());
      expect({ query, from: answer.totalFrom, asOf: answer.totalAsOf, total: answer.total }).toEqual({ query, from: 'count', asOf: null, total: await liveCount('leader-city', query) });
    }
    const enterprise = await h.as('enterprise-a');
    expect(await page(enterprise, 'limit=1&open=true')).toMatchObject({ totalFrom: 'count', totalAsOf: null });
    await h.database.db.execute(sql`update figure_folds set folded_at = now() - interval '2 minutes' where id = 1`);
    expect(await page(city, 'limit=1&open=true')).toMatchObject({ totalFrom: 'count', totalAsOf: null, total: await liveCount('leader-city', { open: 'true' }) });
    expect(await page(city, 'limit=1')).toMatchObject({ totalFrom: 'count', totalAsOf: null, total: await liveCount('leader-city', {}) });
    await foldFigures(h.database.db);
  });
});

describe('a notice list’s first page total from the figures', () => {
  /** The live count of a notice list query for the person. */
  async function liveNotices(user: keyof typeof PLACES, query: Record<string, string>): Promise<number> {
    const p = principalOf(user);
    const { region, ...rest } = query;
    const f = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : k === 'ladderLevel' ? Number(v) : v])) as NoticeFilter;
    if (region) f.regionPath = [h.world.a.county, h.world.a.township].find((r) => r.id === region)!.path;
    return countUpTo(h.database.db, notices, noticeConditions(noticeScope(p), f, new Date()), 1_000_000);
  }

  it('reads figure_notices for a filter they hold, agreeing with the notices; counts other filters; a cursor carries it', async () => {
    const sup = await h.as('supervisor-a');
    for (const title of ['督促整改配电箱', '督促清理通道', '督促更换灭火器']) {
      const res = await sup('POST', '/api/notices', { body: { title, requirements: '按期整改', enterpriseId: h.world.enterpriseA, hazardIds: [await registerOne(title)] } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    // One signed and one closed (the read model moved as the notice's workflow would move it).
    const [signed, closed] = (await h.database.db.select({ id: notices.id }).from(notices).limit(2)).map((r) => r.id);
    await h.database.db.update(notices).set({ status: 'signed', signedAt: new Date() }).where(eq(notices.id, signed!));
    await h.database.db.update(notices).set({ status: 'closed', closedAt: new Date() }).where(eq(notices.id, closed!));
    await foldFigures(h.database.db);
    const held: Array<Record<string, string>> = [{}, { open: 'true' }, { open: 'false' }, { status: 'issued' }, { status: 'signed' }, { ladderLevel: '1' }, { region: h.world.a.county.id }, { region: h.world.a.township.id, open: 'true' }];
    for (const user of Object.keys(PLACES) as Array<keyof typeof PLACES>) {
      const as = await h.as(user);
      for (const query of held) {
        const res = await as('GET', `/api/notices?${new URLSearchParams({ limit: '1', ...query })}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect({ user, query, total: res.body.total, from: res.body.totalFrom }).toEqual({ user, query, total: await liveNotices(user, query), from: 'figures' });
      }
    }
    expect(await liveNotices('leader-city', {})).toBe(3);
    expect(await liveNotices('leader-city', { open: 'true' })).toBe(2);

    const city = await h.as('leader-city');
    const first = (await city('GET', '/api/notices?limit=1')).body;
    expect(first).toMatchObject({ total: 3, totalFrom: 'figures', totalAsOf: null });
    const next = (await city('GET', `/api/notices?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`)).body;
    expect(next).toMatchObject({ total: 3, totalFrom: 'figures', totalAsOf: expect.any(String) });
    // Filters the figures do not hold, and an enterprise's list, are counted.
    for (const query of ['overdue=false', `enterpriseId=${h.world.enterpriseA}`, 'signOverdue=false']) {
      expect((await city('GET', `/api/notices?limit=1&${query}`)).body, query).toMatchObject({ totalFrom: 'count', totalAsOf: null });
    }
    const enterprise = await h.as('enterprise-a');
    expect((await enterprise('GET', '/api/notices?limit=1')).body).toMatchObject({ totalFrom: 'count', total: 3 });
  });
});
