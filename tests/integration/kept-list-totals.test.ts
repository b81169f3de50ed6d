/**
 * The list totals the figures keep (figure_ledger: every hazard by node, grade and status;
 * figure_notices: notices by node, status and ladder level) agree with a live count of the rows,
 * at every node and for every filter they hold, after writers changed hazards and notices at the
 * same time as folds ran (registrations, closures, voids, reopenings, moves to another region,
 * regrades, notices issued, signed, escalated, closed and moved), after the last fold, and after
 * a rebuild from the rows themselves.
 */
import { randomUUID } from 'node:crypto';
import { and, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { createRegion, type RegionRow } from '../../db/directory';
import { foldFigures, rebuildFigures } from '../../db/figures/fold';
import { keptNoticeTotal } from '../../db/figures/notice-total';
import { figuresTotal } from '../../db/figures/open-total';
import { hazardFilterConditions, prefixPattern, type HazardFilter } from '../../db/hazard-queries';
import { countUpTo } from '../../db/list-count';
import { noticeConditions, type NoticeFilter } from '../../db/notice-queries';
import { enterprises, hazards, notices } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy-defaults';
import { addDays, dueInstant, shanghaiDate } from '../../domain/shanghai-time';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let nodes: RegionRow[];
let places: RegionRow[];
let ents: Array<{ id: string; regionPath: string }>;
beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const city = await createRegion(db, 'test', { id: 'kc', name: '市', level: 'city' });
  nodes = [city];
  for (let k = 0; k < 2; k++) {
    const county = await createRegion(db, 'test', { id: `kk${k}`, name: `县${k}`, level: 'county', parentId: city.id });
    nodes.push(county);
    for (let t = 0; t < 2; t++) nodes.push(await createRegion(db, 'test', { id: `kt${k}${t}`, name: `镇${k}${t}`, level: 'township', parentId: county.id }));
  }
  places = nodes.slice(1);
  ents = await db
    .insert(enterprises)
    .values(places.map((p, i) => ({ name: `企业${i}`, creditCode: `91330000MA${String(i).padStart(8, '0')}`, regionId: p.id, regionPath: p.path })))
    .returning({ id: enterprises.id, regionPath: enterprises.regionPath });
}, 60_000);
afterAll(async () => database?.drop());

/** A small deterministic generator: the same workload on every run. */
function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % n;
  };
}

const TODAY = shanghaiDate(Date.now());
const HAZARD_STATUSES = ['rectifying', 'under_review', 'closed', 'void'] as const;
const NOTICE_STATUSES = ['issued', 'signed', 'closed'] as const;

function hazardRow(pick: (n: number) => number) {
  const ent = ents[pick(ents.length)]!;
  const id = randomUUID();
  const deadline = addDays(TODAY, pick(20) - 10);
  const status = HAZARD_STATUSES[pick(4)]!;
  const grade = pick(3) === 0 ? ('major' as const) : ('general' as const);
  return {
    id, workflowId: `hazard-${id}`, enterpriseId: ent.id, regionPath: ent.regionPath, title: 't', category: 'c', source: 's', grade,
    policy: DEFAULT_POLICIES[grade], status, round: 1, deadline, dueAt: new Date(dueInstant(deadline)), escalationLevel: 0,
    closedAt: status === 'closed' ? new Date() : null, createdBy: 'test', createdAt: new Date(), updatedAt: new Date(), projectionSeq: 1,
  };
}

function noticeRow(pick: (n: number) => number, n: number) {
  const ent = ents[pick(ents.length)]!;
  const id = randomUUID();
  // Every fifth addressed to a government body, with no enterprise.
  const body = pick(5) === 0;
  const status = NOTICE_STATUSES[pick(3)]!;
  return {
    id, workflowId: `notice-${id}`, code: `甲县应急〔2026〕${n}号`, agency: '甲县应急', enterpriseId: body ? null : ent.id, addressee: body ? '某局' : null,
    regionPath: ent.regionPath, title: 't', requirements: 'r', legalBasis: 'l', deadline: TODAY, dueAt: new Date(dueInstant(TODAY)), provisional: false,
    grade: 'general' as const, policy: {}, status, ladderLevel: status === 'closed' ? 0 : pick(3), openHazards: 1, issuedBy: 'test', issuedAt: new Date(),
    closedAt: status === 'closed' ? new Date() : null, updatedAt: new Date(), projectionSeq: 1,
  };
}

/** One writer's change, as a recording activity makes it: a row of hazards or notices moved in place. */
async function change(tx: Database, pick: (n: number) => number, serial: number): Promise<void> {
  const someHazard = sql`(select id from hazards order by id offset ${pick(60)} limit 1)`;
  const someNotice = sql`(select id from notices order by id offset ${pick(20)} limit 1)`;
  const elsewhere = places[pick(places.length)]!.path;
  const steps: SQL[] = [
    sql`update hazards set status = 'closed', closed_at = now() where id = ${someHazard} and status in ('rectifying', 'under_review')`,
    sql`update hazards set status = 'void' where id = ${someHazard} and status in ('rectifying', 'under_review')`,
    sql`update hazards set status = 'rectifying', closed_at = null, deadline = deadline + 5 where id = ${someHazard} and status = 'closed'`,
    sql`update hazards set status = 'under_review' where id = ${someHazard} and status = 'rectifying'`,
    sql`update hazards set region_path = ${elsewhere} where id = ${someHazard}`,
    sql`update hazards set grade = case grade when 'general' then 'major' else 'general' end where id = ${someHazard}`,
    sql`update hazards set deadline = deadline + 1, assigned_supervisor = 'sup' where id = ${someHazard}`,
    sql`update notices set status = 'signed', signed_at = now() where id = ${someNotice} and status = 'issued'`,
    sql`update notices set ladder_level = ladder_level + 1 where id = ${someNotice} and status <> 'closed'`,
    sql`update notices set status = 'closed', closed_at = now() where id = ${someNotice} and status <> 'closed'`,
    sql`update notices set region_path = ${elsewhere} where id = ${someNotice}`,
    sql`update notices set title = 'moved nothing counted' where id = ${someNotice}`,
  ];
  const kind = pick(steps.length + 2);
  if (kind === steps.length) await tx.insert(hazards).values([hazardRow(pick), hazardRow(pick)]);
  else if (kind === steps.length + 1) await tx.insert(notices).values(noticeRow(pick, 1_000 + serial));
  else await tx.execute(steps[kind]!);
}

