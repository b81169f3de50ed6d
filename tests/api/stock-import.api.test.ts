/**
 * Bulk import of the stock (存量隐患) through the API: the dry run judged behind the upload (202,
 * its progress, then its report), its report per row and column for every kind of problem, CSV
 * with a BOM, text that looks like a formula kept as text, an admin's reach, a retried upload, a
 * workbook that unpacks past its limits, how many files a worker judges at once, and a
 * 10,000-row workbook imported, imported again as a no-op, each open hazard with its workflow on
 * the Temporal server.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/passwords';
import { verifyAll } from '../../db/audit-verify';
import { createUser } from '../../db/directory';
import { createStockImport } from '../../db/stock-imports';
import type { Database } from '../../db/client';
import { foldFigures, rebuildFigures } from '../../db/figures/fold';
import { enterprises, hazardEvents, hazards, stockImports } from '../../db/schema';
import { withCreditCheckChar } from '../../domain/credit-code';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { judged, postStock, STOCK_HEADER, stockCsv, uploadStock } from '../support/stock-sheet';
import { stockJudgingWorkflowId } from '../../workflows/stock-import.messages';
import { handWorkbook } from '../support/zip';
import { STOCK_IMPORT_LIMITS } from '../../sheets/limits';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let admin: Requester;
let adminA: Requester;
let adminAToken: string;
const codeA = withCreditCheckChar('91330100MA2A0000A');
const codeB = withCreditCheckChar('91330200MA2B0000B');
const today = shanghaiDate(Date.now());
async function allRows(as: Requester, id: string, problems = false) {
  const out: Array<{ row: number; verdict: string; problems: Array<{ column: string; code: string; detail?: string }>; cells: Record<string, string>; hazardId: string | null }> = [];
  let after = 0;
  for (;;) {
    const res = await as('GET', `/api/stock-imports/${id}/rows?problems=${problems}&after=${after}&limit=500`);
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    if (res.body.nextAfter === null) return out;
    after = res.body.nextAfter;
  }
}

/** Every file under a folder, its subfolders' too. */
async function storedFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, e.name);
    if (e.isDirectory()) found.push(...(await storedFiles(path)));
    else found.push(path);
  }
  return found;
}

