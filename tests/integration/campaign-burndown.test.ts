/**
 * The burn-down's figures against a brute-force reading of random histories: hazards found on
 * random days around the cut-off in random regions, submitted, closed, rejected, reopened,
 * extended, voided and moved by a published calendar year at random times. Every node of the
 * region tree and every leader, on every day from the cut-off (the cut-off day itself included),
 * equals the count replayed in memory.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../db/campaigns';
import { readBurndown } from '../../db/campaign-burndown';
import { takeCampaignSnapshots } from '../../db/campaign-snapshots';
import { createRegion, createUser, type RegionRow } from '../../db/directory';
import { addDays, shanghaiInstant, type IsoDate } from '../../domain/shanghai-time';
import { COHORTS, daysFrom, stockClearedOn, type DayFigures } from '../../domain/campaign-burndown';
import { appendEvents, insertHistory, standingAt, type Action, type History } from '../support/campaign-history';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertEnterprise } from '../support/fixtures';
import { randomBytes } from 'node:crypto';

let database: TestDatabase;
let leaders: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  const root = await createRegion(database.db, 'fixture', { id: 'bd-root', name: '清零市', level: 'city' });
  leaders = [];
  for (const n of [1, 2]) leaders.push((await createUser(database.db, 'fixture', { username: `bd-leader-${n}`, displayName: `包联领导${n}`, role: 'leader', regionId: root.id, passwordHash: null })).id);
});
afterAll(async () => database?.drop());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The cut-off of every generated campaign; histories run six days either side of it. */
const CUTOFF: IsoDate = '2026-03-10';
const LAST_DAY = addDays(CUTOFF, 6);

interface City {
  root: RegionRow;
  /** [region path, enterprise id per leader slot (0, 1, none)] per grid. */
  grids: Array<{ path: string; enterprises: string[] }>;
  paths: string[];
}

/** A city of its own per run: two counties, county A with two townships, a grid each; enterprises led by each leader and by none. */
async function buildCity(): Promise<City> {
  const db = database.db;
  const s = randomBytes(3).toString('hex');
  const root = await createRegion(db, 'fixture', { id: `c-${s}`, name: `市${s}`, level: 'city' });
  const grids: City['grids'] = [];
  const paths = [root.path];
  for (const [county, towns] of [['a', ['a1', 'a2']], ['b', ['b1']]] as const) {
    const c = await createRegion(db, 'fixture', { id: `${county}-${s}`, name: `县${county}${s}`, level: 'county', parentId: root.id });
    paths.push(c.path);
    for (const town of towns) {
      const t = await createRegion(db, 'fixture', { id: `${town}-${s}`, name: `镇${town}${s}`, level: 'township', parentId: c.id });
      const g = await createRegion(db, 'fixture', { id: `g${town}-${s}`, name: `网格${town}${s}`, level: 'grid', parentId: t.id });
      paths.push(t.path, g.path);
      const enterprises = [];
      for (const leader of [leaders[0]!, leaders[1]!, null]) {
        const id = await insertEnterprise(db, `企业${randomBytes(2).toString('hex')}`, g.id);
        if (leader) await db.execute(sql`update enterprises set responsible_leader_id = ${leader} where id = ${id}`);
        enterprises.push(id);
      }
      grids.push({ path: g.path, enterprises });
    }
  }
  return { root, grids, paths };
}

/** A random instant on a day `offset` days from the cut-off. */
const instantOn = (offset: number, hour: number) => shanghaiInstant(addDays(CUTOFF, offset)) + hour * HOUR;

