/**
 * Printing from the pages, in a real headless Chromium against the real API: an enterprise opens
 * its notice and presses 打印/下载 PDF; the saved file is the notice's order in Chinese with its
 * official number, and the page names the SHA-256 the server did. A supervisor downloads a
 * hazard's case file from the hazard's page.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions } from '../../db/schema';
import { chineseDate } from '../../domain/documents/page';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { pdfText } from '../support/pdf-text';

let h: ApiHarness;
let w: BrowserWorld;
const errors: string[] = [];
let notice: { id: string; code: string; deadline: string };
let hazardId: string;

beforeAll(async () => {
  w = await startBrowserWorld('documents-pages', { browser: { errors, context: { acceptDownloads: true } } });
  h = w.h;
  await h.database.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, h.world.a.county.id));
  const sup = await h.as('supervisor-a');
  const reg = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '消防通道堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 20) },
  });
  expect(reg.status).toBe(201);
  hazardId = reg.body.id;
  const issued = await sup('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId], title: '督促清理消防通道', requirements: '立即清理消防通道', deadline: addDays(shanghaiDate(Date.now()), 7) } });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  notice = issued.body;
}, 120_000);

afterAll(() => w?.stop());

function signedIn(username: string, hash: string): Promise<Page> {
  return w.signedIn(username, hash);
}

describe('printing from the pages', () => {
  it("an enterprise downloads its notice's PDF: the order in Chinese with its official number", async () => {
    const page = await signedIn('enterprise-a', `#/notices/${notice.id}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: notice.code }).waitFor();
    const button = page.locator('.detail-actions').getByRole('button', { name: `打印/下载 PDF：${notice.code}` });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`${notice.code}.pdf`);
    const bytes = await readFile((await download.path())!);
    const text = pdfText(bytes);
    for (const part of ['责令限期整改指令书', notice.code, '甲化工有限公司', chineseDate(notice.deadline), '消防通道堵塞']) expect(text).toContain(part);
    const hash = createHash('sha256').update(bytes).digest('hex');
    await page.locator('.detail-actions').getByText(`已下载（SHA-256 ${hash.slice(0, 12)}…）`).waitFor();
    expect(errors).toEqual([]);
  });

  it("a supervisor downloads the hazard's case file from its page; the enterprise is not offered it", async () => {
    const page = await signedIn('supervisor-a', `#/hazards/${hazardId}`);
    const card = page.locator('section.case-file');
    await card.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: '下载案卷 PDF' }).click()]);
    const text = pdfText(await readFile((await download.path())!));
    for (const part of ['隐患督办案卷', '消防通道堵塞', notice.code]) expect(text).toContain(part);
    // The hazard's documents list its notice's order, printable from here too.
    await page.locator('section.documents').getByText(notice.code).waitFor();

    const enterprise = await signedIn('enterprise-a', `#/hazards/${hazardId}`);
    await enterprise.locator('section.documents').getByText(notice.code).waitFor();
    expect(await enterprise.locator('section.case-file').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
