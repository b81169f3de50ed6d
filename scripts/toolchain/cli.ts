// `npm run toolchain`: find or build both Temporal servers and print where they are.
// CI runs it before the tests so the slow first build shows up as its own step and
// lands in the cached ~/.cache/duban; developers run it once after cloning.
import { cacheDir } from './cache';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTestServer } from './test-server';

const started = Date.now();
const stamp = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const logAs = (who: string) => (msg: string) => console.error(`[${stamp()}] ${who}: ${msg}`);

console.error(`[${stamp()}] cache: ${cacheDir()}`);
// Independent builds (Go and Maven): run side by side, and report every failure, not
// just the first, so one fix-up round is enough.
const results = await Promise.allSettled([ensureTemporalCli(logAs('temporal')), ensureTestServer(logAs('test-server'))]);
const names = ['temporal', 'temporal-test-server'];
results.forEach((result, i) => {
  // Paths on stdout, progress and errors on stderr, so scripts can capture the paths.
  if (result.status === 'fulfilled') console.log(`${names[i]}=${result.value}`);
  else console.error(`\n${names[i]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
});
if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
else console.error(`[${stamp()}] toolchain ready`);