async function importAndWait(as: Requester, id: string) {
  const started = await as('POST', `/api/stock-imports/${id}/import`);
  expect(started.status).toBe(202);
  // Minutes on a loaded machine: 10,000 rows and their chains, 250 workflows started.
  const until = Date.now() + 300_000;
  let last: unknown;
  while (Date.now() < until) {
    // A poll the busy database could not answer in time (503), or whose kept-alive connection was
    // closed under it, is polled again.
    const res = await as('GET', `/api/stock-imports/${id}`).catch((error: Error) => ({ status: 0, body: error.message }));
    if (res.status !== 503 && res.status !== 0) expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (res.status === 200 && res.body.progress.done) return res.body;
    last = res.body?.progress;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the import did not finish: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  h = await startApiHarness('stock-import');
  h.deps.stockImportRate = 2000;
  h.deps.stockImportPageSize = 1000;
  await h.database.db.update(enterprises).set({ creditCode: codeA }).where(eq(enterprises.id, h.world.enterpriseA));
  await h.database.db.update(enterprises).set({ creditCode: codeB }).where(eq(enterprises.id, h.world.enterpriseB));
  await createUser(h.database.db, 'fixture', { username: 'admin-a', displayName: '甲县管理员', role: 'admin', regionId: h.world.a.county.id, passwordHash: await hashPassword(PASSWORD) });
  admin = await h.as('admin');
  const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'admin-a', password: PASSWORD } });
  adminAToken = login.body.token;
  adminA = (method, path, opts = {}) => h.http.request(method, path, { token: adminAToken, ...opts });
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('the dry run', () => {
  it('reports every kind of problem beside its row and column', async () => {
    const d = (n: number) => addDays(today, n);
    const ok = (title: string): string[] => [codeA, '', title, '消防安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-a'];
    const rows: Array<[string[], string, string]> = [
      [ok('正常隐患'), '', ''],
      [[withCreditCheckChar('91330100MA2A9999X'), '', '未知企业', '消防安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'creditCode', 'unknown-enterprise'],
      [['91330100MA2A00001', '', '信用代码错', '消防安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'creditCode', 'bad-credit-code'],
      [['', '不存在的公司', '名称未知', '消防安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'enterpriseName', 'unknown-enterprise'],
      [[codeA, '', '日期错', '消防安全', '一般', '', '2026-13-45', d(10), '未销号', '', 'supervisor-a'], 'foundOn', 'bad-date'],
      [[codeA, '', '期限早于发现', '消防安全', '一般', '', d(-30), d(-40), '未销号', '', 'supervisor-a'], 'deadline', 'deadline-before-found'],
      [[codeA, '', '销号无日期', '消防安全', '一般', '', d(-30), d(-10), '已销号', '', 'supervisor-a'], 'closedOn', 'closed-without-date'],
      [[codeA, '', '类别未知', '宇宙安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'category', 'unknown-category'],
      [[codeA, '', '等级未知', '消防安全', '特大', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'grade', 'unknown-grade'],
      [[codeA, '', '监管人员未知', '消防安全', '一般', '', d(-30), d(10), '未销号', '', '张三丰'], 'supervisor', 'unknown-supervisor'],
      [[codeA, '', '状态未知', '消防安全', '一般', '', d(-30), d(10), '处理中', '', 'supervisor-a'], 'status', 'unknown-status'],
      [[codeA, '', '重大未挂牌', '消防安全', '重大', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'listingLevel', 'listing-level-required'],
      [[codeA, '', '', '消防安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-a'], 'title', 'required'],
      [ok('正常隐患'), 'title', 'duplicate-in-file'],
      [[codeB, '', '外县企业', '消防安全', '一般', '', d(-30), d(10), '未销号', '', 'supervisor-b'], 'creditCode', 'enterprise-out-of-reach'],
    ];
    // Registered by hand before: the same enterprise, title and found day is on record already.
    const send = await h.as('supervisor-a');
    const registered = await send('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: '已登记隐患', category: '消防安全', source: 'inspection', grade: 'general', deadline: d(10) } });
    expect(registered.status).toBe(201);
    rows.push([[codeA, '', '已登记隐患', '消防安全', '一般', '', today, d(10), '未销号', '', 'supervisor-a'], 'title', 'duplicate-existing']);

    const res = await uploadStock(adminA, stockCsv(rows.map((r) => r[0])), '存量隐患.csv');
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('validated');
    expect(res.body.counts).toEqual({ total: rows.length, valid: 1, duplicate: 2, invalid: rows.length - 3, open: 1 });
    const report = await allRows(adminA, res.body.id, true);
    expect(report.map((r) => r.row)).toEqual(rows.slice(1).map((_, i) => i + 3));
    rows.slice(1).forEach(([, column, code], i) => {
      expect(report[i]!.problems, `row ${i + 3}`).toContainEqual(expect.objectContaining({ column, code }));
    });
    expect(report.find((r) => r.problems.some((p) => p.code === 'duplicate-in-file'))!.problems[0]!.detail).toBe('2');

    // The report as Excel: the cells as read with the problems beside them.
    const file = await fetch(`${h.http.baseUrl}/api/stock-imports/${res.body.id}/report.xlsx`, { headers: { authorization: `Bearer ${(await h.http.request('POST', '/api/auth/login', { body: { username: 'admin-a', password: PASSWORD } })).body.token}` } });
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const texts: string[] = [];
    sheet.eachRow((row) => texts.push((row.values as unknown[]).map((v) => String(v ?? '')).join('|')));
    expect(texts.some((t) => t.includes('日期错') && t.includes('发现日期：日期无法识别'))).toBe(true);
    expect(texts.some((t) => t.includes('外县企业') && t.includes('企业不在您的辖区内'))).toBe(true);
  });

  it('fails a file without the template’s columns, naming them; refuses a file of another type, an empty one and a workbook that is not one at once', async () => {
    const missing = await uploadStock(admin, Buffer.from('企业名称,隐患名称\n甲,乙\n'), 'x.csv');
    expect(missing.status).toBe(202);
    expect(missing.body).toMatchObject({ status: 'failed', counts: { total: 0 }, failure: { code: 'sheet-missing-columns' } });
    expect(missing.body.failure.columns).toContain('整改期限');
    expect((await admin('POST', `/api/stock-imports/${missing.body.id}/import`)).body.code).toBe('stock-import-failed');
    const wrong = await uploadStock(admin, Buffer.from('hello'), 'x.txt');
    expect(wrong.status).toBe(415);
    expect(wrong.body.code).toBe('sheet-wrong-type');
    const broken = await uploadStock(admin, Buffer.from('not a zip at all'), 'x.xlsx');
    expect(broken.status).toBe(422);
    expect(broken.body.code).toBe('sheet-unreadable');
    const empty = await uploadStock(admin, Buffer.alloc(0), 'x.csv');
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('sheet-empty');
  });

  it('reads CSV with a BOM, quoted fields and line breaks; keeps formula-looking text as text', async () => {
    const formula = '=HYPERLINK("http://evil.example","点我")';
    const rows = [
      [codeA, '', formula, '电气安全', '一般', '', addDays(today, -20), addDays(today, 5), '未销号', '', 'supervisor-a'],
      [codeA, '', '配电箱\n未接地', '电气安全', '一般', '', addDays(today, -20).replaceAll('-', '/'), addDays(today, 5), '已销号', addDays(today, -1), 'supervisor-a'],
    ];
    const res = await uploadStock(admin, stockCsv(rows), 'bom.csv');
    expect(res.status).toBe(202);
    expect(res.body.counts).toMatchObject({ total: 2, valid: 2 });
    const lines = await allRows(admin, res.body.id);
    expect(lines[0]!.cells.creditCode).toBe(codeA);
    expect(lines[0]!.cells.title).toBe(formula);
    expect(lines[1]!.cells.title).toBe('配电箱\n未接地');

    const done = await importAndWait(admin, res.body.id);
    expect(done.progress).toMatchObject({ hazardsCreated: 2, workflowsStarted: 1 });
    const [row] = await h.database.db.select().from(hazards).where(eq(hazards.title, formula));
    expect(row!.title).toBe(formula);
    const [closed] = await h.database.db.select().from(hazards).where(eq(hazards.title, '配电箱 未接地'));
    expect(closed).toMatchObject({ status: 'closed' });
    const events = await h.database.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, closed!.id));
    expect(events.map((e) => [e.type, e.actor])).toEqual([['registered', 'admin'], ['review_accepted', 'admin']]);

    // The report of an import: the formula is a text cell, never a formula.
    const token = (await h.http.request('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } })).body.token;
    const file = await fetch(`${h.http.baseUrl}/api/stock-imports/${res.body.id}/report.xlsx`, { headers: { authorization: `Bearer ${token}` } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    let found = false;
    book.worksheets[0]!.eachRow((r) => r.eachCell((c) => {
      if (typeof c.value === 'string' && c.value.includes('HYPERLINK')) found = true;
      expect(c.formula ?? null).toBeNull();
    }));
    expect(found).toBe(true);
  });

  it('keeps a county admin to the county: rows of another county are reported, never imported', async () => {
    const rows = [
      [codeA, '', '甲县存量', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a'],
      [codeB, '', '乙县存量', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-b'],
      ['', '乙机械制造厂', '乙县存量二', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-b'],
    ];
    const res = await uploadStock(adminA, stockCsv(rows), 'reach.csv');
    expect(res.body.counts).toMatchObject({ total: 3, valid: 1, invalid: 2 });
    const report = await allRows(adminA, res.body.id, true);
    expect(report.map((r) => r.problems[0]!.code)).toEqual(['enterprise-out-of-reach', 'enterprise-out-of-reach']);
    // Another county's admin cannot see the batch at all.
    expect((await adminA('GET', `/api/stock-imports/${res.body.id}`)).status).toBe(200);
    const mine = await uploadStock(admin, stockCsv([rows[1]!]), 'city.csv');
    expect((await adminA('GET', `/api/stock-imports/${mine.body.id}`)).status).toBe(404);
    expect((await adminA('POST', `/api/stock-imports/${mine.body.id}/import`)).status).toBe(404);
    await importAndWait(adminA, res.body.id);
    const b = await h.database.db.select().from(hazards).where(inArray(hazards.title, ['乙县存量', '乙县存量二']));
    expect(b).toEqual([]);
  });
});

describe('what one upload may cost the API', () => {
  it('fails a small workbook that unpacks to more than a stock holds, and a CSV record past a sheet’s width or length, keeping no row', async () => {
    // 2 MB on the wire, 1 GB of shared strings once unpacked: read until the limit, then failed.
    const header = STOCK_HEADER.split(',');
    const bomb = await handWorkbook({ rows: [header], order: 'strings-first', stringsFiller: { repeat: `<si><t>${'a'.repeat(1000)}</t></si>`, times: 1_000_000 } });
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const res = await uploadStock(admin, bomb, 'bomb.xlsx');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.status).toBe('failed');
    expect(res.body.failure).toEqual({ code: 'sheet-too-large', message: 'the workbook unpacks to more than 128 MB of shared strings' });
    // A CSV's one record of three million commas, or a quote never closed, fails the same way.
    const failed = [res.body.id as string];
    for (const [tail, message] of [
      [','.repeat(3_000_000), 'a record of the file has more than 16384 fields'],
      [`"${'长'.repeat(1_100_000)}`, 'a record of the file runs past 1048576 characters'],
    ]) {
      const csv = await uploadStock(admin, Buffer.concat([stockCsv([[codeA, '', '超宽前的一行', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a']]), Buffer.from(tail!)]), 'wide.csv');
      expect(csv.body.status, JSON.stringify(csv.body)).toBe('failed');
      expect(csv.body.failure).toEqual({ code: 'sheet-too-large', message });
      failed.push(csv.body.id);
    }
    // The rows judged before the failure are gone with it.
    const kept = await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from stock_import_rows where import_id in ${failed}`);
    expect(kept.rows[0]!.n).toBe(0);
  }, 120_000);

  it('refuses a file past the size limit with 413 and keeps none of its bytes', async () => {
    const before = new Set(await storedFiles(h.evidenceDir));
    const row = stockCsv([[codeA, '', '超限文件', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a']]);
    const big = Buffer.concat([row, Buffer.alloc(STOCK_IMPORT_LIMITS.maxBytes + 1024 * 1024, 0x20)]);
    const res = await postStock(admin, big, 'too-big.csv');
    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect(res.body.code).toBe('too-large');
    // Not even the first 64 MB: a refused file is not the stock's, and uploads again and again must not fill the disk.
    expect((await storedFiles(h.evidenceDir)).filter((f) => !before.has(f))).toEqual([]);
  }, 120_000);

  it('keeps nothing of an upload cut off half way', async () => {
    const before = new Set(await storedFiles(h.evidenceDir));
    const boundary = 'cutoff';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    const aborted = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent === 0) c.enqueue(new Uint8Array(head));
        else if (sent < 4) c.enqueue(new Uint8Array(stockCsv([[codeA, '', `半途 ${sent}`, '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a']]).subarray(0, 512 * 1024)));
        else await new Promise((r) => setTimeout(r, 60_000));
        sent += 1;
      },
    });
    const request = fetch(`${h.http.baseUrl}/api/stock-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminAToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
      signal: aborted.signal,
    } as RequestInit).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 1_000));
    aborted.abort();
    expect(await request).toBeInstanceOf(Error);
    // The part received is let go once the server sees the client gone: no file, no temporary one.
    const until = Date.now() + 10_000;
    let left = (await storedFiles(h.evidenceDir)).filter((f) => !before.has(f));
    while (left.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      left = (await storedFiles(h.evidenceDir)).filter((f) => !before.has(f));
    }
    expect(left).toEqual([]);
    const batches = await h.database.db.select({ id: stockImports.id }).from(stockImports).where(eq(stockImports.fileName, 'cut.csv'));
    expect(batches).toEqual([]);
  }, 60_000);

  it('judges behind the upload: 202 with the batch judging, its progress while it runs, then the report the dry run gives', async () => {
    // Every tenth row names the other county's enterprise; the last nine repeat the titles ten rows up.
    const N = 12_000;
    const rows = Array.from({ length: N }, (_, i) => [i % 10 ? codeA : codeB, '', `后台校验 ${i < N - 10 ? i : i - 10}`, '消防安全', '一般', '', addDays(today, -30), addDays(today, 10), '未销号', '', 'supervisor-a']);
    const bytes = stockCsv(rows);
    const upload = await postStock(adminA, bytes, 'behind.csv');
    expect(upload.status, JSON.stringify(upload.body)).toBe(202);
    expect(upload.headers.get('location')).toBe(`/api/stock-imports/${upload.body.id}`);
    expect(upload.body).toMatchObject({ status: 'judging', fileBytes: bytes.length, counts: { total: 0 }, judging: { rowsJudged: 0, done: false }, failure: null });
    // While it judges, confirming it is refused, and its progress moves.
    expect((await adminA('POST', `/api/stock-imports/${upload.body.id}/import`)).body.code).toBe('stock-import-judging');
    const seen: Array<{ rowsJudged: number; fraction: number; rowsPerSecond: number | null }> = [];
    let batch;
    for (;;) {
      batch = (await adminA('GET', `/api/stock-imports/${upload.body.id}`)).body;
      if (batch.status !== 'judging') break;
      seen.push(batch.judging);
      await new Promise((r) => setTimeout(r, 20));
    }
    const moving = seen.filter((j) => j.rowsJudged > 0);
    expect(moving.length, JSON.stringify(seen.slice(-3))).toBeGreaterThan(0);
    // (The last page's rows are on record a moment before the batch is validated.)
    expect(moving.every((j) => j.rowsJudged <= N && j.fraction > 0 && j.fraction <= 1 && j.rowsPerSecond! > 0), JSON.stringify(moving)).toBe(true);
    expect(moving.some((j) => j.rowsJudged < N)).toBe(true);
    expect(batch).toMatchObject({ status: 'validated', judging: { rowsJudged: N, fraction: 1, etaSeconds: 0, done: true } });

    // The report the dry run gave in the request: a row per line, the other county's enterprises
    // out of reach, the repeated titles found (across pages), nothing else.
    expect(batch.counts).toEqual({ total: N, valid: N - N / 10 - 9, duplicate: 9, invalid: N / 10, open: N - N / 10 - 9 });
    const report = await allRows(adminA, batch.id);
    expect(report.map((r) => r.row)).toEqual(rows.map((_, i) => i + 2));
    expect(report[0]!.problems).toContainEqual(expect.objectContaining({ column: 'creditCode', code: 'enterprise-out-of-reach' }));
    expect(report.filter((r) => r.verdict === 'valid').every((r) => r.problems.length === 0)).toBe(true);
    expect(report[N - 9]!.problems).toEqual([{ column: 'title', code: 'duplicate-in-file', detail: String(N - 9 - 10 + 2) }]);
  }, 120_000);

  it('gives a retried upload (the same Idempotency-Key and file) the first one’s batch, judged once', async () => {
    const bytes = stockCsv([[codeA, '', '重传的隐患', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a']]);
    const key = `stock-${Date.now()}`;
    const first = await postStock(admin, bytes, 'again.csv', { 'idempotency-key': key });
    const second = await postStock(admin, bytes, 'again.csv', { 'idempotency-key': key });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(`/api/stock-imports/${first.body.id}`);
    expect((await judged(admin, first.body.id)).body.counts).toMatchObject({ total: 1, valid: 1 });
    const batches = await h.database.db.select({ id: stockImports.id }).from(stockImports).where(eq(stockImports.fileName, 'again.csv'));
    expect(batches).toEqual([{ id: first.body.id }]);
    // Another file under the same key is refused.
    const other = await postStock(admin, stockCsv([]), 'again.csv', { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency-key-reused');
  });

  it('starts the judging of a batch left waiting (the API stopped before starting it) when the batch is looked at', async () => {
    const bytes = stockCsv([[codeA, '', '搁置的隐患', '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a']]);
    const stored = await h.deps.evidence.putStream(Readable.from([bytes]));
    // Recorded a minute ago, its workflow never started.
    const batch = await createStockImport(h.database.db, { fileName: 'left.csv', fileFormat: 'csv', fileSha256: stored.sha256, fileBytes: stored.size, regionPath: h.world.a.city.path, createdBy: 'admin', createdAt: new Date(Date.now() - 60_000) });
    const first = await admin('GET', `/api/stock-imports/${batch.id}`);
    expect(first.body.status).toBe('judging');
    expect((await judged(admin, batch.id, 60_000)).body).toMatchObject({ status: 'validated', counts: { total: 1, valid: 1 } });
  });

  it('judges two files at once on a worker: a third waits its turn (handed back to Temporal), then is judged', async () => {
    const file = (n: number) => stockCsv(Array.from({ length: 15_000 }, (_, i) => [codeA, '', `并行${n}-${i}`, '消防安全', '一般', '', addDays(today, -10), addDays(today, 10), '未销号', '', 'supervisor-a']));
    const uploads = await Promise.all([1, 2, 3].map((n) => postStock(admin, file(n), `turns-${n}.csv`)));
    expect(uploads.map((u) => u.status)).toEqual([202, 202, 202]);
    const done = await Promise.all(uploads.map((u) => judged(admin, u.body.id)));
    expect(done.map((d) => d.body.counts.valid)).toEqual([15_000, 15_000, 15_000]);
    // The judging activities' attempts: one of the three found the worker's two turns taken.
    const attempts = await Promise.all(
      uploads.map(async (u) => {
        const history = await h.env.client.workflow.getHandle(stockJudgingWorkflowId(u.body.id)).fetchHistory();
        const started = history.events!.find((e) => e.activityTaskStartedEventAttributes)!.activityTaskStartedEventAttributes!;
        return { attempt: started.attempt!, busy: started.lastFailure?.applicationFailureInfo?.type === 'SheetsBusy' };
      }),
    );
    expect(attempts.filter((a) => a.busy).length, JSON.stringify(attempts)).toBeGreaterThanOrEqual(1);
    expect(attempts.filter((a) => a.attempt === 1).length, JSON.stringify(attempts)).toBe(2);
  }, 120_000);
});

describe('a valid 10,000-row workbook', () => {
  it('imports, imports again as a no-op, and each open hazard has its workflow', async () => {
    const OPEN_EVERY = 40;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('存量隐患');
    sheet.addRow(STOCK_HEADER.split(','));
    for (let i = 0; i < 10_000; i++) {
      const open = i % OPEN_EVERY === 0;
      const found = new Date(`${addDays(today, -100 - (i % 50))}T00:00:00Z`);
      // Some open ones are past their deadline: they are overdue at once.
      const deadline = new Date(`${addDays(today, open && i % 80 === 0 ? -3 : 30)}T00:00:00Z`);
      sheet.addRow([i % 2 ? codeA : '', i % 2 ? '' : '甲化工有限公司', `存量隐患 ${i}`, '消防安全', '一般', '', found, deadline, open ? '未销号' : '已销号', open ? '' : new Date(`${addDays(today, -2)}T00:00:00Z`), 'supervisor-a']);
    }
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const first = await uploadStock(admin, bytes, 'stock-10000.xlsx');
    expect(first.status).toBe(202);
    expect(first.body.counts).toEqual({ total: 10_000, valid: 10_000, duplicate: 0, invalid: 0, open: 10_000 / OPEN_EVERY });
    const done = await importAndWait(admin, first.body.id);
    expect(done.progress).toMatchObject({ rowsDone: 10_000, hazardsCreated: 10_000, workflowsStarted: 250, done: true });
    expect(done.status).toBe('done');

    const imported = await h.database.db.execute<{ n: number; open: number; closed: number }>(sql`
      select count(*)::int as n, count(*) filter (where status = 'rectifying')::int as open, count(*) filter (where status = 'closed')::int as closed
        from hazards where title like '存量隐患 %'`);
    if (imported.rows[0]!.n !== 10_000) {
      const odd = await h.database.db.execute(sql`select h.title, h.status, r.row_no, r.cells->>'title' as t from stock_import_rows r left join hazards h on h.id = r.hazard_id where r.import_id = ${first.body.id} and (h.title is null or h.title not like '存量隐患 %') limit 5`);
      console.log(JSON.stringify(odd.rows));
    }
    expect(imported.rows[0]).toEqual({ n: 10_000, open: 250, closed: 9_750 });

    // Each open hazard has its workflow, running, with its registration on record.
    const open = await h.database.db.select({ id: hazards.id, deadline: hazards.deadline }).from(hazards).where(sql`${hazards.title} like '存量隐患 %' and ${hazards.status} = 'rectifying'`);
    for (let i = 0; i < open.length; i += 50) {
      const described = await Promise.all(open.slice(i, i + 50).map((o) => h.env.client.workflow.getHandle(hazardWorkflowId(o.id)).describe()));
      for (const d of described) expect(d.status.name).toBe('RUNNING');
    }
    // Once every open one has recorded its registration (and the late ones their lateness), the
    // figures folded from the triggers' deltas equal a rebuild from the records, and every chain verifies.
    const lateCount = open.filter((o) => o.deadline < today).length;
    await expect
      .poll(async () => {
        const { rows } = await h.database.db.execute<{ registered: number; overdue: number }>(sql`
          select count(*) filter (where e.type = 'registered')::int as registered, count(*) filter (where e.type = 'became_overdue')::int as overdue
            from hazard_events e join hazards x on x.id = e.hazard_id where x.title like '存量隐患 %' and x.status = 'rectifying'`);
        return rows[0];
      }, { timeout: 120_000, interval: 1_000 })
      .toEqual({ registered: 250, overdue: lateCount });
    // The late ones keep climbing their ladders meanwhile: the fold and the rebuild are compared
    // while every writer waits, so both read the same records.
    const { folded, rebuilt } = await whileWritersWait(async (db) => {
      await foldAll(db);
      const folded = await figureRows(db);
      await rebuildFigures(db);
      return { folded, rebuilt: await figureRows(db) };
    });
    expect(rebuilt).toEqual(folded);
    const audit = await verifyAll(h.database.db);
    expect(audit.firstBreak).toBeNull();
    expect(audit.ok).toBe(true);

    const late = open.find((o) => o.deadline < today)!;
    const detail = await (await h.as('supervisor-a'))('GET', `/api/hazards/${late.id}`);
    expect(detail.body.overdue).toBe(true);

    // The same file again: every row is already imported, and importing adds nothing.
    const again = await uploadStock(admin, bytes, 'stock-10000.xlsx');
    expect(again.body.counts).toMatchObject({ total: 10_000, valid: 0, duplicate: 10_000 });
    const second = await importAndWait(admin, again.body.id);
    expect(second.progress).toMatchObject({ hazardsCreated: 0, workflowsStarted: 0 });
    const after = await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from hazards where title like '存量隐患 %'`);
    expect(after.rows[0]!.n).toBe(10_000);
    const [batch] = await h.database.db.select().from(stockImports).where(eq(stockImports.id, first.body.id));
    expect(batch!.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 720_000);
});

/**
 * Runs `read` in a transaction that holds the tables whose triggers add figure deltas in share
 * mode: writers already under way commit first, later ones wait until `read` is done. `read` gets
 * that transaction and must do all its work on it: a share lock asked for on another connection
 * would queue behind the waiting writers, which wait for this transaction, and nothing would move.
 */
async function whileWritersWait<T>(read: (db: Database) => Promise<T>): Promise<T> {
  return h.database.db.transaction(async (tx) => {
    await tx.execute(sql`lock table hazard_events, hazards, enterprises in share mode`);
    return read(tx as unknown as Database);
  });
}

/** Folds until no delta waits (a fold running elsewhere makes `foldFigures` return early). */
async function foldAll(db: Database): Promise<void> {
  for (;;) {
    await foldFigures(db);
    const { rows } = await db.execute<{ waiting: boolean }>(sql`select exists (select 1 from figure_deltas) as waiting`);
    if (!rows[0]!.waiting) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The folded figures, each table's rows as sorted text (rows a fold left all zero aside): a fold and a rebuild must agree on them. */
async function figureRows(db: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of ['figure_open', 'figure_open_by', 'figure_days', 'figure_closure_days']) {
    const { rows } = await db.execute<{ r: Record<string, unknown> }>(sql.raw(`select row_to_json(t) as r from ${table} t`));
    const counted = rows.map((x) => x.r).filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && k !== 'depth' && k !== 'working_days' && v !== 0));
    out[table] = counted.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}
