/** The figures benchmark's measurement, small: every dashboard figure answers under load, beside its GROUP BY baseline. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { computeAnew, dashboardCases, formatCases, measureCases, startBaseline } from '../../bench/figures-measure';
import { foldFigures } from '../../db/figures/fold';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('figures-bench-smoke');
});
afterAll(async () => h?.stop());

it('loads every dashboard figure and its baseline, and the two agree', async () => {
  const sup = await h.as('supervisor-a');
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '配电箱未接地', category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 5) },
  });
  expect(res.status).toBe(201);
  await foldFigures(h.database.db);
  const baseline = await startBaseline(h.database.pool);
  try {
    const token = (await h.http.request('POST', '/api/auth/login', { body: { username: 'leader-city', password: PASSWORD } })).body.token as string;
    const cases = dashboardCases(h.world.a.city.id, h.world.a.city.path, 'city');
    const results = await measureCases({ apiBaseUrl: h.http.baseUrl, token, baselineUrl: baseline.url, connections: 2, seconds: 0.3 }, cases);
    expect(results).toHaveLength(cases.length);
    for (const r of results) {
      expect(r.figures.requests, r.name).toBeGreaterThan(0);
      expect(r.figures.errors, r.name).toBe(0);
      if (r.baseline) expect(r.baseline.errors, r.name).toBe(0);
    }
    // The baseline answers the same question: its counts equal the figures'.
    const overview = (await (await h.as('leader-city'))('GET', `/api/figures/overview?region=${h.world.a.city.id}`)).body;
    const bare = (await (await fetch(`${baseline.url}/overview?path=${encodeURIComponent(h.world.a.city.path)}`)).json()) as Record<string, string>;
    expect([Number(bare.open), Number(bare.overdue), Number(bare.registered)]).toEqual([overview.open.value, overview.overdue.value, overview.registered.value]);
    expect(formatCases(results, 2)).toMatch(/p95 ratio/);
    // Each figure computed anew in-process, as the first answer after a fold is.
    const anew = await computeAnew(h.database.db, h.world.a.city, 'city', 2);
    expect(anew.map((a) => a.name)).toContain('city breakdown by supervisor');
    for (const a of anew) expect(a.medianMs, a.name).toBeGreaterThan(0);
  } finally {
    await baseline.close();
  }
});
