/**
 * The ledgers exported as Excel, read back with exceljs: header rows saying what the sheet holds
 * (filters, time, exporter), Chinese or English titles, real dates, the frozen title row, text
 * that no spreadsheet evaluates; the list's reach; the row limit; the audit trail.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type TestHttp } from '../support/http';
import { copyHazard, readWorkbook, rowOf, rowValues } from '../support/ledger-rows';
import { PASSWORD, type WorldUser } from '../support/world';

let h: ApiHarness;
const tokens = new Map<string, string>();
let hazardA: string;
let hazardB: string;
const HOSTILE = ['=HYPERLINK("http://evil.example","点我")', '+86-138', '-1+2', '@SUM(A1)', '\t=1+1'];

async function token(user: WorldUser, http: TestHttp = h.http): Promise<string> {
  const key = `${http.baseUrl} ${user}`;
  if (!tokens.has(key)) {
    const res = await http.request('POST', '/api/auth/login', { body: { username: user, password: PASSWORD } });
    tokens.set(key, res.body.token);
  }
  return tokens.get(key)!;
}

async function download(user: WorldUser, path: string, http: TestHttp = h.http) {
  const res = await fetch(http.baseUrl + path, { headers: { authorization: `Bearer ${await token(user, http)}` } });
  return { res, bytes: await res.arrayBuffer() };
}

async function register(user: WorldUser, enterpriseId: string, title: string): Promise<string> {
  const send = await h.as(user);
  const res = await send('POST', '/api/hazards', {
    body: { enterpriseId, title, category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 15), location: '配电室' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  h = await startApiHarness('ledgers');
  hazardA = await register('supervisor-a', h.world.enterpriseA, HOSTILE[0]!);
  hazardB = await register('supervisor-b', h.world.enterpriseB, '乙县配电柜未接地');
  // 30 more in county A, some titled as enterprise-written text that a spreadsheet would evaluate.
  const hostile = sql.join(HOSTILE.map((x) => sql`${x}`), sql`, `);
  await copyHazard(h.database.db, hazardA, 30, sql`(array[${hostile}])[1 + n % ${HOSTILE.length}]`);
  await copyHazard(h.database.db, hazardB, 20);
});
afterAll(async () => h?.stop());

describe('the hazard ledger as Excel', () => {
  it('writes the filters, the time and the exporter in the header rows, Chinese titles, real dates, a frozen title row and escaped text', async () => {
    const before = Date.now();
    const { res, bytes } = await download('supervisor-a', '/api/hazards/export.xlsx?status=rectifying&grade=general');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="hazards-\d{8}\.xlsx"; filename\*=UTF-8''/);
    expect(res.headers.get('x-ledger-rows')).toBe('31');
    const sheet = await readWorkbook(bytes);

    expect(sheet.getCell('A1').value).toBe('隐患台账');
    const at = rowOf(sheet, '导出时间');
    const stamp = sheet.getRow(at).getCell(2).value as Date;
    expect(stamp).toBeInstanceOf(Date);
    // Shanghai wall-clock time, as a spreadsheet (which knows no time zones) shows it.
    expect(stamp.getTime() - 8 * 3600_000).toBeGreaterThanOrEqual(before - 1000);
    expect(stamp.getTime() - 8 * 3600_000).toBeLessThanOrEqual(Date.now());
    expect(sheet.getRow(at).getCell(3).value).toMatch(/Asia\/Shanghai/);
    expect(rowValues(sheet, rowOf(sheet, '导出人'))[1]).toBe(await displayName('supervisor-a'));
    expect(rowValues(sheet, rowOf(sheet, '行数'))[1]).toBe(31);
    const filters = rowOf(sheet, '筛选条件');
    expect([rowValues(sheet, filters).slice(1), rowValues(sheet, filters + 1).slice(1)]).toEqual([
      ['状态', '整改中'],
      ['等级', '一般'],
    ]);

    const titleRow = rowOf(sheet, '隐患名称');
    expect(titleRow).toBe(filters + 2);
    const titles = rowValues(sheet, titleRow);
    expect(titles).toEqual(expect.arrayContaining(['企业', '统一社会信用代码', '状态', '整改期限', '发现时间', '负责监管人员', '隐患编号']));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: titleRow });

    const column = (title: string) => titles.indexOf(title) + 1;
    const data = Array.from({ length: sheet.rowCount - titleRow }, (_, i) => sheet.getRow(titleRow + 1 + i));
    expect(data).toHaveLength(31);
    const first = data.find((r) => r.getCell(column('隐患编号')).value === hazardA)!;
    const deadline = first.getCell(column('整改期限'));
    expect(deadline.value).toBeInstanceOf(Date);
    expect((deadline.value as Date).toISOString().slice(0, 10)).toBe(addDays(shanghaiDate(Date.now()), 15));
    expect(deadline.numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(column('发现时间')).value).toBeInstanceOf(Date);
    expect(first.getCell(column('状态')).value).toBe('整改中');
    expect(first.getCell(column('企业')).value).toBe('甲化工有限公司');
    expect(first.getCell(column('负责监管人员')).value).toBe(await displayName('supervisor-a'));

    // Enterprise-written text stays text: every hostile title is written with the apostrophe, never as a formula.
    const titlesWritten = data.map((r) => r.getCell(column('隐患名称')));
    for (const cell of titlesWritten) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(HOSTILE.map((x) => `'${x}`)).toContain(cell.value);
    }
    expect(new Set(titlesWritten.map((c) => c.value)).size).toBe(HOSTILE.length);
    // The columns fit what they hold: the enterprise's name (7 CJK characters) is wider than a default column.
    expect(sheet.getColumn(column('企业')).width).toBeGreaterThanOrEqual(16);
  });

  it('speaks English when asked, labels included', async () => {
    const { res, bytes } = await download('supervisor-a', '/api/hazards/export.xlsx?lang=en&overdue=false');
    expect(res.status).toBe(200);
    const sheet = await readWorkbook(bytes);
    expect(sheet.getCell('A1').value).toBe('Hazard ledger');
    const filters = rowOf(sheet, 'Filters');
    expect(rowValues(sheet, filters).slice(1)).toEqual(['Overdue', 'No']);
    const titleRow = rowOf(sheet, 'Hazard');
    const titles = rowValues(sheet, titleRow);
    expect(titles).toEqual(expect.arrayContaining(['Enterprise', 'Status', 'Deadline']));
    expect(sheet.getRow(titleRow + 1).getCell(titles.indexOf('Status') + 1).value).toBe('Rectifying');
  });

  it('holds only the rows within reach: a county never sees the other county, an enterprise only itself', async () => {
    const idsIn = async (user: WorldUser, query = '') => {
      const { res, bytes } = await download(user, `/api/hazards/export.xlsx${query}`);
      expect(res.status).toBe(200);
      const sheet = await readWorkbook(bytes);
      const titleRow = rowOf(sheet, '隐患名称');
      const titles = rowValues(sheet, titleRow);
      const rows = Array.from({ length: sheet.rowCount - titleRow }, (_, i) => sheet.getRow(titleRow + 1 + i));
      return { ids: rows.map((r) => r.getCell(titles.indexOf('隐患编号') + 1).value), enterprises: new Set(rows.map((r) => r.getCell(titles.indexOf('企业') + 1).value)) };
    };
    const a = await idsIn('supervisor-a');
    expect(a.ids).toHaveLength(31);
    expect([...a.enterprises]).toEqual(['甲化工有限公司']);
    expect(a.ids).not.toContain(hazardB);
    const b = await idsIn('supervisor-b');
    expect(b.ids).toHaveLength(21);
    expect([...b.enterprises]).toEqual(['乙机械制造厂']);
    expect((await idsIn('enterprise-b')).ids).toHaveLength(21);
    const city = await idsIn('leader-city');
    expect(city.ids).toHaveLength(52);
    // Filtered to the other county's enterprise: nothing, and its name is not in the header either.
    const { bytes } = await download('supervisor-a', `/api/hazards/export.xlsx?enterpriseId=${h.world.enterpriseB}`);
    const sheet = await readWorkbook(bytes);
    expect(rowValues(sheet, rowOf(sheet, '行数'))[1]).toBe(0);
    expect(rowValues(sheet, rowOf(sheet, '筛选条件'))).toEqual(['筛选条件', '企业', h.world.enterpriseB]);
    // The list's own rules hold for the export and still for the list: a range backwards, a campaign without its cohort.
    const backwards = await download('supervisor-a', '/api/hazards/export.xlsx?foundFrom=2026-05-02&foundTo=2026-05-01');
    expect(backwards.res.status).toBe(400);
    expect(JSON.parse(Buffer.from(backwards.bytes).toString()).errors.map((e: { field: string }) => e.field)).toContain('query.foundFrom');
    const listed = await (await h.as('supervisor-a'))('GET', `/api/hazards?campaign=${hazardA}`);
    expect(listed.status).toBe(400);
    expect(listed.body.errors.map((e: { field: string }) => e.field)).toContain('query.cohort');
    // A region outside reach is refused as the list refuses it.
    const outside = await download('supervisor-a', `/api/hazards/export.xlsx?region=${h.world.b.county.id}`);
    expect(outside.res.status).toBe(400);
    expect(outside.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('refuses an export past the row limit before anything is streamed, and records who exported what', async () => {
    const limited = await serve(createApp({ ...h.deps, exportRowLimit: 31 }));
    try {
      const over = await download('leader-city', '/api/hazards/export.xlsx', limited);
      expect(over.res.status).toBe(422);
      expect(over.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(Buffer.from(over.bytes).toString());
      expect(problem).toMatchObject({ type: 'urn:duban:problem:export-too-large', status: 422, rowLimit: 31, errors: [{ field: 'query', limit: { name: 'export.rowLimit', value: 31 } }] });
      const exact = await download('supervisor-a', '/api/hazards/export.xlsx', limited);
      expect(exact.res.status).toBe(200);
      expect(exact.res.headers.get('x-ledger-rows')).toBe('31');
    } finally {
      await limited.close();
    }
    await download('supervisor-b', '/api/hazards/export.xlsx?grade=general');
    const { rows } = await h.database.db.execute<{ actor: string; data: { rows: number; query: Record<string, unknown> } }>(
      sql`select actor, data from admin_events where action = 'ledger.exported' and subject_id = 'hazards' order by chain_seq desc limit 1`,
    );
    expect(rows[0]).toMatchObject({ actor: 'supervisor-b', data: { rows: 21, query: { grade: 'general', lang: 'zh' } } });
  });
});

describe('the other ledgers', () => {
  it('exports inspections with the inspectors by name', async () => {
    const send = await h.as('supervisor-a');
    const now = Date.now();
    const rec = await send('POST', '/api/inspections', {
      body: {
        enterpriseId: h.world.enterpriseA,
        location: '=1+1 一号厂房',
        startedAt: new Date(now - 3_600_000).toISOString(),
        endedAt: new Date(now - 600_000).toISOString(),
        coInspectors: [h.world.users['grid-a']],
        findings: [{ item: '安全出口畅通', result: 'pass' }],
      },
    });
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    const { res, bytes } = await download('leader-a', `/api/inspections/export.xlsx?enterpriseId=${h.world.enterpriseA}`);
    expect(res.status).toBe(200);
    const sheet = await readWorkbook(bytes);
    expect(sheet.getCell('A1').value).toBe('执法检查台账');
    const titleRow = rowOf(sheet, '企业');
    const titles = rowValues(sheet, titleRow);
    const row = sheet.getRow(titleRow + 1);
    expect(row.getCell(titles.indexOf('检查人员') + 1).value).toBe(`${await displayName('supervisor-a')}、${await displayName('grid-a')}`);
    expect(row.getCell(titles.indexOf('检查地点') + 1).value).toBe("'=1+1 一号厂房");
    expect(row.getCell(titles.indexOf('开始时间') + 1).value).toBeInstanceOf(Date);
    expect((await download('supervisor-b', '/api/inspections/export.xlsx')).res.headers.get('x-ledger-rows')).toBe('0');
  });

  it('exports notices and suspensions with their titles even when none match', async () => {
    for (const [path, title, first] of [
      ['/api/notices/export.xlsx?status=issued', '督办通知台账', '文号'],
      ['/api/suspensions/export.xlsx?status=suspended', '停产整顿台账', '决定文号'],
    ] as const) {
      const { res, bytes } = await download('supervisor-a', path);
      expect(res.status, path).toBe(200);
      const sheet = await readWorkbook(bytes);
      expect(sheet.getCell('A1').value).toBe(title);
      expect(rowValues(sheet, rowOf(sheet, '筛选条件'))).toEqual(['筛选条件', '状态', path.includes('notices') ? '已下达' : '停产整顿中']);
      expect(rowOf(sheet, first)).toBeGreaterThan(0);
    }
  });

  it("exports the leaders' breakdowns for a region within reach, and no other", async () => {
    const { res, bytes } = await download('leader-a', '/api/figures/breakdown/export.xlsx?by=region');
    expect(res.status).toBe(200);
    const sheet = await readWorkbook(bytes);
    expect(sheet.getCell('A1').value).toBe('隐患分布（按下级区域）');
    const titleRow = rowOf(sheet, '下级区域');
    expect(rowValues(sheet, titleRow)).toEqual(expect.arrayContaining(['未销号', '逾期', '按期销号率']));
    expect(sheet.getRow(titleRow + 1).getCell(1).value).toBe(h.world.a.township.name);
    const ageing = await download('leader-a', '/api/figures/ageing/export.xlsx?lang=en');
    expect(ageing.res.status).toBe(200);
    expect(rowValues(await readWorkbook(ageing.bytes), rowOf(await readWorkbook(ageing.bytes), 'Working days overdue'))).toEqual(['Working days overdue', 'General', 'Major', 'Total']);
    const ranking = await download('leader-a', '/api/figures/enterprises/export.xlsx?rank=overdue');
    expect(ranking.res.status).toBe(200);
    expect((await download('leader-a', `/api/figures/breakdown/export.xlsx?by=industry&region=${h.world.b.county.id}`)).res.status).toBe(404);
    expect((await download('enterprise-a', '/api/figures/breakdown/export.xlsx?by=region')).res.status).toBe(403);
  });
});

async function displayName(username: string): Promise<string> {
  const { rows } = await h.database.db.execute<{ display_name: string }>(sql`select display_name from users where username = ${username}`);
  return rows[0]!.display_name;
}

