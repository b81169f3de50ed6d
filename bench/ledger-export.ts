/**
 * `npm run bench:ledger [-- --hazards 200000]`: a city from the city seed (its bulk COPY path),
 * then the city leader's whole hazard ledger exported as Excel through the real API, downloaded
 * and counted while the live heap is probed (bench/ledger-measure.ts). Prints the rows, the
 * file's size, the time and the live heap by quarter of the file; writes
 * bench/results/ledger-<time>.json. Uses DATABASE_URL / TEMPORAL_ADDRESS when set.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/passwords';
import { createUser } from '../db/directory';
import { CITY_SIZES } from '../scripts/seed-city-directory';
import { seedCity } from '../scripts/seed-city';
import { startBenchApi, benchToken } from './bench-api';
import { benchServers, say, writeResult } from './bench-servers';
import { formatMeasure, measureExport } from './ledger-measure';

const { values } = parseArgs({ options: { hazards: { type: 'string', default: '200000' }, seed: { type: 'string', default: '1' } } });
const hazards = Number(values.hazards);
const password = randomBytes(18).toString('base64url');

const servers = await benchServers(10);
try {
  const { database, dbUrl } = servers;
  say(`seeding a city with ${hazards.toLocaleString('en')} hazards`);
  await seedCity({ url: dbUrl, seed: Number(values.seed), hazards, sizes: CITY_SIZES, progress: process.stderr, log: say });
  const { rows } = await database.pool.query<{ id: string }>(`select id from regions where id ~ '^city[0-9]+$' and level = 'city' limit 1`);
  const city = rows[0];
  if (!city) throw new Error('the seed made no city');
  const username = `bench-leader-${servers.stamp}`;
  await createUser(database.db, 'bench', { username, displayName: '基准市领导', role: 'leader', regionId: city.id, passwordHash: await hashPassword(password) });

  const { baseUrl: base } = await startBenchApi(servers, 'ledger', { exportRowLimit: Math.max(hazards, 200_000) });
  const token = await benchToken(base, username, password);

  say('exporting the whole hazard ledger of the city');
  const m = await measureExport(`${base}/api/hazards/export.xlsx?region=${city.id}`, token);
  if (m.status !== 200) throw new Error(`the export answered ${m.status}`);
  console.log(`hazard ledger: ${formatMeasure(m)}`);
  await writeResult('ledger', { hazards, ...m });
} finally {
  await servers.close();
}
