/**
 * Exporting a ledger from the pages, in a real headless Chromium against the real API: a county
 * leader filters the hazard ledger, presses 导出 Excel, and the downloaded workbook holds the
 * filtered rows of the county with the filter written in its header rows; the dashboard's
 * breakdown table downloads its own. The browser runs in New York time: the export is Shanghai's.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { readWorkbook, rowOf, rowValues } from '../support/ledger-rows';
import { PASSWORD, type WorldUser } from '../support/world';

let h: ApiHarness;
let b: BrowserHarness;
const errors: string[] = [];

beforeAll(async () => {
  h = await startApiHarness('ledger-export-pages');
  const register = async (user: WorldUser, enterpriseId: string, title: string, grade: 'general' | 'major') => {
    const res = await (await h.as(user))('POST', '/api/hazards', {
      body: { enterpriseId, title, category: '消防安全', source: 'inspection', grade, deadline: addDays(shanghaiDate(Date.now()), 20), ...(grade === 'major' ? { listingLevel: 'county' } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  await register('supervisor-a', h.world.enterpriseA, '消防通道堵塞', 'general');
  await register('supervisor-a', h.world.enterpriseA, '液氨储罐未设泄漏报警', 'major');
  await register('supervisor-b', h.world.enterpriseB, '乙厂安全出口锁闭', 'general');
  b = await startBrowserHarness({ baseUrl: h.http.baseUrl, password: PASSWORD, errors, context: { acceptDownloads: true } });
}, 120_000);

afterAll(async () => {
  await b?.close();
  await h?.stop();
});

function signedIn(username: string, hash: string): Promise<Page> {
  return b.signedIn(username, `/${hash}`);
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
});
