/**
 * A stock import against what a slow link or a careless file can do to it: an upload that takes
 * longer to arrive than the API's calls to Temporal may take, a CSV holding a NUL byte, a
 * workbook numbering two rows alike, a workbook leaving its row numbers out, a workbook cut off
 * inside its sheet, a page of rows asked after a row number no row can have, an import confirmed
 * just before the API stopped, and starts Temporal made whose answers were lost. Each is judged
 * (or imported) through or
 * refused, never left judging or importing for ever, nor answered 500.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app';
import { enterprises } from '../../db/schema';
import { markImporting } from '../../db/stock-imports';
import { withCreditCheckChar } from '../../domain/credit-code';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type HttpResponse, type Requester, type TestHttp } from '../support/http';
import { testWorker, uniqueTaskQueue } from '../support/workflow-env';
import { LocalDiskStore } from '../../evidence/store';
import { HazardGateway } from '../../temporal/hazard-gateway';
import { startReplyHoldProxy, type ReplyHoldProxy } from '../support/reply-hold-proxy';
import { connectTemporalClient } from '../../temporal/client-connection';
import { judged, postStock, STOCK_HEADER, stockCsv } from '../support/stock-sheet';
import { PASSWORD } from '../support/world';
import { handWorkbook } from '../support/zip';

let h: ApiHarness;
let admin: Requester;
const code = withCreditCheckChar('91330100MA2A0000A');
const today = shanghaiDate(Date.now());
const row = (title: string) => [code, '', title, '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a'];
/** Long enough for a page of rows to be judged, short of a judging retried without end. */
const JUDGED_WITHIN_MS = 30_000;

/** A sheet row of inline strings, numbered `r`. */
const inlineRow = (cells: string[], r: number) =>
  `<row r="${r}">${cells.map((t, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="inlineStr"><is><t>${t}</t></is></c>`).join('')}</row>`;

async function rowsOf(id: string) {
  const res = await admin('GET', `/api/stock-imports/${id}/rows?problems=false`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{ row: number; verdict: string; cells: Record<string, string> }>;
}

beforeAll(async () => {
  h = await startApiHarness('stock-import-robustness');
  await h.database.db.update(enterprises).set({ creditCode: code }).where(eq(enterprises.id, h.world.enterpriseA));
  admin = await h.as('admin');
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

it('judges a file that took longer to arrive than calls to Temporal may take: their budget starts once the file is in', async () => {
  // Calls to Temporal may take a second all told; the file takes two to arrive.
  const slow = await serve(createApp({ ...h.deps, temporalCallTimeoutMs: 1_000 }));
  try {
    const token = (await slow.request('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } })).body.token as string;
    const boundary = 'slowly';
    const parts = [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      stockCsv([row('慢速上传的隐患')]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ];
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent === parts.length) return c.close();
        if (sent === 1) await new Promise((r) => setTimeout(r, 2_000));
        c.enqueue(new Uint8Array(parts[sent++]!));
      },
    });
    const res = await fetch(`${slow.baseUrl}/api/stock-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    const answer = (await res.json()) as { id: string };
    expect(res.status, JSON.stringify(answer)).toBe(202);
    expect((await judged(admin, answer.id, JUDGED_WITHIN_MS)).body).toMatchObject({ status: 'validated', counts: { total: 1, valid: 1 } });
  } finally {
    await slow.close();
  }
}, 60_000);

it('judges a CSV holding a NUL byte, the character kept as U+FFFD, rather than failing its rows’ write on every retry', async () => {
  const upload = await postStock(admin, stockCsv([row('空字符\u0000之后的隐患')]), 'nul.csv');
  expect(upload.status, JSON.stringify(upload.body)).toBe(202);
  expect((await judged(admin, upload.body.id, JUDGED_WITHIN_MS)).body).toMatchObject({ status: 'validated', counts: { total: 1, valid: 1 } });
  expect((await rowsOf(upload.body.id)).map((r) => [r.row, r.cells.title])).toEqual([[2, '空字符\ufffd之后的隐患']]);
}, 60_000);

