/**
 * The plans of the hazard list at 100,000 hazards (the city seed, analysed): for a city leader, a
 * county leader, a grid worker and an enterprise, with every filter the figures open onto, first
 * and deep pages, neither the page nor its capped count reads the hazards or enterprises tables
 * through a sequential scan. A filter added without an index that serves it fails here.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazardFilterOf } from '../../api/hazard-list-filter';
import type { ListHazardsQuery } from '../../api/schemas/hazard';
import type { Principal } from '../../auth/principal';
import { hazardListStatements, hazardScope } from '../../db/hazard-queries';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { seedCity } from '../../scripts/seed-city';
import { createTestDatabase, type TestDatabase } from '../support/database';

const AS_OF = new Date('2026-11-20T03:00:00Z');
const NOW = AS_OF.getTime();
const TODAY = shanghaiDate(NOW);

let db: TestDatabase;
const people: Record<'city' | 'county' | 'grid' | 'enterprise', Principal> = {} as never;
const values: { grid: string; enterpriseId: string; leader: string; industry: string; supervisor: string; campaign: string } = {} as never;

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
  for (const i of ['hazards_open_created_idx','hazards_major_created_idx','hazards_extension_pending_idx','hazards_closed_idx','hazards_supervisor_idx','enterprises_leader_idx','enterprises_industry_idx']) await db.db.execute(sql.raw(`drop index ${i}`));
  await db.db.execute(sql`analyze`);
  const principal = (role: Principal['role'], r: { id: string; path: string }, enterpriseId: string | null = null): Principal => ({
    userId: '00000000-0000-0000-0000-000000000000',
    username: `plans-${role}`,
    kind: 'person',
    role,
    regionId: r.id,
    regionPath: r.path,
    enterpriseId,
    via: 'token',
  });
  const region = (level: string) => one<{ id: string; path: string }>(sql`select id, path from regions where level = ${level} order by path limit 1`);
  const [city, county, grid] = [await region('city'), await region('county'), await region('grid')];
  const ent = await one<{ id: string; path: string }>(sql`select e.id, e.region_path as path from enterprises e order by e.id limit 1`);
  const leader = await one<{ id: string; industry: string }>(sql`select responsible_leader_id as id, industry from enterprises where responsible_leader_id is not null limit 1`);
  const sup = await one<{ s: string }>(sql`select assigned_supervisor as s from hazards where assigned_supervisor is not null limit 1`);
  const campaign = await one<{ id: string }>(sql`select id from campaigns limit 1`);
  people.city = principal('leader', city);
  people.county = principal('leader', county);
  people.grid = principal('supervisor', grid);
  people.enterprise = principal('enterprise', { id: grid.id, path: ent.path }, ent.id);
  Object.assign(values, { grid: grid.id, enterpriseId: ent.id, leader: leader.id, industry: leader.industry, supervisor: sup.s, campaign: campaign.id });
}, 900_000);

afterAll(async () => {
  await db?.drop();
});

/** The filters people open the list with: the ledger's own, and every figure's list query. */
function filterCases(): Array<[string, Partial<ListHazardsQuery>]> {
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

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Sequential scans of the hazards or enterprises that discard more rows than they keep. */
function wastefulScans(plan: PlanNode): string[] {
  const kept = (plan['Actual Rows'] ?? 0) * (plan['Actual Loops'] ?? 1);
  const removed = plan['Rows Removed by Filter'] ?? 0;
  const own =
    plan['Node Type'] === 'Seq Scan' && (plan['Relation Name'] === 'hazards' || plan['Relation Name'] === 'enterprises') && removed > kept
      ? [`seq scan on ${plan['Relation Name']} (kept ${kept}, discarded ${removed})`]
      : [];
  return [...own, ...(plan.Plans ?? []).flatMap(wastefulScans)];
}

describe('the hazard list at 100,000 hazards', () => {
  it('reads through indexes for every reader, filter and page', async () => {
    const found: string[] = [];
    let planned = 0;
    for (const [who, p] of Object.entries(people)) {
      for (const [label, query] of filterCases()) {
        // A grid worker and an enterprise may name only what lies within their reach.
        if ((who === 'grid' || who === 'enterprise') && ('region' in query || 'campaign' in query || 'enterpriseId' in query)) continue;
        const filter = await hazardFilterOf(db.db, p, { limit: 50, ...query } as ListHazardsQuery, NOW);
        for (const deep of [false, true]) {
          const after = deep ? { createdAt: new Date(NOW - 200 * 86_400_000), id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' } : undefined;
          const statements = hazardListStatements(db.db, hazardScope(p), filter, { limit: 50, after }, new Date(NOW));
          for (const [kind, statement] of [['count', statements.count], ['page', statements.rows]] as const) {
            const { sql: text, params } = statement.toSQL();
            const { rows } = await db.pool.query(`explain (analyze, format json) ${text}`, params);
            const scans = wastefulScans(rows[0]['QUERY PLAN'][0].Plan);
            planned++;
            if (scans.length) found.push(`${who} · ${label} · ${deep ? 'deep' : 'first'} ${kind}: ${scans.join(', ')}`);
          }
        }
      }
    }
    expect(planned).toBeGreaterThan(100);
    expect(found).toEqual([]);
  }, 300_000);
});
