/**
 * `npm run bench:startup [-- --runs 3 --seed-hazards 20000]`: `npm start` to a ready API, once
 * cold in a new data folder (cluster, migrations, demo data) and then `--runs` times warm (the
 * same folder, bundle and toolchain as left), each stopped with Ctrl-C; then the city seed's rate
 * (hazards and rows a second, bulk COPY) at N hazards into a Postgres of its own (figures rebuilt
 * apart, timed apart). Writes bench/results/startup-<time>.json.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useAuditKey } from '../db/audit-key';
import { migrateDatabase } from '../db/migrate';
import { CITY_SIZES } from '../scripts/seed-city-directory';
import { startEmbeddedPostgres } from '../scripts/toolchain/postgres';
import { say, writeResult } from './bench-servers';
import { seedRate, timeStart, type StartRun } from './startup-measure';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'seed-hazards': { type: 'string', default: '20000' },
  },
});
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();

const work = await mkdtemp(join(tmpdir(), 'duban-bench-startup-'));
await chmod(work, 0o711);
try {
  const dataDir = join(work, 'data');
  say(`npm start, cold, in ${dataDir} (load average ${loadBefore})`);
  const cold = await timeStart(dataDir);
  say(`cold: ready in ${cold.readySeconds.toFixed(1)} s, running in ${cold.runningSeconds.toFixed(1)} s`);
  const warm: StartRun[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    warm.push(await timeStart(dataDir));
    say(`warm ${i + 1}: ready in ${warm[i]!.readySeconds.toFixed(1)} s, running in ${warm[i]!.runningSeconds.toFixed(1)} s, stopped in ${warm[i]!.stopSeconds.toFixed(1)} s`);
  }

  const hazards = Number(values['seed-hazards']);
  say(`city seed of ${hazards.toLocaleString('en')} hazards`);
  useAuditKey(randomBytes(32).toString('hex'));
  const pg = await startEmbeddedPostgres({ dataDir: join(work, 'seed-pg'), persistent: false, log: say });
  let seed;
  try {
    await migrateDatabase(pg.url);
    seed = await seedRate(pg.url, hazards, CITY_SIZES, say);
  } finally {
    await pg.stop();
  }
  const loadAfter = load();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const f = (r: StartRun) => `ready ${r.readySeconds.toFixed(1)} s, running ${r.runningSeconds.toFixed(1)} s, stop ${r.stopSeconds.toFixed(1)} s`;
  console.log(`load average before ${loadBefore}, after ${loadAfter}`);
  console.log(`npm start, cold (new data folder): ${f(cold)}`);
  warm.forEach((r, i) => console.log(`npm start, warm ${i + 1}: ${f(r)}`));
  console.log(`warm median: ready ${median(warm.map((r) => r.readySeconds)).toFixed(1)} s, running ${median(warm.map((r) => r.runningSeconds)).toFixed(1)} s`);
  console.log(
    `city seed: ${seed.hazards.toLocaleString('en')} hazards (${seed.rows.toLocaleString('en')} rows with directory, trails and notifications) in ${seed.writeSeconds.toFixed(1)} s: ` +
      `${seed.hazardsPerSecond.toFixed(0)} hazards/s, ${seed.rowsPerSecond.toFixed(0)} rows/s; figures rebuilt in ${seed.figuresSeconds.toFixed(1)} s more`,
  );
  await writeResult('startup', { loadBefore, loadAfter, cold, warm, seed });
} finally {
  await rm(work, { recursive: true, force: true });
}
