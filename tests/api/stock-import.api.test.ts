/**
 * Bulk import of the stock (存量隐患) through the API: the dry run's report per row and column for
 * every kind of problem, CSV with a BOM, text that looks like a formula kept as text, an admin's
 * reach, a workbook that unpacks past its limits, how many files are read at once, and a
 * 10,000-row workbook imported, imported again as a no-op, each open hazard with its workflow on
 * the Temporal server.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/passwords';
import { verifyAll } from '../../db/audit-verify';
import { createUser } from '../../db/directory';
import type { Database } from '../../db/client';
import { foldFigures, rebuildFigures } from '../../db/figures/fold';
import { enterprises, hazardEvents, hazards, stockImports } from '../../db/schema';
import { withCreditCheckChar } from '../../domain/credit-code';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { STOCK_HEADER, stockCsv, uploadStock } from '../support/stock-sheet';
import { handWorkbook } from '../support/zip';
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

async function importAndWait(as: Requester, id: string) {
  const started = await as('POST', `/api/stock-imports/${id}/import`);
  expect(started.status).toBe(202);
  for (let i = 0; i < 600; i++) {
    const res = await as('GET', `/api/stock-imports/${id}`);
    // A poll the busy database could not answer in time (503) is polled again.
    if (res.status !== 503) expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (res.status === 200 && res.body.progress.done) return res.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the import did not finish');
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
    expect(res.status).toBe(201);
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

  it('refuses a file without the template’s columns, naming them, and a file of another type', async () => {
    const missing = await uploadStock(admin, Buffer.from('企业名称,隐患名称\n甲,乙\n'), 'x.csv');
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('sheet-missing-columns');
    expect(missing.body.errors.map((e: { message: string }) => e.message)).toContain('missing column 整改期限');
    const wrong = await uploadStock(admin, Buffer.from('hello'), 'x.txt');
    expect(wrong.status).toBe(415);
    expect(wrong.body.code).toBe('sheet-wrong-type');
    const broken = await uploadStock(admin, Buffer.from('not a zip at all'), 'x.xlsx');
    expect(broken.status).toBe(422);
  });

  it('reads CSV with a BOM, quoted fields and line breaks; keeps formula-looking text as text', async () => {
    const formula = '=HYPERLINK("http://evil.example","点我")';
    const rows = [
      [codeA, '', formula, '电气安全', '一般', '', addDays(today, -20), addDays(today, 5), '未销号', '', 'supervisor-a'],
      [codeA, '', '配电箱\n未接地', '电气安全', '一般', '', addDays(today, -20).replaceAll('-', '/'), addDays(today, 5), '已销号', addDays(today, -1), 'supervisor-a'],
    ];
    const res = await uploadStock(admin, stockCsv(rows), 'bom.csv');
    expect(res.status).toBe(201);
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
  it('refuses a small workbook that unpacks to more than a stock holds, and a CSV record past a sheet’s width or length, keeping nothing', async () => {
    const before = await h.database.db.select({ id: stockImports.id }).from(stockImports);
    // 2 MB on the wire, 1 GB of shared strings once unpacked: read until the limit, then refused.
    const header = STOCK_HEADER.split(',');
    const bomb = await handWorkbook({ rows: [header], order: 'strings-first', stringsFiller: { repeat: `<si><t>${'a'.repeat(1000)}</t></si>`, times: 1_000_000 } });
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const res = await uploadStock(admin, bomb, 'bomb.xlsx');
    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect(res.body.code).toBe('sheet-too-large');
    expect(res.body.errors).toEqual([{ field: 'file', code: 'sheet-too-large', message: 'the workbook unpacks to more than 128 MB of shared strings' }]);
    expect(await h.database.db.select({ id: stockImports.id }).from(stockImports)).toEqual(before);
    // A CSV's one record of three million commas, or a quote never closed, is refused the same way.
    for (const [tail, message] of [
      [','.repeat(3_000_000), 'a record of the file has more than 16384 fields'],
      [`"${'长'.repeat(1_100_000)}`, 'a record of the file runs past 1048576 characters'],
    ]) {
      const csv = await uploadStock(admin, Buffer.concat([stockCsv([]), Buffer.from(tail!)]), 'wide.csv');
      expect(csv.status, JSON.stringify(csv.body)).toBe(413);
      expect(csv.body.errors).toEqual([{ field: 'file', code: 'sheet-too-large', message }]);
    }
    expect(await h.database.db.select({ id: stockImports.id }).from(stockImports)).toEqual(before);
  }, 120_000);

  it('reads two files at once and answers a third 503 sheets-busy with Retry-After, then takes it', async () => {
    const boundary = 'held-upload';
    /**
     * An upload whose header row (and enough blank lines for the CSV reader to decide its
     * encoding) arrives at once, and the rest only when released: its dry run has begun, with
     * its batch on record, and waits.
     */
    const held = async (name: string) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const body = new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${STOCK_HEADER}\r\n${'\r\n'.repeat(40_000)}`));
          await released;
          c.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          c.close();
        },
      });
      const answer = fetch(`${h.http.baseUrl}/api/stock-imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminAToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit);
      let settled: number | string | null = null;
      answer.then((r) => (settled = r.status)).catch((e: Error) => (settled = e.message));
      for (let i = 0; i < 200 && settled === null; i++) {
        const [begun] = await h.database.db.select({ id: stockImports.id }).from(stockImports).where(eq(stockImports.fileName, name));
        if (begun) return { release, answer };
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the upload ${name} did not begin its dry run (answered: ${settled})`);
    };
    const first = await held('held-1.csv');
    const second = await held('held-2.csv');
    const third = await uploadStock(admin, stockCsv([]), 'third.csv');
    expect(third.status, JSON.stringify(third.body)).toBe(503);
    expect(third.body.code).toBe('sheets-busy');
    expect(third.headers.get('retry-after')).toBe('10');
    first.release();
    second.release();
    for (const r of [await first.answer, await second.answer]) expect(r.status).toBe(201);
    const again = await uploadStock(admin, stockCsv([]), 'third.csv');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  }, 60_000);
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
    expect(first.status).toBe(201);
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
  }, 480_000);
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
