/**
 * The stock import page in a real headless Chromium against the real API: an admin downloads the
 * template with example rows, uploads it for the dry run, sees every row pass, confirms, and
 * follows the import to its end; a file with a mistake shows the problem beside its row; on a
 * phone-sized screen too.
 */
import { readFile } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazards } from '../../db/schema';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';

let h: ApiHarness;
let w: BrowserWorld;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('stock-import-e2e', { browser: { errors, context: { viewport: { width: 390, height: 844 }, acceptDownloads: true } } });
  h = w.h;
  h.deps.stockImportRate = 200;
  page = await w.signedIn('admin', '/#/admin/stock-import');
  await page.getByRole('heading', { level: 1, name: '存量隐患导入' }).waitFor();
}, 120_000);

afterAll(() => w?.stop());

describe('the stock import page', () => {
  it('runs the dry run and the import of the template with example rows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="template-examples"]').click()]);
    expect(download.suggestedFilename()).toBe('存量隐患导入模板.xlsx');
    const path = await download.path();
    await page.locator('#stock-file').setInputFiles({ name: '存量隐患.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await readFile(path) });
    await page.locator('[data-action="check"]').click();
    const counts = page.locator('.stock-counts');
    await counts.waitFor();
    expect(await counts.getAttribute('data-valid')).toBe('6');
    expect(await counts.getAttribute('data-invalid')).toBe('0');
    await page.getByText('所有行均通过校验。').waitFor();

    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="report"]').click()]);
    expect(report.suggestedFilename()).toMatch(/^存量隐患导入校验报告-\d{8}\.xlsx$/);

    await page.locator('[data-action="import"]').click();
    await page.locator('.stock-progress-figures[data-done="true"]').waitFor({ timeout: 60_000 });
    await page.getByText('导入完成。').waitFor();

    const imported = await h.database.db.select().from(hazards).where(sql`${hazards.title} like '示例：%'`);
    expect(imported).toHaveLength(6);
    expect(imported.filter((x) => x.status === 'closed')).toHaveLength(2);
    for (const x of imported.filter((x) => x.status !== 'closed')) {
      const d = await h.env.client.workflow.getHandle(hazardWorkflowId(x.id)).describe();
      expect(d.status.name).toBe('RUNNING');
    }
    const [one] = await h.database.db.select({ createdBy: hazards.createdBy }).from(hazards).where(eq(hazards.id, imported[0]!.id));
    expect(one!.createdBy).toBe('admin');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a row’s problem beside it', async () => {
    const csv = '\ufeff企业名称,隐患名称,隐患类别,隐患等级,发现日期,整改期限,状态,销号日期,责任监管人员\r\n甲化工有限公司,配电箱未接地,电气安全,一般,2026-02-30,2026-03-10,未销号,,supervisor-a\r\n';
    await page.locator('#stock-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-action="check"]').click();
    const row = page.locator('tr[data-row="2"]');
    await row.waitFor();
    expect(await row.locator('li[data-code="bad-date"]').textContent()).toBe('发现日期：日期无法识别');
    expect(await page.locator('[data-action="import"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
