/**
 * The enterprise's own work, on a phone-sized screen (375×667) in a real headless Chromium
 * against the real API: a major hazard's photo taken and previewed before upload, the submission
 * refused in Chinese while the five-point plan is missing, the plan filed and revised (versions
 * kept), the rectification submitted and the enterprise's acceptance check recorded; an
 * extension request that counts its deadline and shows the policy's limits before it is sent; a
 * resumption request for a suspension. People are named by display name; 期限待定 is shown on
 * hazards; nothing is wider than the screen.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazards, users } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { SAMPLE_JPEG } from '../../scripts/sample-files';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';

const PHONE = { width: 375, height: 667 };
const MAJOR_TITLE = '液氨储罐区未设置泄漏报警';
const GENERAL_TITLE = '车间安全出口指示灯损坏';
let h: ApiHarness;
let w: BrowserWorld;
let majorId: string;
let generalId: string;
let suspensionId: string;
const today = () => shanghaiDate(Date.now());
const pageErrors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('enterprise-pages', { browser: { errors: pageErrors, context: { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } } });
  h = w.h;
  await h.database.db.update(users).set({ displayName: '王建国' }).where(eq(users.username, 'supervisor-a'));
  const sup = await h.as('supervisor-a');
  const register = async (over: Record<string, unknown>) => {
    const res = await sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, category: '安全设施', source: 'inspection', deadline: addDays(today(), 20), ...over } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  majorId = await register({ title: MAJOR_TITLE, grade: 'major', listingLevel: 'county' });
  generalId = await register({ title: GENERAL_TITLE, grade: 'general' });
  // As if its deadline had been counted into a year whose holidays are not yet published.
  await h.database.db.update(hazards).set({ deadlineProvisional: true, provisional: true }).where(eq(hazards.id, generalId));
  const ordered = await sup('POST', '/api/suspensions', {
    body: { enterpriseId: h.world.enterpriseA, documentNumber: '甲县应急停〔2026〕5号', reason: '重大事故隐患未整改', scope: 'partial', scopeNote: '罐区', startsOn: today(), plannedEnd: addDays(today(), 30) },
  });
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  suspensionId = ordered.body.id;
}, 120_000);

afterAll(() => w?.stop());

function onPhone(username: string, hash: string): Promise<Page> {
  return w.signedIn(username, hash);
}

/** Nothing on the page may be wider than the phone's screen (no sideways scrolling). */
const fitsTheScreen = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('the enterprise on a phone', () => {
  it('files a major hazard’s plan and revises it, submits a photo taken with the camera, and records its acceptance check', async () => {
    const page = await onPhone('enterprise-a', `#/hazards/${majorId}`);
    await page.getByRole('heading', { level: 1, name: MAJOR_TITLE }).waitFor();
    // The registrant and the timeline's actor by display name, not login name.
    expect(await page.locator('.record').textContent()).toContain('王建国');
    expect(await page.locator('.events .event-registered .event-actor').textContent()).toContain('王建国');
    expect(await page.locator('.events').textContent()).not.toContain('supervisor-a');
    // The plan is missing: said above the submission form.
    expect(await page.locator('.plan-needed').textContent()).toContain('重大事故隐患须先填报五落实方案');

    // A photo from the camera: previewed from an object URL before it is uploaded.
    const camera = page.getByLabel('拍照');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    expect(await camera.getAttribute('capture')).toBe('environment');
    await camera.setInputFiles({ name: '罐区报警器.jpg', mimeType: 'image/jpeg', buffer: SAMPLE_JPEG });
    const preview = page.getByRole('img', { name: '预览：罐区报警器.jpg' });
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => preview.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0)).toBe(true);
    await page.getByRole('button', { name: '上传 1 个文件' }).click();
    await page.getByText('已上传 1 个文件。').waitFor();
    expect(await page.getByRole('img', { name: '预览：罐区报警器.jpg' }).count()).toBe(0);

    // Submitting before the plan: the API refuses (409), said in Chinese, never its English sentence.
    await page.getByRole('button', { name: '提交整改' }).click();
    const refusal = page.locator('form[data-form="submission"] > .problem');
    await refusal.waitFor();
    const said = (await refusal.textContent()) ?? '';
    expect(said).toContain('HTTP 409');
    expect(said).toContain('重大事故隐患须先填报五落实方案');
    expect(said).not.toMatch(/five-point|evidence is submitted/);
    expect(await refusal.getAttribute('data-code')).toBe('plan-required');

    // The plan: every point, then a revision; both versions stay on record.
    await page.getByRole('button', { name: '填报五落实方案' }).click();
    const planForm = page.locator('form[data-form="plan"]');
    await planForm.getByRole('button', { name: '提交方案' }).click();
    expect(await planForm.locator('.problem').textContent()).toContain('整改措施：此项为必填项');
    await planForm.getByLabel('整改措施').fill('更换腐蚀储罐，增设可燃气体报警装置并与紧急切断阀联动');
    await planForm.getByLabel('整改资金（元）').fill('380000');
    await planForm.getByLabel('整改时限').fill(addDays(today(), 15));
    await planForm.getByLabel('责任人').fill('王厂长（生产副总）');
    await planForm.getByLabel('应急预案').fill('整改期间停用罐区，配备应急物资并安排专人值守');
    await planForm.getByRole('button', { name: '提交方案' }).click();
    await page.getByText('五落实方案已提交（第 1 版）。').waitFor();
    expect(await page.locator('.plan-needed').count()).toBe(0);
    const revise = page.locator('form[data-form="plan"]');
    expect(await revise.getByLabel('整改资金（元）').inputValue()).toBe('380000');
    await revise.getByLabel('整改资金（元）').fill('420000');
    await revise.getByRole('button', { name: '提交修订' }).click();
    await page.getByText('五落实方案已提交（第 2 版）。').waitFor();
    const major = page.locator('.card.major');
    expect(await major.locator('.plan-facts').first().textContent()).toContain('420,000 元');
    const earlier = major.locator('details.plan-version-item[data-version="1"]');
    expect(await earlier.locator('summary').textContent()).toContain('第 1 版');
    await earlier.locator('summary').click();
    expect(await earlier.textContent()).toContain('380,000 元');
    expect(await fitsTheScreen(page)).toBe(true);

    // Now the submission goes through.
    await page.getByRole('button', { name: '提交整改' }).click();
    await page.getByText('整改已提交，等待复查。').waitFor();

    // The enterprise's own acceptance check.
    const acceptance = page.locator('form[data-form="acceptance"]');
    await acceptance.getByLabel('通过', { exact: true }).check();
    await acceptance.getByLabel('验收意见').fill('报警装置已安装并联动测试合格');
    await acceptance.getByLabel('签字人').fill('李工');
    await acceptance.getByRole('button', { name: '提交自查验收' }).click();
    await page.getByText('企业自查验收已记录：通过。').waitFor();
    expect(await page.locator('.acceptances li[data-party="enterprise"]').textContent()).toContain('李工');
    expect(await page.locator('.acceptances-outstanding').textContent()).toContain('专家验收');
    expect(await page.locator('form[data-form="acceptance"]').count()).toBe(0);
    expect(await fitsTheScreen(page)).toBe(true);
    await page.screenshot({ path: '/tmp/duban-enterprise-major-phone.png', fullPage: true });

    // The API agrees.
    const hz = (await (await h.as('supervisor-a'))('GET', `/api/hazards/${majorId}`)).body;
    expect(hz).toMatchObject({ status: 'under_review', plan: { version: 2, funds: 420000 }, acceptancesOutstanding: ['expert'] });
    expect(pageErrors).toEqual([]);
  });

  it('asks for an extension seeing the policy’s limits and the counted deadline before sending; 期限待定 on the hazard', async () => {
    const page = await onPhone('enterprise-a', '#/');
    const row = page.locator('tr', { hasText: GENERAL_TITLE });
    await row.waitFor();
    expect(await row.locator('.col-deadline').textContent()).toContain('期限待定');
    await page.goto(`/#/hazards/${generalId}`);
    await page.getByRole('heading', { level: 1, name: GENERAL_TITLE }).waitFor();
    expect(await page.locator('.detail-head .badges').textContent()).toContain('期限待定');

    const deadline = addDays(today(), 20);
    const form = page.locator('form[data-form="extension-request"]');
    const limits = form.locator('.extension-limits');
    expect(await limits.locator('[data-limit="maxCount"]').textContent()).toBe('2 次（每轮最多 2 次）');
    expect(await limits.locator('[data-limit="maxTotalDays"]').textContent()).toBe(`30 天（最晚延至 ${addDays(deadline, 30)}）`);
    expect(await limits.locator('[data-limit="minLeadDays"]').textContent()).toContain('须在整改期限前至少 1 天申请');

    // Days given: the date is counted, and the preview says where it stands against the limits.
    await form.getByLabel('延长天数').fill('40');
    expect(await form.getByLabel('申请延期至').inputValue()).toBe(addDays(deadline, 40));
    const preview = form.locator('.extension-preview');
    expect(await preview.textContent()).toContain(`超过本轮可延长的 30 天，最晚只能延至 ${addDays(deadline, 30)}`);
    expect(await preview.getAttribute('data-within')).toBe('false');
    await form.getByLabel('延长天数').fill('10');
    expect(await form.getByLabel('申请延期至').inputValue()).toBe(addDays(deadline, 10));
    expect(await preview.textContent()).toContain(`延期后整改期限：${addDays(deadline, 10)}`);
    expect(await preview.textContent()).toContain('比当前期限延长 10 天；本轮累计延长 10 天（上限 30 天）');
    expect(await preview.getAttribute('data-within')).toBe('true');
    // A date picked: the days follow.
    await form.getByLabel('申请延期至').fill(addDays(deadline, 12));
    expect(await form.getByLabel('延长天数').inputValue()).toBe('12');
    await form.getByLabel('延期理由').fill('指示灯配件需厂家订货，到货需两周');
    expect(await fitsTheScreen(page)).toBe(true);
    await page.screenshot({ path: '/tmp/duban-enterprise-extension-phone.png', fullPage: true });
    await form.getByRole('button', { name: '申请延期' }).click();
    await page.getByText('延期申请已提交，等待执法人员审批。').waitFor();
    expect(await page.locator('.extension-request .requested-deadline').textContent()).toContain(addDays(deadline, 12));
    expect(pageErrors).toEqual([]);
  });

  it('asks to resume production after a passing self-check', async () => {
    const page = await onPhone('enterprise-a', `#/suspensions/${suspensionId}`);
    await page.getByRole('heading', { level: 1, name: '停产整顿 甲县应急停〔2026〕5号' }).waitFor();
    expect(await page.locator('.record').textContent()).toContain('王建国');
    const form = page.locator('form[data-form="resumption"]');
    await form.getByLabel('自查情况').fill('罐区报警装置已安装调试，应急物资到位');
    await form.getByRole('button', { name: '提交复产申请' }).click();
    expect(await form.locator('.problem').textContent()).toContain('自查合格后才能申请复产');
    await form.getByLabel('自查合格，具备复产条件').check();
    await form.getByRole('button', { name: '提交复产申请' }).click();
    await page.getByText('复产申请已提交，等待审核。').waitFor();
    expect(await page.locator('.detail-head .badges').textContent()).toContain('复产待审');
    expect(await page.locator('.events .event').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).toEqual(['ordered', 'resumption_requested']);
    expect(await fitsTheScreen(page)).toBe(true);

    // The same words in English: a refusal from the API in the reader's language.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: /Suspension/ }).waitFor();
    expect(await page.locator('.resumption').textContent()).toContain('awaiting the bureau’s review');
    expect(pageErrors).toEqual([]);
  });
});
