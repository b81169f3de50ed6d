/**
 * The stock import measured through the API: a CSV of N rows (one in `openEvery` open, the rest
 * closed in the ledger) uploaded for its dry run, then imported, its progress polled until done;
 * beside it, in the same run, the baseline: the same rows written bare into a scratch table in
 * batches of 1,000 (what the database alone costs, no checks, no hazards, no workflows).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { addDays, shanghaiDate } from '../domain/shanghai-time';

export interface StockImportRun {
  rows: number;
  open: number;
  dryRunSeconds: number;
  importSeconds: number;
  rowsPerSecond: number;
  workflowsStarted: number;
  workflowStartsPerSecond: number;
  baseline: { seconds: number; rowsPerSecond: number };
}

const HEADER = '企业名称,隐患名称,隐患类别,隐患等级,发现日期,整改期限,状态,销号日期,责任监管人员';

function sheet(n: number, openEvery: number, enterprise: string, supervisor: string, stamp: number): { csv: string; rows: string[][] } {
  const today = shanghaiDate(Date.now());
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const open = i % openEvery === 0;
    rows.push([enterprise, `基准存量隐患 ${stamp}-${i}`, '消防安全', '一般', addDays(today, -100 - (i % 60)), addDays(today, open ? 30 : -50), open ? '未销号' : '已销号', open ? '' : addDays(today, -10), supervisor]);
  }
  return { csv: `\ufeff${HEADER}\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, rows };
}

export async function measureStockImport(p: { baseUrl: string; token: string; db: Database; enterprise: string; supervisor: string; rows: number; openEvery: number; pollMs?: number }): Promise<StockImportRun> {
  const stamp = Date.now();
  const { csv, rows } = sheet(p.rows, p.openEvery, p.enterprise, p.supervisor, stamp);
  const auth = { authorization: `Bearer ${p.token}` };

  const form = new FormData();
  form.append('file', new Blob([csv]), 'stock.csv');
  let t0 = performance.now();
  const uploaded = await fetch(`${p.baseUrl}/api/stock-imports`, { method: 'POST', headers: auth, body: form });
  if (uploaded.status !== 201) throw new Error(`dry run: ${uploaded.status} ${await uploaded.text()}`);
  const batch = (await uploaded.json()) as { id: string; counts: { valid: number; open: number } };
  const dryRunSeconds = (performance.now() - t0) / 1000;
  if (batch.counts.valid !== p.rows) throw new Error(`dry run found ${batch.counts.valid} valid rows of ${p.rows}`);

  t0 = performance.now();
  const started = await fetch(`${p.baseUrl}/api/stock-imports/${batch.id}/import`, { method: 'POST', headers: auth });
  if (started.status !== 202) throw new Error(`import: ${started.status} ${await started.text()}`);
  let progress: { done: boolean; workflowsStarted: number; rowsDone: number } = { done: false, workflowsStarted: 0, rowsDone: 0 };
  for (;;) {
    const res = await fetch(`${p.baseUrl}/api/stock-imports/${batch.id}`, { headers: auth });
    // A busy machine may answer a poll 503 (no connection free in time): poll again.
    if (res.ok) {
      progress = ((await res.json()) as { progress: typeof progress }).progress;
      if (progress.done) break;
    }
    await new Promise((r) => setTimeout(r, p.pollMs ?? 500));
  }
  const importSeconds = (performance.now() - t0) / 1000;

  // The baseline: the same rows, bare, in batches of 1,000 (an unlogged table of this run: the pool's connections all see it).
  const table = sql.raw(`bench_stock_rows_${stamp}`);
  await p.db.execute(sql`create unlogged table ${table} (enterprise text, title text, category text, grade text, found text, deadline text, status text, closed text, supervisor text)`);
  t0 = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000).map(([enterprise, title, category, grade, found, deadline, status, closed, supervisor]) => ({ enterprise, title, category, grade, found, deadline, status, closed, supervisor }));
    await p.db.execute(sql`insert into ${table} select * from json_populate_recordset(null::${table}, ${JSON.stringify(part)}::json)`);
  }
  const baselineSeconds = (performance.now() - t0) / 1000;
  await p.db.execute(sql`drop table ${table}`);

  return {
    rows: p.rows,
    open: batch.counts.open,
    dryRunSeconds,
    importSeconds,
    rowsPerSecond: p.rows / (dryRunSeconds + importSeconds),
    workflowsStarted: progress.workflowsStarted,
    workflowStartsPerSecond: progress.workflowsStarted / importSeconds,
    baseline: { seconds: baselineSeconds, rowsPerSecond: p.rows / baselineSeconds },
  };
}

export function formatStockImport(r: StockImportRun): string {
  return [
    `stock import of ${r.rows} rows (${r.open} open): dry run ${r.dryRunSeconds.toFixed(2)} s, import ${r.importSeconds.toFixed(2)} s, ${r.rowsPerSecond.toFixed(1)} rows/s overall`,
    `  workflows started: ${r.workflowsStarted} at ${r.workflowStartsPerSecond.toFixed(1)}/s`,
    `  baseline (the same rows inserted bare): ${r.baseline.seconds.toFixed(2)} s, ${r.baseline.rowsPerSecond.toFixed(0)} rows/s`,
  ].join('\n');
}
