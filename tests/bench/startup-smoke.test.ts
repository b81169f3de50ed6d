/**
 * The start-up benchmark's seed rate at a tiny city (the `npm start` timing itself starts Postgres,
 * a dev server and two processes: it runs in `npm run bench:startup`, not here).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeResult } from '../../bench/bench-servers';
import { seedRate } from '../../bench/startup-measure';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

it('times the city seed of a few hundred hazards and writes its rates', async () => {
  const seed = await seedRate(db.url, 300, { counties: 2, townships: 4, grids: 8, enterprises: 40 });
  expect(seed.hazards).toBe(300);
  expect(seed.rows).toBeGreaterThan(300);
  for (const v of [seed.writeSeconds, seed.hazardsPerSecond, seed.rowsPerSecond, seed.figuresSeconds]) expect(Number.isFinite(v) && v > 0).toBe(true);
  const file = await writeResult('startup-smoke', { seed });
  expect(JSON.parse(await readFile(file, 'utf8')).seed.hazards).toBe(300);
}, 60_000);
