/**
 * The plans of every list and figure a person can open at city scale: 100,000 hazards (the city
 * seed, analysed) and, written beside them in bulk, 20,000 notices, 3,000 suspensions, 60,000
 * inspections, 20,000 urges and the inbox rows of the hazards' notifications. Each statement is
 * built by the very function the API runs it from, for a city leader, a county leader, a grid
 * worker and an enterprise as their lists allow, with the filters people open them with, first
 * and deep pages; and the leaders' figures for a city, county, township and grid node and an
 * enterprise. None may read a big table through a sequential scan that discards more than it
 * keeps, walk an index discarding far more than it keeps, or cost or take out of all proportion
 * to a page (tests/support/plan-check.ts); the plans that do are printed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazardFilterOf } from '../../api/hazard-list-filter';
import type { ListHazardsQuery } from '../../api/schemas/hazard';
import type { Principal } from '../../auth/principal';
import { deliveryListStatement, unreadCountStatement } from '../../db/deliveries';
import { escalationListStatement } from '../../db/escalations';
import { FigureReader } from '../../db/figures/answers';
import { figureStatements, type Dimension } from '../../db/figures/read';
import { noticeTotalStatement } from '../../db/figures/notice-total';
import { keptHazardTotalStatement } from '../../db/figures/open-total';
import { hazardListStatements, hazardScope } from '../../db/hazard-queries';
import { inspectionListStatements, inspectionScope, listInspections, type InspectionFilter } from '../../db/inspections';
import { TOTAL_CAP } from '../../db/list-count';
import { noticeListStatements, noticeScope, type NoticeFilter } from '../../db/notice-queries';
import { postOfUser } from '../../db/posts';
import { suspensionListStatements, suspensionScope, type SuspensionFilter } from '../../db/suspension-queries';
import { urgeListStatement, type UrgeListQuery } from '../../db/urge-queries';
import { recipientClauses } from '../../domain/escalation-recipients';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { seedCity } from '../../scripts/seed-city';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { explainStatement, failures, planLine, tableSizes, type PlanResult } from '../support/plan-check';
import { seedCaseRows } from '../support/seed-case-rows';

const AS_OF = new Date('2026-11-20T03:00:00Z');
const NOW = AS_OF.getTime();
const TODAY = shanghaiDate(NOW);
/** Where a deep page starts: 200 days back, past most of a city's recent rows. */
const DEEP = new Date(NOW - 200 * 86_400_000);
const LAST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

type Who = 'city' | 'county' | 'grid' | 'enterprise';
let db: TestDatabase;
let sizes: Map<string, number>;
const people: Record<Who, Principal> = {} as never;
const values: {
  grid: string;
  gridPath: string;
  county: string;
  countyPath: string;
  township: string;
  enterpriseId: string;
  leader: string;
  industry: string;
  supervisor: string;
  campaign: string;
  noticeEnterprise: string;
} = {} as never;
const rowCounts: Record<string, number> = {};

const one = async <T>(query: ReturnType<typeof sql>) => (await db.db.execute(query)).rows[0] as T;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCity({
    url: db.url,
    seed: 5,
    hazards: 100_000,
    sizes: { counties: 19, townships: 60, grids: 600, enterprises: 6_000 },
    asOf: AS_OF,
    batch: 5_000,
    progress: null,
    log: () => undefined,
  });
  Object.assign(rowCounts, await seedCaseRows(db.url, AS_OF));
  sizes = await tableSizes(db.pool);
  const principal = (role: Principal['role'], r: { id: string; path: string }, enterpriseId: string | null = null, userId = '00000000-0000-0000-0000-000000000000', username = `plans-${role}`): Principal => ({
    userId,
    username,
    kind: 'person',
    role,
    regionId: r.id,
    regionPath: r.path,
    enterpriseId,
    via: 'token',
  });
  const region = (level: string) => one<{ id: string; path: string }>(sql`select id, path from regions where level = ${level} order by path limit 1`);
  const [city, county, township, grid] = [await region('city'), await region('county'), await region('township'), await region('grid')];
  const ent = await one<{ id: string; path: string }>(sql`select e.id, e.region_path as path from enterprises e order by e.id limit 1`);
  const leader = await one<{ id: string; industry: string }>(sql`select responsible_leader_id as id, industry from enterprises where responsible_leader_id is not null limit 1`);
  const sup = await one<{ s: string }>(sql`select assigned_supervisor as s from hazards where assigned_supervisor is not null limit 1`);
  const campaign = await one<{ id: string }>(sql`select id from campaigns limit 1`);
  const noticed = await one<{ id: string }>(sql`select enterprise_id as id from notices where enterprise_id is not null group by 1 order by count(*) desc, 1 limit 1`);
  people.city = principal('leader', city);
  people.county = principal('leader', county);
  people.grid = principal('supervisor', grid);
  people.enterprise = principal('enterprise', { id: grid.id, path: ent.path }, ent.id);
  Object.assign(values, {
    grid: grid.id,
    gridPath: grid.path,
    county: county.id,
    countyPath: county.path,
    township: township.path,
    enterpriseId: ent.id,
    leader: leader.id,
    industry: leader.industry,
    supervisor: sup.s,
    campaign: campaign.id,
    noticeEnterprise: noticed.id,
  });
}, 1_800_000);