it('fails a workbook numbering two rows alike, keeping none of its rows, rather than failing their write on every retry', async () => {
  const header = STOCK_HEADER.split(',');
  const twice = await handWorkbook({ rows: [header], order: 'strings-first', sheetFiller: inlineRow(row('甲行'), 2) + inlineRow(row('乙行'), 2) });
  const second = await postStock(admin, twice, 'twice.xlsx');
  expect(second.status, JSON.stringify(second.body)).toBe(202);
  const failed = (await judged(admin, second.body.id, JUDGED_WITHIN_MS)).body;
  expect(failed).toMatchObject({ status: 'failed', failure: { code: 'sheet-unreadable', message: 'the file cannot be read as xlsx: row 2 comes after row 2' } });
  const kept = await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from stock_import_rows where import_id = ${second.body.id}`);
  expect(kept.rows[0]!.n).toBe(0);
}, 60_000);

it('numbers the rows of a workbook that leaves row and cell numbers out by their place, as a spreadsheet shows them', async () => {
  const header = STOCK_HEADER.split(',');
  const unnumbered = (cells: string[]) => `<row>${cells.map((t) => `<c t="inlineStr"><is><t>${t}</t></is></c>`).join('')}</row>`;
  const sheet = unnumbered(row('无行号甲')) + unnumbered(row('无行号乙')) + inlineRow(row('第五行'), 5) + unnumbered(row('无行号丙'));
  const upload = await postStock(admin, await handWorkbook({ rows: [header], order: 'strings-first', sheetFiller: sheet }), 'unnumbered.xlsx');
  expect(upload.status, JSON.stringify(upload.body)).toBe(202);
  expect((await judged(admin, upload.body.id, JUDGED_WITHIN_MS)).body).toMatchObject({ status: 'validated', counts: { total: 4 } });
  expect((await rowsOf(upload.body.id)).map((r) => [r.row, r.cells.title])).toEqual([
    [2, '无行号甲'],
    [3, '无行号乙'],
    [5, '第五行'],
    [6, '无行号丙'],
  ]);
}, 60_000);

it('fails a workbook cut off inside its sheet as unreadable, keeping none of its rows, rather than judging it for ever', async () => {
  const header = STOCK_HEADER.split(',');
  const rows = Array.from({ length: 400 }, (_, i) => inlineRow(row(`第${i}行`), i + 2)).join('');
  const whole = await handWorkbook({ rows: [header], order: 'strings-first', sheetFiller: rows });
  const cut = await postStock(admin, whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut.xlsx');
  expect(cut.status, JSON.stringify(cut.body)).toBe(202);
  const failed = (await judged(admin, cut.body.id, JUDGED_WITHIN_MS)).body;
  expect(failed).toMatchObject({ status: 'failed', failure: { code: 'sheet-unreadable' } });
  expect(failed.failure.message).toMatch(/FILE_ENDED/);
  const kept = await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from stock_import_rows where import_id = ${cut.body.id}`);
  expect(kept.rows[0]!.n).toBe(0);
}, 60_000);

it('refuses a page of rows after a row number no row can have with 400 naming it, not 500', async () => {
  const upload = await postStock(admin, stockCsv([row('翻页的隐患')]), 'pages.csv');
  expect(upload.status, JSON.stringify(upload.body)).toBe(202);
  const past = await admin('GET', `/api/stock-imports/${upload.body.id}/rows?after=2147483648`);
  expect(past.status, JSON.stringify(past.body)).toBe(400);
  expect(past.body.errors).toEqual([expect.objectContaining({ field: 'query.after', code: 'too-big' })]);
  // The last row number there can be still reads (an empty page).
  const last = await admin('GET', `/api/stock-imports/${upload.body.id}/rows?after=2147483647`);
  expect(last.status, JSON.stringify(last.body)).toBe(200);
  expect(last.body).toEqual({ items: [], nextAfter: null });
});

it('starts the import of a batch confirmed just before the API stopped (marked importing, its workflow never started) when the batch is looked at', async () => {
  const upload = await postStock(admin, stockCsv([row('确认后中断的导入')]), 'confirmed.csv');
  expect(upload.status, JSON.stringify(upload.body)).toBe(202);
  expect((await judged(admin, upload.body.id, JUDGED_WITHIN_MS)).body.status).toBe('validated');
  // Confirmed a minute ago; the API stopped before it started the import's workflow.
  expect(await markImporting(h.database.db, upload.body.id, 'admin', new Date(Date.now() - 60_000))).toBe(true);
  const until = Date.now() + JUDGED_WITHIN_MS;
  let batch = (await admin('GET', `/api/stock-imports/${upload.body.id}`)).body;
  while (!batch.progress.done && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    batch = (await admin('GET', `/api/stock-imports/${upload.body.id}`)).body;
  }
  expect(batch).toMatchObject({ status: 'done', committedBy: 'admin', progress: { rowsDone: 1, hazardsCreated: 1, done: true } });
}, 60_000);