const actionKind = fc.constantFrom('submit', 'accept', 'reject', 'reopen', 'extend', 'void', 'calendar', 'calendar-unmoved');
const historyArb = fc.record({
  grid: fc.nat(2),
  leaderSlot: fc.nat(2),
  foundDay: fc.integer({ min: -6, max: 6 }),
  foundHour: fc.integer({ min: 0, max: 23 }),
  /** Imported from a legacy ledger: its events begin days after it was found. */
  importedAfter: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 })),
  deadlineIn: fc.integer({ min: -3, max: 6 }),
  steps: fc.array(fc.record({ kind: actionKind, gapHours: fc.integer({ min: 1, max: 60 }), deadlineIn: fc.integer({ min: 0, max: 5 }) }), { maxLength: 5 }),
});
type Gen = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/** Keeps only the steps the hazard's state allows, so a history is one the workflow could write. */
function historyOf(city: City, g: Gen): History {
  const grid = city.grids[g.grid]!;
  const foundAt = instantOn(g.foundDay, g.foundHour);
  const registeredAt = foundAt + g.importedAfter * DAY;
  const actions: Action[] = [];
  let status: 'rectifying' | 'under_review' | 'closed' | 'void' = 'rectifying';
  let at = registeredAt;
  for (const s of g.steps) {
    at += s.gapHours * HOUR;
    const newDeadline = addDays(CUTOFF, g.foundDay + s.deadlineIn + Math.floor((at - foundAt) / DAY));
    const allowed =
      (s.kind === 'submit' && status === 'rectifying') ||
      ((s.kind === 'accept' || s.kind === 'reject') && status === 'under_review') ||
      (s.kind === 'reopen' && status === 'closed') ||
      (s.kind === 'extend' && status === 'rectifying') ||
      (s.kind === 'void' && (status === 'rectifying' || status === 'under_review')) ||
      ((s.kind === 'calendar' || s.kind === 'calendar-unmoved') && (status === 'rectifying' || status === 'under_review'));
    if (!allowed) continue;
    if (s.kind === 'submit') status = 'under_review';
    else if (s.kind === 'accept') status = 'closed';
    else if (s.kind === 'void') status = 'void';
    else if (s.kind === 'reject' || s.kind === 'reopen') status = 'rectifying';
    if (s.kind === 'calendar-unmoved') actions.push({ kind: 'calendar', at });
    else actions.push(s.kind === 'reject' || s.kind === 'reopen' || s.kind === 'extend' || s.kind === 'calendar' ? { kind: s.kind, at, newDeadline } : { kind: s.kind, at });
  }
  return {
    enterpriseId: grid.enterprises[g.leaderSlot]!,
    regionPath: grid.path,
    foundAt,
    registeredAt,
    deadline: addDays(CUTOFF, g.foundDay + g.deadlineIn),
    actions,
  };
}

/** The brute-force figures of one node (and one leader, if given) on one day. */
function bruteForce(histories: Array<History & { leader: string }>, nodePath: string, day: IsoDate, leader?: string): DayFigures {
  const out: DayFigures = { stock: { open: 0, closed: 0, voided: 0, overdue: 0 }, new: { open: 0, closed: 0, voided: 0, overdue: 0 } };
  for (const h of histories) {
    if (!h.regionPath.startsWith(nodePath) || (leader !== undefined && h.leader !== leader)) continue;
    const s = standingAt(h, CUTOFF, day);
    if (!s) continue;
    const c = out[s.cohort];
    if (s.standing === 'open') c.open++;
    else if (s.standing === 'closed') c.closed++;
    else c.voided++;
    if (s.overdue) c.overdue++;
  }
  return out;
}