/** Two writers changing the same rows in opposite order: Postgres ends one, and it is tried again, as an activity is. */
async function retried(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if ((code !== '40P01' && code !== '40001') || attempt >= 10) throw error;
    }
  }
}

/**
 * Several writers at once (as the application's role), each a run of transactions of one to three
 * changes, with folds among them (as the worker runs them).
 */
async function mixedWorkload(db: Database, folds: Database, seed: number): Promise<void> {
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      const pick = generator(seed * 31 + w);
      for (let i = 0; i < 30; i++) {
        if (pick(6) === 0) {
          await foldFigures(folds, { batch: 1 + pick(7) });
          continue;
        }
        const n = 1 + pick(3);
        await retried(() =>
          db.transaction(async (tx) => {
            for (let j = 0; j < n; j++) await change(tx as unknown as Database, pick, w * 1_000 + i * 10 + j);
          }),
        );
      }
    }),
  );
}

const HAZARD_FILTERS: HazardFilter[] = [
  {},
  ...HAZARD_STATUSES.map((status) => ({ status })),
  { grade: 'major' },
  { grade: 'general', status: 'closed' },
  { open: true },
  { open: false },
  { open: false, grade: 'major' },
];
const NOTICE_FILTERS: NoticeFilter[] = [{}, ...NOTICE_STATUSES.map((status) => ({ status })), { open: true }, { open: false }, { ladderLevel: 1 }, { ladderLevel: 2 }, { ladderLevel: 3 }];

/** Every kept total against the live count of the same filter, at every node (and through regionPath, the subtree filter). */
async function compareAll(db: Database): Promise<number> {
  const now = new Date();
  let compared = 0;
  for (const node of nodes) {
    for (const f of HAZARD_FILTERS) {
      const kept = await figuresTotal(db, node.path, { ...f, regionPath: node.path }, now);
      const live = await countUpTo(db, hazards, [sql`${hazards.regionPath} like ${prefixPattern(node.path)}`, ...hazardFilterConditions(f, now)], 1_000_000);
      expect({ node: node.path, f, total: kept?.total, from: kept?.from }).toEqual({ node: node.path, f, total: live, from: 'figures' });
      compared += live;
    }
    for (const f of NOTICE_FILTERS) {
      const kept = await keptNoticeTotal(db, node.path, f, now);
      const live = await countUpTo(db, notices, [and(...noticeConditions(sql`${notices.regionPath} like ${prefixPattern(node.path)}`, f, now))], 1_000_000);
      expect({ node: node.path, notices: f, total: kept?.total }).toEqual({ node: node.path, notices: f, total: live });
      compared += live;
    }
  }
  return compared;
}

describe('kept list totals', () => {
  it('agree with live counts after a mixed, concurrent workload and a fold, and after a rebuild', async () => {
    const db = database.app;
    const pick = generator(7);
    // Some rows of every status from the start, inserted many at a time (a stock import, a seed).
    await db.insert(hazards).values(Array.from({ length: 60 }, () => hazardRow(pick)));
    await db.insert(notices).values(Array.from({ length: 20 }, (_, i) => noticeRow(pick, i + 1)));
    await foldFigures(database.db);
    expect(await compareAll(db)).toBeGreaterThan(0);

    await mixedWorkload(db, database.db, 1);
    // Not folded since: the folded rows and the deltas after them agree with the hazards already.
    expect(await compareAll(db)).toBeGreaterThan(0);
    // Before the next fold the kept totals add the deltas written since the last one.
    const before = await figuresTotal(db, nodes[0]!.path, {}, new Date());
    expect(before?.from).toBe('figures');
    await db.insert(hazards).values(hazardRow(pick));
    expect((await figuresTotal(db, nodes[0]!.path, {}, new Date()))?.total).toBe(before!.total + 1);
    await foldFigures(database.db);
    const compared = await compareAll(db);

    // Every status and level the filters name occurred, so the comparison counted something of each.
    const { rows } = await db.execute<{ statuses: number; moved: number; levels: number }>(sql`
      select (select count(distinct status) from hazards)::int as statuses,
             (select count(*) from hazards h join enterprises e on e.id = h.enterprise_id where h.region_path <> e.region_path)::int as moved,
             (select count(distinct ladder_level) from notices where status <> 'closed')::int as levels`);
    expect(rows[0]).toMatchObject({ statuses: 4, moved: expect.any(Number), levels: expect.any(Number) });
    expect(rows[0]!.moved).toBeGreaterThan(0);
    expect(rows[0]!.levels).toBeGreaterThanOrEqual(2);
    expect(compared).toBeGreaterThan(500);

    // A rebuild from the rows (as after a bulk load) gives the same totals.
    await rebuildFigures(database.db);
    expect(await compareAll(db)).toBe(compared);
  }, 120_000);
});