describe('a start whose answer Temporal sent but the API never heard', () => {
  /** The workflows the lossy API starts wait on a queue of their own until its worker is started, after the records are checked. */
  const queue = uniqueTaskQueue('lost-answers');
  let proxy: ReplyHoldProxy;
  let lossy: TestHttp;
  let lossyAdmin: Requester;
  let connection: { close(): Promise<void> } | undefined;
  let worker: { shutdown(): void } | undefined;
  let running: Promise<void> | undefined;

  const startWorker = async () => {
    if (worker) return;
    const w = await testWorker(h.env, h.database.app, queue, { files: new LocalDiskStore(h.evidenceDir) });
    worker = w;
    running = w.run();
  };

  /** The POST through the proxy, its answer held past the API's budget for Temporal. */
  async function lostAnswer(send: (as: Requester) => Promise<HttpResponse>) {
    proxy.hold();
    try {
      return await send(lossyAdmin);
    } finally {
      proxy.release();
    }
  }

  beforeAll(async () => {
    proxy = await startReplyHoldProxy(inject('temporalAddress'));
    const own = connectTemporalClient({ address: proxy.address, namespace: h.env.namespace ?? 'default' });
    connection = own.connection;
    // Connected before any answer is held: the calls held are then sure to reach Temporal.
    await own.connection.ensureConnected();
    lossy = await serve(createApp({ ...h.deps, temporal: own.client, hazards: new HazardGateway(own.client, queue), temporalCallTimeoutMs: 1_500 }));
    const token = (await lossy.request('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } })).body.token as string;
    lossyAdmin = (method, path, opts = {}) => lossy.request(method, path, { token, ...opts });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await lossy?.close();
    await connection?.close();
    await proxy?.close();
  });

  it('keeps an upload’s batch whose judging began though the API was told nothing, and it is judged', async () => {
    const res = await lostAnswer((as) => postStock(as, stockCsv([row('答复丢失的上传')]), 'lost-answer.csv'));
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    const listed = ((await admin('GET', '/api/stock-imports')).body.items as Array<{ id: string; fileName: string; status: string }>).filter((b) => b.fileName === 'lost-answer.csv');
    expect(listed).toEqual([expect.objectContaining({ status: 'judging' })]);
    await startWorker();
    expect((await judged(admin, listed[0]!.id, JUDGED_WITHIN_MS)).body).toMatchObject({ status: 'validated', counts: { total: 1, valid: 1 } });
  }, 60_000);

  it('keeps an import importing when its workflow began though the API was told nothing: it runs to done, and is not confirmed twice', async () => {
    await startWorker();
    const upload = await postStock(lossyAdmin, stockCsv([row('答复丢失的导入')]), 'lost-import.csv');
    expect(upload.status, JSON.stringify(upload.body)).toBe(202);
    expect((await judged(admin, upload.body.id, JUDGED_WITHIN_MS)).body.status).toBe('validated');
    // The import's workflow waits for a worker while the API decides what its confirmation became.
    worker!.shutdown();
    await running;
    worker = undefined;
    const res = await lostAnswer((as) => as('POST', `/api/stock-imports/${upload.body.id}/import`));
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect((await admin('GET', `/api/stock-imports/${upload.body.id}`)).body).toMatchObject({ status: 'importing', committedBy: 'admin' });
    expect((await admin('POST', `/api/stock-imports/${upload.body.id}/import`)).body.code).toBe('import-already-started');
    await startWorker();
    const until = Date.now() + JUDGED_WITHIN_MS;
    let batch = (await admin('GET', `/api/stock-imports/${upload.body.id}`)).body;
    while (!batch.progress?.done && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      batch = (await admin('GET', `/api/stock-imports/${upload.body.id}`)).body;
    }
    expect(batch).toMatchObject({ status: 'done', committedBy: 'admin', progress: { rowsDone: 1, hazardsCreated: 1, done: true } });
  }, 60_000);
});