describe('the burn-down equals a brute-force count', () => {
  it('for every node, leader and day from the cut-off, over random histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(historyArb, { minLength: 1, maxLength: 14 }), async (gens) => {
        const city = await buildCity();
        const histories = gens.map((g) => ({ ...historyOf(city, g), leader: ([leaders[0], leaders[1], 'none'] as string[])[g.leaderSlot]! }));
        for (const h of histories) await insertHistory(database.db, h);
        const campaign = (await createCampaign(database.db, 'admin', city.root.path, { name: '清零行动', regionId: city.root.id, cutoff: CUTOFF, target: addDays(CUTOFF, 4) }))!;
        // Taken the day after the last: every day final, and that day provisional.
        await takeCampaignSnapshots(database.db, instantOn(7, 1));
        for (const day of daysFrom(CUTOFF, LAST_DAY)) {
          for (const path of city.paths) {
            const answer = await readBurndown(database.db, campaign, path, day, 'leader');
            const expected = bruteForce(histories, path, day);
            expect({ path, day, totals: pick(answer.totals) }).toEqual({ path, day, totals: expected });
            for (const leader of [leaders[0]!, leaders[1]!, 'none']) {
              const item = answer.breakdown.find((b) => b.key === leader);
              const want = bruteForce(histories, path, day, leader);
              expect({ path, day, leader, figures: item?.figures ?? zero() }).toEqual({ path, day, leader, figures: want });
            }
            const series = daysFrom(CUTOFF, day).map((d) => ({ day: d, stockOpen: bruteForce(histories, path, d).stock.open }));
            expect(answer.stockClearedOn).toBe(stockClearedOn(series));
            expect(answer.complete).toBe(true);
            expect(answer.provisional).toBe(false);
          }
        }
        // The root's regional breakdown: each county's figures, one level down.
        const top = await readBurndown(database.db, campaign, city.root.path, LAST_DAY, 'region');
        expect(top.breakdown.map((b) => b.figures)).toEqual(city.paths.filter((p) => p.split('/').length === 4).map((p) => bruteForce(histories, p, LAST_DAY)));
      }),
      { numRuns: 12 },
    );
  });

  it('says when the stock reached zero, and starts again when a closed stock hazard is reopened', async () => {
    const city = await buildCity();
    const grid = city.grids[0]!;
    const base = { enterpriseId: grid.enterprises[0]!, regionPath: grid.path, deadline: addDays(CUTOFF, 3) };
    // Two stock hazards: one closed on cut-off day + 1, the other on + 3; the first reopened on + 5.
    const first = await insertHistory(database.db, { ...base, foundAt: instantOn(-3, 9), registeredAt: instantOn(-3, 9), actions: [{ kind: 'submit', at: instantOn(0, 10) }, { kind: 'accept', at: instantOn(1, 10) }] });
    await insertHistory(database.db, { ...base, foundAt: instantOn(-2, 9), registeredAt: instantOn(-2, 9), actions: [{ kind: 'submit', at: instantOn(2, 10) }, { kind: 'accept', at: instantOn(3, 10) }] });
    const campaign = (await createCampaign(database.db, 'admin', city.root.path, { name: '清零行动', regionId: city.root.id, cutoff: CUTOFF, target: addDays(CUTOFF, 4) }))!;
    await takeCampaignSnapshots(database.db, instantOn(5, 1));
    const onCutoff = await readBurndown(database.db, campaign, city.root.path, CUTOFF, 'region');
    expect(onCutoff.totals.stock).toEqual({ open: 2, closed: 0, voided: 0, overdue: 0 });
    expect(onCutoff.stockCleared).toBe(false);
    const cleared = await readBurndown(database.db, campaign, city.root.path, addDays(CUTOFF, 4), 'region');
    expect(cleared).toMatchObject({ stockCleared: true, stockClearedOn: addDays(CUTOFF, 3), totals: { stockTotal: 2 } });
    expect(cleared.series.map((s) => s.stock.open)).toEqual([2, 1, 1, 0, 0]);

    await appendEvents(database.db, first, [{ key: 'r2/reopened', type: 'reopened', at: instantOn(5, 8), data: { newDeadline: addDays(CUTOFF, 9) } }]);
    await takeCampaignSnapshots(database.db, instantOn(6, 1));
    const reopened = await readBurndown(database.db, campaign, city.root.path, addDays(CUTOFF, 5), 'region');
    expect(reopened).toMatchObject({ stockCleared: false, stockClearedOn: null, totals: { stock: { open: 1, closed: 1 } } });
    // What was said of day + 4 stands.
    expect(await readBurndown(database.db, campaign, city.root.path, addDays(CUTOFF, 4), 'region')).toEqual(cleared);
  });

  it('keeps a final day as it was: the app may neither change nor delete it, and a retake leaves it alone', async () => {
    const city = await buildCity();
    const grid = city.grids[1]!;
    const id = await insertHistory(database.db, { enterpriseId: grid.enterprises[0]!, regionPath: grid.path, foundAt: instantOn(-2, 9), registeredAt: instantOn(-2, 9), deadline: addDays(CUTOFF, 2), actions: [] });
    const campaign = (await createCampaign(database.db, 'admin', city.root.path, { name: '清零行动', regionId: city.root.id, cutoff: CUTOFF, target: addDays(CUTOFF, 4) }))!;
    await takeCampaignSnapshots(database.app, instantOn(2, 1));
    const before = await readBurndown(database.app, campaign, city.root.path, addDays(CUTOFF, 1), 'leader');
    expect(before.totals.stock.open).toBe(1);
    const final = sql`campaign_id = ${campaign.id} and day = ${addDays(CUTOFF, 1)}`;
    const refusal = (q: Promise<unknown>) => q.then(() => 'done', (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(await refusal(database.app.execute(sql`update campaign_snapshots set stock_open = 0 where ${final}`))).toMatch(/not rewritten/);
    expect(await refusal(database.app.execute(sql`delete from campaign_snapshots where ${final}`))).toMatch(/permission denied/);
    // Closed later with an event dated back into that day: the final day stands, the provisional one moves.
    await appendEvents(database.db, id, [
      { key: 'a/submit', type: 'rectification_submitted', at: instantOn(1, 10), data: {} },
      { key: 'a/accept', type: 'review_accepted', at: instantOn(1, 11), data: {} },
    ]);
    await takeCampaignSnapshots(database.app, instantOn(2, 2));
    expect(await readBurndown(database.app, campaign, city.root.path, addDays(CUTOFF, 1), 'leader')).toEqual(before);
    expect((await readBurndown(database.app, campaign, city.root.path, addDays(CUTOFF, 2), 'leader')).totals.stock).toMatchObject({ open: 0, closed: 1 });
  });
});

const zero = (): DayFigures => ({ stock: { open: 0, closed: 0, voided: 0, overdue: 0 }, new: { open: 0, closed: 0, voided: 0, overdue: 0 } });
const pick = (t: DayFigures) => Object.fromEntries(COHORTS.map((c) => [c, t[c]])) as DayFigures;
