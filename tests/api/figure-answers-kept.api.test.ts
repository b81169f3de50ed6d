/**
 * Figure answers kept between folds (db/figures/answer-cache.ts): a leader asking again before
 * anything moved gets the kept answer, and one asking after anything it shows moved (hazards
 * folded, a region renamed, the calendar imported anew) gets the new figures at once; an
 * enterprise's own figures are never kept.
 */
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureCacheOf } from '../../db/figures/answer-cache';
import { foldFigures } from '../../db/figures/fold';
import { importCalendarYear, loadCalendarYears } from '../../db/calendar';
import { hazards } from '../../db/schema';
import { addDays, dueInstant, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { registerFigureHazards, type FigureHazard } from '../support/figure-hazards';
import type { Requester } from '../support/http';

let h: ApiHarness;
let city: Requester;
let ids: Record<FigureHazard, string>;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('figure-answers-kept');
  city = await h.as('leader-city');
  ids = await registerFigureHazards(h, { ids: ['a1'], daysAgo: 2 });
}, 120_000);
afterAll(async () => h?.stop());

const cache = () => figureCacheOf(h.deps.db);

describe('figure answers kept between folds', () => {
  it('answers again from what it kept until a fold moves the figures', async () => {
    const first = (await city('GET', '/api/figures/overview')).body;
    expect(first.open.value).toBe(4);
    const hits = cache().hits;
    const again = (await city('GET', '/api/figures/overview')).body;
    expect(cache().hits).toBe(hits + 1);
    expect(again).toEqual(first);

    // A second hazard falls due; until folded, the summary has not moved and neither do the figures.
    const past = addDays(today(), -2);
    await h.database.db.update(hazards).set({ deadline: past, dueAt: new Date(dueInstant(past)) }).where(inArray(hazards.id, [ids.a2]));
    expect((await city('GET', '/api/figures/overview')).body.overdue.value).toBe(1);
    await foldFigures(h.database.db);
    const after = (await city('GET', '/api/figures/overview')).body;
    expect(after.overdue.value).toBe(2);
    const ageing = (await city('GET', '/api/figures/ageing')).body;
    expect(ageing.buckets.reduce((a: number, b: { total: number }) => a + b.total, 0)).toBe(2);
    const ranking = (await city('GET', '/api/figures/enterprises?rank=overdue')).body;
    expect(ranking.rows).toEqual([expect.objectContaining({ id: h.world.enterpriseA, overdue: 2 })]);
  });

  it('says when each answer was computed: the last fold, even for a kept answer', async () => {
    const before = (await city('GET', '/api/figures/breakdown?by=region')).body;
    await new Promise((r) => setTimeout(r, 20));
    // A fold with nothing to fold moves the time of computation, not the figures.
    await foldFigures(h.database.db);
    const kept = (await city('GET', '/api/figures/breakdown?by=region')).body;
    expect(Date.parse(kept.computedAt)).toBeGreaterThan(Date.parse(before.computedAt));
    expect(kept.rows).toEqual(before.rows);
  });

  it('names a renamed region at once', async () => {
    const admin = await h.as('admin');
    const county = h.world.a.county.id;
    const named = (rows: Array<{ key: string; label: string }>) => rows.find((r) => r.key === county)?.label;
    expect(named((await city('GET', '/api/figures/breakdown?by=region')).body.rows)).toBe(h.world.a.county.name);
    const renamed = await admin('PATCH', `/api/regions/${county}`, { body: { name: '江北新区' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(named((await city('GET', '/api/figures/breakdown?by=region')).body.rows)).toBe('江北新区');
  });

  it('ages overdue work on the calendar as imported, at once', async () => {
    const bucketOf = async () => {
      const { buckets } = (await city('GET', '/api/figures/ageing')).body as { buckets: Array<{ bucket: string; total: number }> };
      return buckets.filter((b) => b.total > 0).map((b) => [b.bucket, b.total]);
    };
    // Both overdue hazards fell due two days ago: one to three working days, as the calendar stands.
    expect(await bucketOf()).toEqual([['1-3', 2]]);
    // Fallen due twenty days ago, they are older; then every day between is declared a holiday.
    const longAgo = addDays(today(), -20);
    await h.database.db.update(hazards).set({ deadline: longAgo, dueAt: new Date(dueInstant(longAgo)) }).where(inArray(hazards.id, [ids.a1, ids.a2]));
    await foldFigures(h.database.db);
    const before = await bucketOf();
    expect(before).toHaveLength(1);
    expect(before[0]![0]).not.toBe('1-3');
    const between: string[] = [];
    for (let d = addDays(longAgo, 1); d < today(); d = addDays(d, 1)) between.push(d);
    const published = await loadCalendarYears(h.database.db);
    for (const year of new Set(between.map((d) => Number(d.slice(0, 4))))) {
      const shipped = published.find((y) => y.year === year);
      expect(shipped, `the ${year} calendar is shipped`).toBeDefined();
      const days = between.filter((d) => d.startsWith(`${year}-`));
      const holidays = [...shipped!.holidays.filter((x) => !days.includes(x.date)), ...days.map((date) => ({ date, name: '测试假期' }))]
        .sort((a, b) => a.date.localeCompare(b.date))
        .slice(-60);
      await importCalendarYear(h.database.db, 'test', { ...shipped!, holidays, workdays: shipped!.workdays.filter((x) => !days.includes(x.date)) });
    }
    // Not a working day since the deadline but today: overdue by one to three working days again.
    expect(await bucketOf()).toEqual([['1-3', 2]]);
  });

  it("never keeps an enterprise's own figures, which are read as they stand", async () => {
    const ent = await h.as('enterprise-a');
    const before = (await ent('GET', '/api/figures/overview')).body.open.value as number;
    const hits = cache().hits;
    await h.database.db.update(hazards).set({ status: 'closed', closedAt: new Date() }).where(inArray(hazards.id, [ids.a3]));
    expect((await ent('GET', '/api/figures/overview')).body.open.value).toBe(before - 1);
    expect(cache().hits).toBe(hits);
  });
});
