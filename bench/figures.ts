/**
 * `npm run bench:figures [-- --hazards 1000000 --connections 10 --seconds 10 --seeded]`: a city from the
 * city seed (rows only, figures rebuilt), then each of a leader's dashboard figures under C
 * concurrent callers through the real API, at the city and at a county, beside a bare endpoint
 * answering the overview and the county breakdown with a live GROUP BY over the same hazards in
 * the same run. Prints p50/p95/p99 and req/s of both and writes bench/results/figures-<time>.json.
 * Uses DATABASE_URL / TEMPORAL_ADDRESS when set (a database the city seed may write into;
 * `--seeded`: one it already wrote, measured as it is).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hashPassword } from '../auth/passwords';
import { createUser } from '../db/directory';
import { foldFigures } from '../db/figures/fold';
import { CITY_SIZES } from '../scripts/seed-city-directory';
import { seedCity } from '../scripts/seed-city';
import { startBenchApi, benchToken } from './bench-api';
import { benchServers, say, writeResult } from './bench-servers';
import { computeAnew, dashboardCases, formatCases, measureCases, startBaseline } from './figures-measure';

const { values } = parseArgs({
  options: {
    hazards: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    // The database at DATABASE_URL already holds the city (seeding it again only checks, for minutes).
    seeded: { type: 'boolean', default: false },
  },
});
if (values.seeded && !process.env.DATABASE_URL) throw new Error('--seeded measures the city already in DATABASE_URL: set it');
const hazards = Number(values.hazards);
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const password = randomBytes(18).toString('base64url');

const servers = await benchServers(20);
try {
  const { database, dbUrl } = servers;
  say(values.seeded ? 'measuring the city already seeded' : `seeding a city with ${hazards.toLocaleString('en')} hazards`);
  const seeded = values.seeded
    ? null
    : await seedCity({ url: dbUrl, seed: Number(values.seed), hazards, sizes: CITY_SIZES, progress: process.stderr, log: say });
  // What the worker's fold loop does within seconds: fold what is waiting and age the open rows for today.
  const foldStarted = performance.now();
  await foldFigures(database.db);
  const foldSeconds = (performance.now() - foldStarted) / 1000;
  say(`figures folded and aged for today in ${foldSeconds.toFixed(1)} s`);
  const { rows: nodes } = await database.pool.query<{ id: string; path: string; level: string }>(
    `select id, path, level from regions where id ~ '^city[0-9]+(-|$)' and level in ('city', 'county') order by level = 'county', path limit 2`,
  );
  const [city, county] = nodes;
  if (!city || !county) throw new Error('the seeded city has no county');
  const username = `bench-leader-${servers.stamp}`;
  await createUser(database.db, 'bench', { username, displayName: '基准市领导', role: 'leader', regionId: city.id, passwordHash: await hashPassword(password) });

  const { baseUrl: apiBaseUrl } = await startBenchApi(servers, 'figures');
  const token = await benchToken(apiBaseUrl, username, password);

  // The baseline has a pool of its own, as large as the API's, on the same database.
  const pool = new pg.Pool({ connectionString: dbUrl, max: 20 });
  servers.stops.push(() => pool.end());
  const baseline = await startBaseline(pool);
  servers.stops.push(baseline.close);

  // The floor: the API's cheapest signed-in answer (the token checked, the person read), in the same run.
  const floor = { name: 'floor: who am I (GET /api/auth/me)', api: '/api/auth/me' };
  const cases = [floor, ...dashboardCases(city.id, city.path, 'city'), ...dashboardCases(county.id, county.path, 'county')];
  say(`measuring ${cases.length} figures at ${connections} connections, ${seconds} s each`);
  const results = await measureCases({ apiBaseUrl, token, baselineUrl: baseline.url, connections, seconds }, cases);
  const { rows: held } = await database.pool.query<{ n: string }>(`select count(*) as n from hazards where region_path like $1`, [`${city.path}%`]);
  console.log(
    seeded
      ? `city seed: ${seeded.hazardsWritten.toLocaleString('en')} hazards written, ${seeded.hazardsSkipped.toLocaleString('en')} already there`
      : `the city as seeded before: ${Number(held[0]!.n).toLocaleString('en')} hazards`,
  );
  console.log(formatCases(results, connections));
  // What an answer costs when it is not kept: the first after each fold that moved the figures.
  const regionNode = async (id: string) =>
    (await database.pool.query<{ id: string; name: string; level: string; path: string }>(`select id, name, level, path from regions where id = $1`, [id])).rows[0]!;
  const anew = [...(await computeAnew(database.db, await regionNode(city.id), 'city')), ...(await computeAnew(database.db, await regionNode(county.id), 'county'))];
  console.log('computed anew, in-process, one at a time (the first answer after a fold):');
  for (const a of anew) console.log(`${a.name.padEnd(40)} median ${a.medianMs.toFixed(1).padStart(6)} ms  p90 ${a.p90Ms.toFixed(1).padStart(6)} ms`);
  await writeResult('figures', { hazards, connections, seconds, foldSeconds, results, anew });
} finally {
  await servers.close();
}
