// `npm run toolchain`: find or build the Temporal servers and print where they are.
// CI runs it before the tests so the slow first build shows up as its own step and
// lands in the cached ~/.cache/duban; developers run it once after cloning.
import { cacheDir } from './cache';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTemporalServer } from './temporal-server';
import { ensureTestServer } from './test-server';

const started = Date.now();
const stamp = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const logAs = (who: string) => (msg: string) => console.error(`[${stamp()}] ${who}: ${msg}`);

console.error(`[${stamp()}] cache: ${cacheDir()}`);
// Independent builds (Go and Maven): run side by side, and report every failure, not
// just the first, so one fix-up round is enough.
// The production server (tests/topology) builds after the CLI: two Go builds at once on two
// cores take as long as one after the other, and the second reuses the first's build cache.
const cli = ensureTemporalCli(logAs('temporal'));
const jobs: Array<[string, Promise<string>]> = [
  ['temporal', cli],
  ['temporal-test-server', ensureTestServer(logAs('test-server'))],
  ['temporal-server', cli.catch(() => undefined).then(async () => (await ensureTemporalServer(logAs('temporal-server'))).server)],
];
const results = await Promise.allSettled(jobs.map(([, job]) => job));
results.forEach((result, i) => {
  // Paths on stdout, progress and errors on stderr, so scripts can capture the paths.
  const name = jobs[i]![0];
  if (result.status === 'fulfilled') console.log(`${name}=${result.value}`);
  else console.error(`\n${name}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
});
if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
else console.error(`[${stamp()}] toolchain ready`);
