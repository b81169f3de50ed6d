/**
 * `npm run bench:lists [-- --hazards 100000 --seconds 5 --warm 2 --connections 10,50 --deep-pages 40] [--explain]`:
 * a city from the city seed (bulk COPY), then the city leader's and a county leader's hazard list
 * (first page, overdue, a region's subtree, a deep page reached by following cursors) and a
 * hazard's record through the real API under autocannon, beside a bare Express + pg endpoint
 * running the same statements, in the same run. With --explain, first the plans of every list
 * statement the API runs for them (and for the filters of tests/integration/list-plans.test.ts),
 * checked for sequential scans of hazards. Writes bench/results/lists-<time>.json.
 * `--hazards 10000` / `--hazards 1000000` for the small and the large city; `--seeded`: the city
 * already in DATABASE_URL, measured as it is (seeding 1M again takes the better part of an hour).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import { createUser } from '../db/directory';
import { foldFigures } from '../db/figures/fold';
import { keepFiguresFolded } from '../db/figures/fold-loop';
import { CITY_SIZES } from '../scripts/seed-city-directory';
import { seedCity } from '../scripts/seed-city';
import { startBenchApi, benchToken } from './bench-api';
import { benchServers, say, writeResult } from './bench-servers';
import { explainLists, formatPlans } from './lists-explain';
import { formatLists, listCases, measureLists, startListBaseline, type Persona } from './lists-measure';

const { values } = parseArgs({
  options: {
    hazards: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '10,50' },
    seconds: { type: 'string', default: '5' },
    warm: { type: 'string', default: '2' },
    'deep-pages': { type: 'string', default: '40' },
    limit: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    explain: { type: 'boolean', default: false },
    seeded: { type: 'boolean', default: false },
  },
});
if (values.seeded && !process.env.DATABASE_URL) throw new Error('--seeded measures the city already in DATABASE_URL: set it');
const hazards = Number(values.hazards);
const connections = values.connections.split(',').map(Number);
const seconds = Number(values.seconds);
const limit = Number(values.limit);
const password = randomBytes(18).toString('base64url');

const servers = await benchServers(20);
try {
  const { database, dbUrl } = servers;
  say(values.seeded ? 'measuring the city already seeded' : `seeding a city with ${hazards.toLocaleString('en')} hazards`);
  const seeded = values.seeded ? null : await seedCity({ url: dbUrl, seed: Number(values.seed), hazards, sizes: CITY_SIZES, progress: process.stderr, log: say });
  if (seeded) await database.pool.query('analyze');
  // The city, its first county, and a township under that county (the subtree filters).
  const { rows: nodes } = await database.pool.query<{ id: string; path: string; level: string }>(
    `(select id, path, level from regions where id ~ '^city[0-9]+(-|$)' and level = 'city' order by path limit 1)
     union all (select id, path, level from regions where id ~ '^city[0-9]+-' and level = 'county' order by path limit 1)`,
  );
  const [city, county] = nodes;
  if (!city || !county) throw new Error('the seeded city has no county');
  const { rows: towns } = await database.pool.query<{ id: string }>(`select id from regions where level = 'township' and path like $1 order by path limit 1`, [`${county.path}%`]);
  const township = towns[0];
  if (!township) throw new Error('the seeded county has no township');

  // The figures folded as the worker keeps them in production: list totals read them.
  await foldFigures(database.db);
  servers.stops.push(keepFiguresFolded(database.db, { warn: (o: unknown, m?: string) => say(`${m ?? ''} ${String(o)}`) }));
  const { baseUrl: apiBaseUrl } = await startBenchApi(servers, 'lists');
  const persona = async (label: string, region: { id: string; path: string }, sub: string): Promise<Persona> => {
    const username = `bench-${label}-leader-${servers.stamp}`;
    const user = await createUser(database.db, 'bench', { username, displayName: `基准${label}领导`, role: 'leader', regionId: region.id, passwordHash: await hashPassword(password) });
    const principal: Principal = { userId: user.id, username, kind: 'person', role: 'leader', regionId: region.id, regionPath: region.path, enterpriseId: null, via: 'token' };
    return { label, token: await benchToken(apiBaseUrl, username, password), principal, subRegionId: sub };
  };
  const personas = [await persona('city', city, county.id), await persona('county', county, township.id)];

  const now = Date.now();
  const cases = [];
  for (const p of personas) {
    for (const c of await listCases({ apiBaseUrl, db: database.db, persona: p, limit, deepPages: Number(values['deep-pages']), now })) cases.push({ ...c, persona: p.label });
  }

  let plans;
  if (values.explain) {
    say('explaining every list statement');
    plans = await explainLists(database.pool, database.db, personas, cases, now);
    console.log(formatPlans(plans));
  }

  // The baseline has a pool of its own, as large as the API's, on the same database.
  const pool = new pg.Pool({ connectionString: dbUrl, max: 20 });
  servers.stops.push(() => pool.end());
  const baseline = await startListBaseline(pool, cases);
  servers.stops.push(baseline.close);

  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const loadBefore = load();
  say(`measuring ${cases.length} cases at ${connections.join(' and ')} connections, ${seconds} s each, API then baseline (load average ${loadBefore})`);
  const results = await measureLists({ apiBaseUrl, baselineUrl: baseline.url, tokens: new Map(personas.map((p) => [p.label, p.token])), connections, seconds, warmSeconds: Number(values.warm) }, cases);
  const loadAfter = load();
  const { rows: held } = await database.pool.query<{ n: string }>(`select count(*) as n from hazards where region_path like $1`, [`${city.path}%`]);
  const origin = seeded ? `city seed: ${seeded.hazardsWritten.toLocaleString('en')} hazards written in ${seeded.seconds.toFixed(1)} s` : `the city as seeded before`;
  console.log(`${origin}, ${Number(held[0]!.n).toLocaleString('en')} hazards in the city; load average before ${loadBefore}, after ${loadAfter}`);
  console.log(formatLists(results));
  await writeResult('lists', { hazards: Number(held[0]!.n), connections, seconds, limit, loadBefore, loadAfter, cases: cases.map((c) => ({ name: c.name, api: c.api })), results, plans });
  if (plans && plans.some((p) => p.scans.length)) process.exitCode = 1;
} finally {
  await servers.close();
}