afterAll(async () => {
  await db?.drop();
});

/** Explains each statement, logs one line a statement, and fails listing every plan that shows a missing index. */
async function check(title: string, statements: Array<[string, Parameters<typeof explainStatement>[2]]>) {
  const plans: PlanResult[] = [];
  for (const [name, q] of statements) plans.push(await explainStatement(db.pool, name, q, sizes));
  console.log(`${title}: ${plans.length} statements\n${plans.map(planLine).join('\n')}`);
  expect(plans.length).toBe(statements.length);
  expect(failures(plans)).toEqual([]);
}

/** The filters people open the hazard list with: the ledger's own, and every figure's list query. */
function hazardFilterCases(): Array<[string, Partial<ListHazardsQuery>]> {
  const month = addDays(TODAY, -30);
  return [
    ['everything', {}],
    ['a status', { status: 'under_review' }],
    ['overdue', { overdue: true }],
    ['open', { open: true }],
    ['major', { grade: 'major' }],
    ['a grid', { region: values.grid }],
    ['overdue in a grid', { region: values.grid, overdue: true }],
    ['an age bucket', { age: '8-15' }],
    ['the oldest bucket, major', { age: '31+', grade: 'major' }],
    ['a leader (包联)', { leader: values.leader, open: true }],
    ['an industry, overdue', { industry: values.industry, overdue: true }],
    ['a supervisor', { supervisor: values.supervisor, open: true }],
    ['listed', { listed: true, open: true }],
    ['repeats found in a month', { repeat: true, foundFrom: month, foundTo: TODAY }],
    ['found in a month', { foundFrom: month, foundTo: TODAY }],
    ['closed in a month', { status: 'closed', closedFrom: month, closedTo: TODAY }],
    ['awaiting an extension decision', { extensionPending: true }],
    ['an enterprise', { enterpriseId: values.enterpriseId }],
    ['a campaign stock', { campaign: values.campaign, cohort: 'stock', open: true }],
  ];
}

/** A grid worker and an enterprise may name only what lies within their reach. */
const reachable = (who: Who, filter: object) => who === 'city' || who === 'county' || !('region' in filter || 'regionPath' in filter || 'campaign' in filter || 'enterpriseId' in filter);

