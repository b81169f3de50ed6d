/** The stock import benchmark's measurement at a tiny N: the rows come in, the open ones' workflows start, the baseline is beside it. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatStockImport, measureStockImport } from '../../bench/stock-import-measure';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('stock-import-smoke');
  h.deps.stockImportRate = 500;
});
afterAll(async () => h?.stop());

it.each(['csv', 'xlsx'] as const)('measures a small stock import from a %s file beside its baseline', async (format) => {
  const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
  const run = await measureStockImport({ baseUrl: h.http.baseUrl, token: login.body.token, db: h.database.db, enterprise: '甲化工有限公司', supervisor: 'supervisor-a', rows: 40, openEvery: 10, format, pollMs: 100 });
  expect(run).toMatchObject({ rows: 40, open: 4, workflowsStarted: 4, format });
  expect(run.fileBytes).toBeGreaterThan(0);
  expect(run.peakRssMb.dryRun).toBeGreaterThan(0);
  expect(run.rowsPerSecond).toBeGreaterThan(0);
  expect(run.baseline!.rowsPerSecond).toBeGreaterThan(0);
  expect(formatStockImport(run)).toMatch(new RegExp(`stock import of 40 rows \\(4 open\\) as ${format}`));
});
