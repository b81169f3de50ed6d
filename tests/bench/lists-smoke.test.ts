/** The lists benchmark's measurement, small: every list case and the record answer under autocannon, beside the bare endpoint running the same SQL. */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../auth/principal';
import { writeResult } from '../../bench/bench-servers';
import { formatLists, listCases, measureLists, startListBaseline, type Persona } from '../../bench/lists-measure';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { PASSWORD, type WorldUser } from '../support/world';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('lists-bench-smoke');
});
afterAll(async () => h?.stop());

it('loads each list case and its baseline, and the baseline answers the same rows', async () => {
  const sup = await h.as('supervisor-a');
  for (const [i, days] of [5, -3, 9].entries()) {
    const res = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: `楼梯扶手松动${i}`, category: '设备设施', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), Math.abs(days)) },
    });
    expect(res.status).toBe(201);
  }
  const persona = async (user: WorldUser, label: string, region: { id: string; path: string }, sub: string): Promise<Persona> => {
    const token = (await h.http.request('POST', '/api/auth/login', { body: { username: user, password: PASSWORD } })).body.token as string;
    const principal: Principal = { userId: h.world.users[user], username: user, kind: 'person', role: 'leader', regionId: region.id, regionPath: region.path, enterpriseId: null, via: 'token' };
    return { label, token, principal, subRegionId: sub };
  };
  const personas = [await persona('leader-city', 'city', h.world.a.city, h.world.a.county.id), await persona('leader-a', 'county', h.world.a.county, h.world.a.township.id)];
  const cases = [];
  for (const p of personas) {
    for (const c of await listCases({ apiBaseUrl: h.http.baseUrl, db: h.database.db, persona: p, limit: 2, deepPages: 2, now: Date.now() })) cases.push({ ...c, persona: p.label });
  }
  expect(cases).toHaveLength(10);
  // The bare side reads each first page's total as the API does: the kept ledger for all of a
  // scope and for a subtree, figure_open for overdue; its cursor's page reads none.
  expect(cases.slice(0, 4).map((c) => [c.name, c.statements.length, /from figure_(ledger|open) /.exec(c.statements[0]!.text)?.[1] ?? 'hazards'])).toEqual([
    ['city first page', 2, 'ledger'],
    ['city overdue', 2, 'open'],
    ['city region subtree', 2, 'ledger'],
    [expect.stringMatching(/^city page \d+ \(cursor\)$/), 1, 'hazards'],
  ]);
  const pool = new pg.Pool({ connectionString: h.database.url, max: 4 });
  // Every case is built; two are loaded (a list page and a record), to keep the test short.
  const loaded = [cases[0]!, cases[4]!];
  const baseline = await startListBaseline(pool, loaded);
  try {
    // The bare endpoint's first page holds the API's rows, in its order.
    const api = (await (await h.as('leader-city'))('GET', cases[0]!.api)).body;
    const [, rows] = (await (await fetch(`${baseline.url}/case/0`)).json()) as [unknown[], Array<{ id: string }>];
    expect(rows.slice(0, 2).map((r) => r.id)).toEqual(api.items.map((i: { id: string }) => i.id));

    const results = await measureLists({ apiBaseUrl: h.http.baseUrl, baselineUrl: baseline.url, tokens: new Map(personas.map((p) => [p.label, p.token])), connections: [2], seconds: 0.3 }, loaded);
    expect(results).toHaveLength(loaded.length);
    for (const r of results) {
      for (const load of [r.api, r.baseline]) {
        expect(load.requests, r.name).toBeGreaterThan(0);
        expect(load.errors, r.name).toBe(0);
        expect(Number.isFinite(load.perSecond) && load.perSecond > 0, r.name).toBe(true);
        expect(Number.isFinite(load.p99ms), r.name).toBe(true);
      }
      expect(r.ratio).toBeGreaterThan(0);
    }
    expect(formatLists(results)).toMatch(/ratio \d+\.\d\d/);
    const file = await writeResult('lists-smoke', { results });
    expect(JSON.parse(await readFile(file, 'utf8')).results).toHaveLength(loaded.length);
  } finally {
    await baseline.close();
    await pool.end();
  }
}, 120_000);
