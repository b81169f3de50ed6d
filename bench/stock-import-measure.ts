/**
 * The stock import measured through the API: a CSV or an .xlsx of N rows (one in `openEvery`
 * open, the rest closed in the ledger) uploaded for its dry run, then imported, its progress
 * polled until done, with this process's peak RSS in each phase (it holds the API and the worker);
 * beside it, in the same run, the baseline: the same rows written bare into a scratch table in
 * batches of 1,000 (what the database alone costs, no checks, no hazards, no workflows).
 */
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Database } from '../db/client';
import { addDays, shanghaiDate } from '../domain/shanghai-time';

export type StockFileFormat = 'csv' | 'xlsx';

export interface StockImportRun {
  rows: number;
  format: StockFileFormat;
  fileBytes: number;
  /** This process's highest RSS while the file was read and judged, and while it was imported, in MB. */
  peakRssMb: { before: number; dryRun: number; import: number };
  open: number;
  /** The upload answered (the file stored), and its dry run judged behind it (from the upload to `validated`). */
  uploadSeconds: number;
  dryRunSeconds: number;
  importSeconds: number;
  rowsPerSecond: number;
  workflowsStarted: number;
  workflowStartsPerSecond: number;
  /** Unset when only the dry run was measured. */
  baseline: { seconds: number; rowsPerSecond: number } | null;
}

const HEADER = '企业名称,隐患名称,隐患类别,隐患等级,发现日期,整改期限,状态,销号日期,责任监管人员';

function sheet(n: number, openEvery: number, enterprise: string, supervisor: string, stamp: number): string[][] {
  const today = shanghaiDate(Date.now());
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const open = i % openEvery === 0;
    rows.push([enterprise, `基准存量隐患 ${stamp}-${i}`, '消防安全', '一般', addDays(today, -100 - (i % 60)), addDays(today, open ? 30 : -50), open ? '未销号' : '已销号', open ? '' : addDays(today, -10), supervisor]);
  }
  return rows;
}

/** The file as a bureau would send it: a CSV with a BOM, or a workbook written by exceljs' streaming writer (shared strings). */
async function fileOf(rows: string[][], format: StockFileFormat): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(`\ufeff${HEADER}\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
  const ws = book.addWorksheet('存量隐患');
  ws.addRow(HEADER.split(',')).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await book.commit();
  return Buffer.concat(chunks);
}

/** The highest RSS seen since the last `take`, sampled every 100 ms. */
function rssPeaks(): { take(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    take() {
      const mb = Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6);
      peak = process.memoryUsage().rss;
      return mb;
    },
    stop: () => clearInterval(timer),
  };
}

export async function measureStockImport(p: { baseUrl: string; token: string; db: Database; enterprise: string; supervisor: string; rows: number; openEvery: number; format?: StockFileFormat; pollMs?: number; dryRunOnly?: boolean }): Promise<StockImportRun> {
  const stamp = Date.now();
  const format = p.format ?? 'csv';
  const rows = sheet(p.rows, p.openEvery, p.enterprise, p.supervisor, stamp);
  const file = await fileOf(rows, format);
  const auth = { authorization: `Bearer ${p.token}` };

  const form = new FormData();
  form.append('file', new Blob([file]), `stock.${format}`);
  const peaks = rssPeaks();
  const peakBefore = peaks.take();
  let t0 = performance.now();
  const uploaded = await fetch(`${p.baseUrl}/api/stock-imports`, { method: 'POST', headers: auth, body: form });
  if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const { id } = (await uploaded.json()) as { id: string };
  const uploadSeconds = (performance.now() - t0) / 1000;
  // The dry run is judged behind the answer: polled until it ends.
  type Judged = { id: string; status: string; failure: unknown; counts: { valid: number; open: number } };
  let batch: Judged;
  for (;;) {
    const res = await fetch(`${p.baseUrl}/api/stock-imports/${id}`, { headers: auth });
    if (res.ok) {
      batch = (await res.json()) as Judged;
      if (batch.status !== 'judging') break;
    }
    await new Promise((r) => setTimeout(r, p.pollMs ?? 500));
  }
  if (batch.status !== 'validated') throw new Error(`dry run ${batch.status}: ${JSON.stringify(batch.failure)}`);
  const dryRunSeconds = (performance.now() - t0) / 1000;
  const peakDryRun = peaks.take();
  if (batch.counts.valid !== p.rows) throw new Error(`dry run found ${batch.counts.valid} valid rows of ${p.rows}`);

  t0 = performance.now();
  if (p.dryRunOnly) {
    peaks.stop();
    return { rows: p.rows, format, fileBytes: file.length, peakRssMb: { before: peakBefore, dryRun: peakDryRun, import: 0 }, open: batch.counts.open, uploadSeconds, dryRunSeconds, importSeconds: 0, rowsPerSecond: p.rows / dryRunSeconds, workflowsStarted: 0, workflowStartsPerSecond: 0, baseline: null };
  }
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
  const peakImport = peaks.take();
  peaks.stop();

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
    format,
    fileBytes: file.length,
    peakRssMb: { before: peakBefore, dryRun: peakDryRun, import: peakImport },
    open: batch.counts.open,
    uploadSeconds,
    dryRunSeconds,
    importSeconds,
    rowsPerSecond: p.rows / (dryRunSeconds + importSeconds),
    workflowsStarted: progress.workflowsStarted,
    workflowStartsPerSecond: progress.workflowsStarted / importSeconds,
    baseline: { seconds: baselineSeconds, rowsPerSecond: p.rows / baselineSeconds },
  };
}

export function formatStockImport(r: StockImportRun): string {
  const head = `stock import of ${r.rows} rows (${r.open} open) as ${r.format}, ${(r.fileBytes / 1e6).toFixed(1)} MB: upload answered in ${r.uploadSeconds.toFixed(2)} s, dry run ${r.dryRunSeconds.toFixed(2)} s (${(r.rows / r.dryRunSeconds).toFixed(0)} rows/s)`;
  if (!r.baseline) return [head, `  peak RSS of the process holding API and worker: ${r.peakRssMb.before} MB before, ${r.peakRssMb.dryRun} MB in the dry run`].join('\n');
  return [
    `${head}, import ${r.importSeconds.toFixed(2)} s, ${r.rowsPerSecond.toFixed(1)} rows/s overall`,
    `  peak RSS of the process holding API and worker: ${r.peakRssMb.before} MB before, ${r.peakRssMb.dryRun} MB in the dry run, ${r.peakRssMb.import} MB in the import`,
    `  workflows started: ${r.workflowsStarted} at ${r.workflowStartsPerSecond.toFixed(1)}/s`,
    `  baseline (the same rows inserted bare): ${r.baseline.seconds.toFixed(2)} s, ${r.baseline.rowsPerSecond.toFixed(0)} rows/s`,
  ].join('\n');
}