describe('at city scale (100,000 hazards)', () => {
  it('the hazard list reads through indexes for every reader, filter and page', async () => {
    const statements: Array<[string, Parameters<typeof explainStatement>[2]]> = [];
    for (const [who, p] of Object.entries(people) as Array<[Who, Principal]>) {
      for (const [label, query] of hazardFilterCases()) {
        if (!reachable(who, query)) continue;
        const filter = await hazardFilterOf(db.db, p, { limit: 50, ...query } as ListHazardsQuery, NOW);
        for (const deep of [false, true]) {
          const s = hazardListStatements(db.db, hazardScope(p), filter, { limit: 50, after: deep ? { createdAt: DEEP, id: LAST_ID } : undefined }, new Date(NOW));
          statements.push([`hazards · ${who} · ${label} · ${deep ? 'deep' : 'first'} count`, s.count], [`hazards · ${who} · ${label} · ${deep ? 'deep' : 'first'} page`, s.rows]);
        }
        // The first page's total read from the leaders' figures where they hold the filter.
        const kept = p.role === 'enterprise' ? null : keptHazardTotalStatement(db.db, filter.regionPath ?? p.regionPath, filter, TODAY);
        if (kept) statements.push([`hazards · ${who} · ${label} · figures total`, kept]);
      }
    }
    expect(statements.length).toBeGreaterThan(100);
    await check('hazard list', statements);
  }, 600_000);

  it("a leader's overdue page takes its ids by deadline, not in creation order, and reads only the page's rows", async () => {
    // Overdue hazards are the old open ones: a page built by walking the open ones back from the
    // newest, reading each candidate's row, read most of a city's open hazards (100 ms at 1M).
    // As autovacuum leaves them (migration 0040 sets it to visit the hazards after 1% change).
    await db.pool.query('vacuum (analyze) hazards');
    for (const who of ['city', 'county'] as const) {
      const p = people[who];
      const filter = await hazardFilterOf(db.db, p, { limit: 50, overdue: true } as ListHazardsQuery, NOW);
      const plan = await explainStatement(db.pool, `${who} overdue page`, hazardListStatements(db.db, hazardScope(p), filter, { limit: 50 }, new Date(NOW)).rows, sizes);
      const shown = plan.nodes.join(' > ');
      // The ids by deadline, sorted: never a walk of the hazards in creation order.
      expect(plan.nodes.filter((n) => /\((hazards_open_created_idx|hazards_created_idx)\)/.test(n) || n.startsWith('Seq Scan on hazards')), shown).toEqual([]);
      // Whole rows only for the page's ids (at 1M, the ids from hazards_rectifying_due_idx alone).
      expect(plan.nodes, shown).toContain('Index Scan on hazards (hazards_pkey)');
    }
  }, 120_000);

  it('the notice list reads through indexes for every reader, filter and page', async () => {
    const cases: Array<[string, NoticeFilter]> = [
      ['everything', {}],
      ['a county', { regionPath: values.countyPath }],
      ['a grid', { regionPath: values.gridPath }],
      ['open', { open: true }],
      ['overdue', { overdue: true }],
      ['signed late or not at all', { signOverdue: true }],
      ['issued, not yet signed', { status: 'issued' }],
      ['ladder level 2', { ladderLevel: 2 }],
      ['a supervision letter', { instrument: 'supervision_letter' }],
      ['a penalty pending', { pendingDecision: 'penalty' }],
      ['a decision for a county leader', { decider: 'county_leader' }],
      ['an enterprise', { enterpriseId: values.noticeEnterprise }],
      ['overdue in a county', { regionPath: values.countyPath, overdue: true }],
    ];
    const statements: Array<[string, Parameters<typeof explainStatement>[2]]> = [];
    for (const [who, p] of Object.entries(people) as Array<[Who, Principal]>) {
      for (const [label, f] of cases) {
        if (!reachable(who, f)) continue;
        // Filters on the ladder and decisions are not an enterprise's (api/routes/notices.ts).
        if (who === 'enterprise' && (f.ladderLevel || f.instrument || f.pendingDecision || f.decider)) continue;
        for (const deep of [false, true]) {
          const s = noticeListStatements(db.db, noticeScope(p), f, { limit: 50, after: deep ? { createdAt: DEEP, id: LAST_ID } : undefined }, new Date(NOW));
          statements.push([`notices · ${who} · ${label} · ${deep ? 'deep' : 'first'} count`, s.count], [`notices · ${who} · ${label} · ${deep ? 'deep' : 'first'} page`, s.rows]);
        }
        // The first page's total read from the kept figures where they hold the filter.
        const kept = p.role === 'enterprise' ? null : noticeTotalStatement(f.regionPath ?? p.regionPath, f);
        if (kept) statements.push([`notices · ${who} · ${label} · figures total`, kept]);
      }
    }
    await check('notice list', statements);
  }, 300_000);

  it('the suspension and inspection lists read through indexes for every reader, filter and page', async () => {
    const suspensionCases: Array<[string, SuspensionFilter]> = [
      ['everything', {}],
      ['suspended', { status: 'suspended' }],
      ['resumption requested', { status: 'resumption_requested' }],
      ['an enterprise', { enterpriseId: values.noticeEnterprise }],
    ];
    const inspectionCases: Array<[string, InspectionFilter]> = [
      ['everything', {}],
      ['findings pending', { pendingFindings: true }],
      ['an enterprise', { enterpriseId: values.noticeEnterprise }],
    ];
    const statements: Array<[string, Parameters<typeof explainStatement>[2]]> = [];
    for (const [who, p] of Object.entries(people) as Array<[Who, Principal]>) {
      for (const deep of [false, true]) {
        const page = { limit: 50, after: deep ? { createdAt: DEEP, id: LAST_ID } : undefined };
        const at = `${deep ? 'deep' : 'first'}`;
        for (const [label, f] of suspensionCases) {
          if (!reachable(who, f)) continue;
          const s = suspensionListStatements(db.db, suspensionScope(p), f, page);
          statements.push([`suspensions · ${who} · ${label} · ${at} count`, s.count], [`suspensions · ${who} · ${label} · ${at} page`, s.rows]);
        }
        for (const [label, f] of inspectionCases) {
          if (!reachable(who, f)) continue;
          const s = inspectionListStatements(db.db, inspectionScope(p), f, page);
          statements.push([`inspections · ${who} · ${label} · ${at} count`, s.count], [`inspections · ${who} · ${label} · ${at} page`, s.rows]);
        }
      }
    }
    await check('suspension and inspection lists', statements);
    // A city's inspections are counted no further than the cap: the page says "at least".
    const cityPage = await listInspections(db.db, inspectionScope(people.city), {}, { limit: 20 });
    expect([cityPage.total.total, cityPage.total.totalAtLeast, cityPage.rows.length]).toEqual([TOTAL_CAP, true, 21]);
  }, 300_000);

  it('the inbox, its unread count, the urges and the escalations addressed to a person read through indexes', async () => {
    // The busiest inbox of a supervisor and of a leader.
    const inboxOf = (role: string) =>
      one<{ id: string; username: string; mid: number }>(sql`
        select u.id, u.username, percentile_disc(0.5) within group (order by d.id) as mid
        from deliveries d join users u on u.id = d.user_id where u.role = ${role} group by u.id, u.username order by count(*) desc, u.id limit 1`);
    const statements: Array<[string, Parameters<typeof explainStatement>[2]]> = [];
    for (const role of ['supervisor', 'leader']) {
      const u = await inboxOf(role);
      for (const unread of [false, true]) {
        for (const beforeId of [undefined, Number(u.mid)]) {
          statements.push([`inbox · ${role} · ${unread ? 'unread' : 'all'} · ${beforeId ? 'deep' : 'first'}`, deliveryListStatement(db.db, { userId: u.id, unread, beforeId, limit: 50 })]);
        }
      }
      statements.push([`inbox · ${role} · unread count`, unreadCountStatement(db.db, u.id)]);
    }
    // Urges: the busiest urging leader's own, and everyone's within a city's and a county's reach.
    const urger = await one<{ urged_by: string }>(sql`select urged_by from urges group by 1 order by count(*) desc, 1 limit 1`);
    const urgeCases: Array<[string, Omit<UrgeListQuery, 'limit' | 'after' | 'reachPath'>]> = [
      ['mine', { urgedBy: urger.urged_by }],
      ['mine, not moved', { urgedBy: urger.urged_by, moved: false }],
      ['everyone’s', { urgedBy: null }],
      ['everyone’s notices', { urgedBy: null, itemKind: 'notice' }],
      ['everyone’s, moved', { urgedBy: null, moved: true }],
    ];
    for (const reach of [people.city.regionPath, values.countyPath]) {
      for (const [label, q] of urgeCases) {
        for (const deep of [false, true]) {
          statements.push([
            `urges · ${reach === people.city.regionPath ? 'city' : 'county'} · ${label} · ${deep ? 'deep' : 'first'}`,
            urgeListStatement({ ...q, reachPath: reach, limit: 50, after: deep ? { urgedAt: DEEP, id: LAST_ID } : undefined }),
          ]);
        }
      }
    }
    // Escalations: a city leader, a county leader and a section chief by the posts they hold, a 包联 leader without one.
    const holder = (post: string) =>
      one<{ id: string; username: string; role: 'leader' | 'supervisor'; path: string; region_id: string }>(sql`
        select u.id, u.username, u.role, r.path, r.id as region_id from user_posts p join users u on u.id = p.user_id join regions r on r.id = u.region_id
        where p.post = ${post} order by u.id limit 1`);
    const addressees = await Promise.all(['city_leader', 'county_leader', 'section_chief'].map(holder));
    const responsible = await one<{ id: string; username: string; path: string; region_id: string }>(sql`
      select u.id, u.username, r.path, r.id as region_id from enterprises e join users u on u.id = e.responsible_leader_id join regions r on r.id = u.region_id
      group by u.id, u.username, r.path, r.id order by count(*) desc, u.id limit 1`);
    for (const a of [...addressees.filter(Boolean), { ...responsible, role: 'leader' as const }]) {
      const post = (await postOfUser(db.db, a.id))?.post ?? null;
      const clauses = recipientClauses({ userId: a.id, username: a.username, role: a.role, regionPath: a.path, post });
      for (const deep of [false, true]) {
        statements.push([
          `escalations · ${post ?? 'responsible leader'} · ${deep ? 'deep' : 'first'}`,
          escalationListStatement({ reachPath: a.path, clauses, limit: 50, after: deep ? { scheduledAt: DEEP, sid: 'h' } : undefined }),
        ]);
      }
    }
    await check('inbox, urges and escalations', statements);
  }, 300_000);

  it('the leaders’ figures read their summary rows through indexes for every node', async () => {
    const figures = new FigureReader(db.db, NOW);
    const collapse = await figures.collapse();
    const { current, previous } = figures.period('month');
    const year = figures.period('year').current;
    const nodes: Array<[string, string]> = [
      ['figures · city', people.city.regionPath],
      ['figures · county', values.countyPath],
      ['figures · township', values.township],
      ['figures · grid', values.gridPath],
    ];
    const statements: Array<[string, Parameters<typeof explainStatement>[2]]> = [];
    const at = (label: string, a: Parameters<typeof figureStatements.openAt>[0]) => {
      statements.push(
        [`${label} · open`, figureStatements.openAt(a, collapse)],
        [`${label} · this month`, figureStatements.daysAt(a, current.from, current.to)],
        [`${label} · last month`, figureStatements.daysAt(a, previous.from, previous.to)],
        [`${label} · since last month, major`, figureStatements.daysAt(a, addDays(previous.to, 1), null, 'major')],
        [`${label} · a year's trend`, figureStatements.daySeries(a, year.from, year.to)],
        [`${label} · closure days`, figureStatements.closureDaysAt(a, current.from, current.to)],
      );
    };
    for (const [label, path] of nodes) {
      at(label, { nodePath: path });
      statements.push(
        [`${label} · open of children`, figureStatements.openOfChildren(path, collapse)],
        [`${label} · days of children`, figureStatements.daysOfChildren(path, current.from, current.to)],
        ...(['industry', 'leader', 'supervisor'] as Dimension[]).flatMap((d): Array<[string, Parameters<typeof explainStatement>[2]]> => [
          [`${label} · open by ${d}, aged`, figureStatements.openByDimension(path, d, collapse, true, 100)],
          [`${label} · open by ${d}, by deadline`, figureStatements.openByDimension(path, d, collapse, false, 100)],
        ]),
        [`${label} · enterprises by overdue, aged`, figureStatements.enterprisesByOverdue(path, collapse, true, 20)],
        [`${label} · enterprises by overdue, by deadline`, figureStatements.enterprisesByOverdue(path, collapse, false, 20)],
        [`${label} · enterprises by repeats`, figureStatements.enterprisesByRepeats(path, year.from, year.to, 20)],
      );
      const notices = figureStatements.openNoticesAt(path, new Date(NOW));
      statements.push([`${label} · open notices`, notices.counts], [`${label} · notices by instrument`, notices.ladder], [`${label} · pending decisions`, notices.decisions]);
    }
    at('figures · an enterprise', { enterpriseId: values.enterpriseId });
    const ranked = await db.db.execute<{ id: string; node_path: string }>(figureStatements.enterprisesByOverdue(people.city.regionPath, collapse, true, 20));
    expect(ranked.rows.length).toBeGreaterThan(0);
    statements.push(['figures · city · oldest overdue of the ranked', figureStatements.oldestOverdue(ranked.rows.map((r) => ({ nodePath: r.node_path, id: r.id })), collapse.today)]);
    await check('figures', statements);
  }, 300_000);

  it('has the rows it claims', () => {
    console.log(`rows: ${JSON.stringify(rowCounts)}`);
    expect(rowCounts.hazards).toBe(100_000);
    for (const t of ['notices', 'suspensions', 'inspections', 'urges', 'deliveries', 'notice_notifications', 'notice_decisions']) expect(rowCounts[t]).toBeGreaterThan(1_000);
  });
});
