/**
 * Exporting a ledger from the pages, in a real headless Chromium against the real API: a county
 * leader filters the hazard ledger, presses 导出 Excel, and the downloaded workbook holds the
 * filtered rows of the county with the filter written in its header rows; the inspection ledger,
 * the dashboard's breakdown table, enterprise ranking and overdue ageing download their own. The
 * export's dates are Shanghai's, as the pages' are (pages.e2e.test.ts reads them from New York).
 */
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldFigures } from '../../db/figures/fold';
import { hazards } from '../../db/schema';
import { addDays, dueInstant, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { readWorkbook, rowOf, rowValues } from '../support/ledger-rows';
import type { WorldUser } from '../support/world';

let h: ApiHarness;
let w: BrowserWorld;
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('ledger-export-pages', { browser: { errors, context: { acceptDownloads: true } } });
  h = w.h;
  const register = async (user: WorldUser, enterpriseId: string, title: string, grade: 'general' | 'major') => {
    const res = await (await h.as(user))('POST', '/api/hazards', {
      body: { enterpriseId, title, category: '消防安全', source: 'inspection', grade, deadline: addDays(shanghaiDate(Date.now()), 20), ...(grade === 'major' ? { listingLevel: 'county' } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  await register('supervisor-a', h.world.enterpriseA, '消防通道堵塞', 'general');
  const major = await register('supervisor-a', h.world.enterpriseA, '液氨储罐未设泄漏报警', 'major');
  await register('supervisor-b', h.world.enterpriseB, '乙厂安全出口锁闭', 'general');
  // The major one fell due days ago (the read model moved as the workflow would move it): the ranking and ageing have a row.
  const past = addDays(shanghaiDate(Date.now()), -9);
  await h.database.db.update(hazards).set({ deadline: past, dueAt: new Date(dueInstant(past)) }).where(eq(hazards.id, major));
  await foldFigures(h.database.db);
  const rec = await (await h.as('supervisor-a'))('POST', '/api/inspections', {
    body: {
      enterpriseId: h.world.enterpriseA,
      location: '一号厂房',
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      endedAt: new Date(Date.now() - 600_000).toISOString(),
      findings: [{ item: '安全出口畅通', result: 'pass' }],
    },
  });
  expect(rec.status, JSON.stringify(rec.body)).toBe(201);
}, 120_000);

afterAll(() => w?.stop());

function signedIn(username: string, hash: string): Promise<Page> {
  return w.signedIn(username, hash);
}

describe('exporting from the pages', () => {
  it('downloads the filtered hazard ledger of the county', async () => {
    const page = await signedIn('leader-a', '#/hazards?grade=general');
    await page.getByRole('heading', { level: 1, name: '隐患台账' }).waitFor();
    await page.getByText('消防通道堵塞').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^隐患台账-\d{8}\.xlsx$/);
    await page.getByText('已导出 1 行。').waitFor();
    const bytes = await readFile((await download.path())!);
    const sheet = await readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(rowValues(sheet, rowOf(sheet, '筛选条件'))).toEqual(['筛选条件', '等级', '一般']);
    const titleRow = rowOf(sheet, '隐患名称');
    expect(sheet.rowCount).toBe(titleRow + 1);
    expect(sheet.getRow(titleRow + 1).getCell(1).value).toBe('消防通道堵塞');
    expect(errors).toEqual([]);
  });

  it("downloads a dashboard breakdown table", async () => {
    const page = await signedIn('leader-a', '#/dashboard');
    const table = page.locator('section.breakdown-region');
    await table.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = await readFile((await download.path())!);
    const sheet = await readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(sheet.getCell('A1').value).toBe('隐患分布（按下级区域）');
    expect(rowValues(sheet, rowOf(sheet, '筛选条件'))).toEqual(['筛选条件', '区域', h.world.a.county.name]);
    expect(errors).toEqual([]);
  });

  it('downloads the inspection ledger with the page\'s enterprise filter', async () => {
    const page = await signedIn('leader-a', `#/inspections?enterpriseId=${h.world.enterpriseA}`);
    await page.getByRole('heading', { level: 1, name: '执法检查台账' }).waitFor();
    await page.getByText('一号厂房').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^执法检查台账-\d{8}\.xlsx$/);
    await page.getByText('已导出 1 行。').waitFor();
    const sheet = await downloaded(download);
    expect(rowValues(sheet, rowOf(sheet, '筛选条件'))).toEqual(['筛选条件', '企业', '甲化工有限公司']);
    const titleRow = rowOf(sheet, '企业');
    expect(sheet.rowCount).toBe(titleRow + 1);
    expect(errors).toEqual([]);
  });

  it('downloads the enterprise ranking and the overdue ageing from the dashboard', async () => {
    const page = await signedIn('leader-a', '#/dashboard');
    const ranking = page.locator('[data-rank-card="overdue"]');
    await ranking.getByText('超期 1 项').waitFor();
    const [rankBook] = await Promise.all([page.waitForEvent('download'), ranking.getByRole('button', { name: '导出 Excel' }).click()]);
    const rankSheet = await downloaded(rankBook);
    expect(rankSheet.getCell('A1').value).toBe('企业逾期排名');
    expect(rowValues(rankSheet, rowOf(rankSheet, '筛选条件'))).toEqual(['筛选条件', '区域', h.world.a.county.name]);
    const rankTitles = rowOf(rankSheet, '企业');
    expect(rowValues(rankSheet, rankTitles)).toEqual(['企业', '逾期隐患', '其中重大', '最早期限']);
    expect(rowValues(rankSheet, rankTitles + 1).slice(0, 3)).toEqual(['甲化工有限公司', 1, 1]);
    expect(rankSheet.rowCount).toBe(rankTitles + 1);

    const ageing = page.locator('section.ageing-card');
    const [ageBook] = await Promise.all([page.waitForEvent('download'), ageing.getByRole('button', { name: '导出 Excel' }).click()]);
    const ageSheet = await downloaded(ageBook);
    expect(ageSheet.getCell('A1').value).toBe('逾期账龄');
    const ageTitles = rowOf(ageSheet, '逾期工作日');
    const totals = Array.from({ length: ageSheet.rowCount - ageTitles }, (_, i) => rowValues(ageSheet, ageTitles + 1 + i));
    expect(totals.reduce((n, r) => n + Number(r[2]), 0)).toBe(1);
    expect(errors).toEqual([]);
  });
});

async function downloaded(download: Download) {
  const bytes = await readFile((await download.path())!);
  return readWorkbook(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}
