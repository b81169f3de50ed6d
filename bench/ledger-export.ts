/**
 * `npm run bench:ledger [-- --hazards 200000]`: a city from the city seed (its bulk COPY path),
 * then the city leader's whole hazard ledger exported as Excel through the real API, downloaded
 * and counted while the live heap is probed (bench/ledger-measure.ts). Prints the rows, the
 * file's size, the time and the live heap by quarter of the file; writes
 * bench/results/ledger-<time>.json. Uses DATABASE_URL / TEMPORAL_ADDRESS when set.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../api/app';
import { hashPassword } from '../auth/passwords';
import { createUser } from '../db/directory';
import { LocalDiskStore } from '../evidence/store';
import { CITY_SIZES } from '../scripts/seed-city-directory';
import { seedCity } from '../scripts/seed-city';
import { HazardGateway } from '../temporal/hazard-gateway';
import { NoticeGateway } from '../temporal/notice-gateway';
import { SuspensionGateway } from '../temporal/suspension-gateway';
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

  const connection = await Connection.connect({ address: servers.temporalAddress });
  servers.stops.push(() => connection.close());
  const client = new Client({ connection });
  const taskQueue = `bench-ledger-${servers.stamp}`;
  const app = createApp({
    db: database.db,
    temporal: client,
    hazards: new HazardGateway(client, taskQueue),
    notices: new NoticeGateway(client, taskQueue),
    suspensions: new SuspensionGateway(client, taskQueue),
    evidence: new LocalDiskStore(tmpdir()),
    tokens: { secret: randomBytes(32), ttlSeconds: 3600 },
    log: pino({ level: 'warn' }),
    clock: Date.now,
    exportRowLimit: Math.max(hazards, 200_000),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  servers.stops.push(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const token = ((await login.json()) as { token: string }).token;

  say('exporting the whole hazard ledger of the city');
  const m = await measureExport(`${base}/api/hazards/export.xlsx?region=${city.id}`, token);
  if (m.status !== 200) throw new Error(`the export answered ${m.status}`);
  console.log(`hazard ledger: ${formatMeasure(m)}`);
  await writeResult('ledger', { hazards, ...m });
} finally {
  await servers.close();
}
