/**
 * The command pages added last, in a real headless Chromium against the real API: a supervisor
 * moves a hazard to another policy version after seeing what would change; a leader urges
 * several overdue items ticked in the hazards ledger or the notices list at once, each item's
 * outcome shown, and urges every
 * overdue item of an enterprise; the city admin sets a jurisdiction's review-meeting rhythm with
 * the current one shown; a notice is issued to a government body rather than an enterprise.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notices } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import type { Requester } from '../support/http';
import { overdueHazard } from '../support/overdue-cases';
import { overdueNotice } from '../support/overdue-notice';

let h: ApiHarness;
let w: BrowserWorld;
let sup: Requester;
let admin: Requester;
const today = () => shanghaiDate(Date.now());
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('command-pages', { browser: { errors } });
  h = w.h;
  sup = await h.as('supervisor-a');
  admin = await h.as('admin');
}, 120_000);

afterAll(() => w?.stop());

async function register(title: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title, category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), requiredMeasures: '立即整改', ...over } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** A hazard of enterprise A whose deadline passed days ago (imported stock): overdue at once. */
const overdue = (title: string) => overdueHazard(h, title);

/** The region a notice is addressed to, as recorded. */
async function addresseeRegion(noticeId: string): Promise<string | null> {
  const [row] = await h.database.db.select({ regionId: notices.addresseeRegionId }).from(notices).where(eq(notices.id, noticeId));
  return row?.regionId ?? null;
}

function signedIn(username: string, hash: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  return w.signedIn(username, hash, { viewport });
}

describe('moving a hazard to another policy version', () => {
  it('shows the versions of its grade and what the one picked changes, then moves it with a reason', async () => {
    const saved = await admin('POST', '/api/policies', { body: { grade: 'general', industry: '选版测试', policy: { ...DEFAULT_POLICIES.general, reminderDaysBefore: [5, 2] }, note: '提前提醒' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const id = await register('配电室门口堆放杂物');
    const page = await signedIn('supervisor-a', `#/hazards/${id}`);
    const command = page.locator('details[data-command="change-policy"]');
    await command.locator('summary').click();
    await command.getByText('本隐患现行：').waitFor();
    const select = command.getByLabel('改用的政策版本');
    expect(await select.locator(`option[value="${saved.body.id}"]`).textContent()).toContain('选版测试');
    await select.selectOption(String(saved.body.id));
    const change = command.locator('tr[data-path="reminderDaysBefore"]');
    await change.waitFor();
    expect(await change.locator('.diff-after').textContent()).toMatch(/5.*2/);
    await command.getByLabel('理由').fill('执行新版提醒规则');
    await command.getByRole('button', { name: '变更督办政策版本' }).click();
    await page.getByText('已变更督办政策版本').waitFor();
    const hazard = (await sup('GET', `/api/hazards/${id}`)).body;
    expect(hazard.policyId).toBe(saved.body.id);
    await page.getByText('适用新版督办政策').first().waitFor();
    expect(errors).toEqual([]);
  });
});

describe('the review meetings’ rhythm (the city admin)', () => {
  it('shows each jurisdiction’s rhythm, the default where none was set, and saves one from a validated form', async () => {
    const county = h.world.b.county.id;
    const page = await signedIn('admin', '#/admin/review-meetings');
    await page.getByRole('heading', { level: 1, name: '督办会安排' }).waitFor();
    const row = page.locator(`tr[data-region-id="${county}"]`);
    expect(await row.textContent()).toContain('每 2 个月召开');
    expect(await row.textContent()).toContain('默认');
    await row.getByRole('link', { name: '修改' }).click();
    const form = page.locator('form[data-form="review-meeting"]');
    await form.locator('.meeting-current', { hasText: '现行：每 2 个月召开（默认）' }).waitFor();
    // Only the rhythms the API takes are offered.
    expect(await form.getByLabel('召开周期').locator('option').allTextContents()).toEqual(['每 1 个月', '每 2 个月', '每 3 个月', '每 4 个月', '每 6 个月', '每 12 个月']);
    await form.getByLabel('召开周期').selectOption('3');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText(/已保存.*的督办会安排：每 3 个月召开。/).waitFor();
    expect(await page.locator(`tr[data-region-id="${county}"]`).textContent()).toContain('每 3 个月召开');
    const saved = (await admin('GET', '/api/review-packs/policies')).body.items.find((p: { regionId: string }) => p.regionId === county);
    expect(saved).toMatchObject({ everyMonths: 3, active: true, configured: true, updatedBy: 'admin' });
    // Stopped again, so no schedule is left behind on the shared server.
    expect((await admin('PUT', `/api/review-packs/policies/${county}`, { body: { everyMonths: 3, active: false } })).status).toBe(200);
    expect(errors).toEqual([]);
  });
});

describe('a notice to a government body', () => {
  it('is started from the notices list, addressed to a region’s department, its deadline counted before issuing', async () => {
    const page = await signedIn('supervisor-a', '#/notices');
    await page.getByRole('heading', { level: 1, name: '督办通知' }).waitFor();
    await page.getByRole('link', { name: '向政府部门下达督办通知' }).click();
    await page.getByRole('heading', { level: 1, name: '下达督办通知' }).waitFor();
    await page.getByText('请先选择受文政府。').waitFor();
    await page.getByLabel('受文政府（辖区）').selectOption(h.world.a.county.id);
    await page.getByLabel('部门', { exact: true }).fill('住建局');
    await page.locator('.deadline-preview[data-preview="ready"]').waitFor();
    await page.getByLabel('通知标题').fill('关于督促开展燃气管道排查的通知');
    await page.getByLabel('督办要求').fill('十日内完成辖区燃气管道排查并报送清单');
    await page.getByRole('button', { name: '下达督办通知' }).click();
    await page.getByText(/已下达督办通知/).waitFor();
    const noticeId = page.url().split('/').pop()!;
    const notice = (await sup('GET', `/api/notices/${noticeId}`)).body;
    expect(notice).toMatchObject({ enterpriseId: null, title: '关于督促开展燃气管道排查的通知' });
    expect(notice.addressee).toMatch(/住建局$/);
    expect(await addresseeRegion(noticeId)).toBe(h.world.a.county.id);
    expect(errors).toEqual([]);
  });

  it('can be chosen for hazards of one enterprise instead of the enterprise itself', async () => {
    const id = await register('液化气钢瓶露天存放');
    const page = await signedIn('supervisor-a', `#/notices/new?hazards=${id}`);
    await page.getByRole('heading', { level: 1, name: '下达督办通知' }).waitFor();
    expect(await page.getByLabel(/企业：/).isChecked()).toBe(true);
    await page.locator('.deadline-preview[data-preview="ready"]').waitFor();
    await page.getByLabel('政府部门').check();
    await page.getByText('请先选择受文政府。').waitFor();
    await page.getByLabel('受文政府（辖区）').selectOption(h.world.a.township.id);
    await page.locator('.deadline-preview[data-preview="ready"]').waitFor();
    await page.getByRole('button', { name: '下达督办通知' }).click();
    await page.getByText(/已下达督办通知/).waitFor();
    const noticeId = page.url().split('/').pop()!;
    const notice = (await sup('GET', `/api/notices/${noticeId}`)).body;
    expect(notice).toMatchObject({ enterpriseId: null });
    expect(await addresseeRegion(noticeId)).toBe(h.world.a.township.id);
    expect(notice.hazards.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(errors).toEqual([]);
  });
});

/**
 * Ticks two rows of a list, one fresh and one urged lately, and urges them with the bar's button:
 * each outcome is listed, linking to its item (urged; refused as urged lately), and the leader's
 * urges hold each once.
 */
async function urgeTicked(page: Page, kind: 'hazard' | 'notice', button: string, fresh: string, lately: string) {
  for (const id of [fresh, lately]) await page.locator(`tr[data-${kind}-id="${id}"] input.select-${kind}`).check();
  expect(await page.locator('.selection-count').textContent()).toBe('已选 2 条');
  await page.getByRole('button', { name: button }).click();
  const outcome = (id: string) => page.locator(`.urge-outcomes li[data-${kind}-id="${id}"]`);
  await outcome(fresh).and(page.locator('[data-outcome="urged"]')).waitFor();
  await outcome(lately).and(page.locator('[data-outcome="refused"]')).waitFor();
  expect(await outcome(fresh).textContent()).toContain('已催办');
  expect(await outcome(lately).textContent()).toContain('未催办');
  expect(await outcome(lately).textContent()).toContain('刚催办过');
  expect(await outcome(fresh).locator('a').getAttribute('href')).toBe(`#/${kind}s/${fresh}`);
  const mine = (await (await h.as('leader-a'))('GET', '/api/urges?by=me&limit=200')).body.items.map((u: { itemId: string }) => u.itemId);
  expect(mine.filter((id: string) => id === fresh)).toHaveLength(1);
  expect(mine.filter((id: string) => id === lately)).toHaveLength(1);
}

describe('urging overdue items at once (a leader)', () => {
  it('urges the hazards ticked in the ledger, each one’s outcome shown: one urged, one refused as urged lately', async () => {
    const leader = await h.as('leader-a');
    const [fresh, lately] = [await overdue('储罐区巡检记录缺失'), await overdue('危化品仓库超量储存')];
    await expect.poll(async () => (await leader('GET', `/api/hazards?overdue=true&limit=200`)).body.items.map((x: { id: string }) => x.id), { timeout: 15_000 }).toEqual(expect.arrayContaining([fresh, lately]));
    expect((await leader('POST', `/api/hazards/${lately}/urge`, { body: { message: '请尽快整改' } })).status).toBe(200);
    const page = await signedIn('leader-a', '#/hazards?overdue=true');
    await page.getByRole('heading', { level: 1, name: '隐患台账' }).waitFor();
    await urgeTicked(page, 'hazard', '催办所选隐患', fresh, lately);
    expect(errors).toEqual([]);
  });

  it('urges the notices ticked in the list, each one’s outcome shown: one urged, one refused as urged lately; a supervisor is offered no tick boxes', async () => {
    const leader = await h.as('leader-a');
    const [{ noticeId: fresh }, { noticeId: lately }] = [await overdueNotice(h), await overdueNotice(h)];
    expect((await leader('POST', `/api/notices/${lately}/urge`, { body: { message: '请尽快整改' } })).status).toBe(200);
    const page = await signedIn('leader-a', '#/notices');
    await page.getByRole('heading', { level: 1, name: '督办通知' }).waitFor();
    await urgeTicked(page, 'notice', '催办所选通知', fresh, lately);
    // Urging is a leader's: a supervisor's list has no tick boxes and no bar.
    const supPage = await signedIn('supervisor-a', '#/notices');
    await supPage.locator(`tr[data-notice-id="${fresh}"]`).waitFor();
    expect(await supPage.locator('input.select-notice').count()).toBe(0);
    expect(await supPage.locator('.selection-bar').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('urges every overdue item of an enterprise from the urges page, following the bulk urge to its end', async () => {
    const leader = await h.as('leader-a');
    const id = await overdue('液氨管道阀门泄漏');
    await expect.poll(async () => (await leader('GET', `/api/hazards?overdue=true&limit=200`)).body.items.map((x: { id: string }) => x.id), { timeout: 15_000 }).toContain(id);
    const page = await signedIn('leader-a', '#/urges');
    await page.getByRole('heading', { level: 1, name: '我的催办' }).waitFor();
    const form = page.locator('form[data-form="bulk-urge"]');
    await form.getByLabel('一家企业').check();
    await form.getByRole('combobox', { name: /^企业/ }).selectOption(h.world.enterpriseA);
    await form.getByLabel('催办意见').fill('逾期隐患请本周内全部整改到位');
    await form.getByRole('button', { name: '统一催办' }).click();
    const done = page.locator('.bulk-progress[data-done="true"]');
    await done.waitFor({ timeout: 30_000 });
    const urges = (await leader('GET', '/api/urges?by=me&limit=200')).body.items as Array<{ itemId: string; bulkUrgeId: string | null; message: string }>;
    const ours = urges.find((u) => u.itemId === id);
    expect(ours).toMatchObject({ bulkUrgeId: expect.stringMatching(/^urge-/), message: '逾期隐患请本周内全部整改到位' });
    const progress = (await leader('GET', `/api/bulk-urges/${ours!.bulkUrgeId}`)).body;
    expect(progress).toMatchObject({ done: true, scope: { kind: 'enterprise', id: h.world.enterpriseA } });
    expect(await done.locator('[data-count="urged"] dd').textContent()).toBe(String(progress.urged));
    expect(await done.locator('[data-count="concerned"] dd').textContent()).toBe(String(progress.concerned));
    expect(errors).toEqual([]);
  });
});

describe('on a phone-sized screen', () => {
  /** Elements reaching past the right edge of the screen (none: the page fits its width; wide tables scroll in their own box). */
  const overflowing = (p: Page) =>
    p.evaluate<string[]>(`[...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap'))
      .map((el) => el.tagName + '.' + el.className)
      .slice(0, 5)`);
  const phone = { width: 390, height: 844 };

  it('the new command pages fit the width: the policy picker, a notice to a body, 统一催办, 督办会安排', async () => {
    const id = await register('楼梯间堆放电动车');
    const sup = await signedIn('supervisor-a', `#/hazards/${id}`, phone);
    const picker = sup.locator('details[data-command="change-policy"]');
    await picker.locator('summary').click();
    await picker.getByText('本隐患现行：').waitFor();
    expect(await overflowing(sup)).toEqual([]);
    await sup.evaluate(`location.hash = '#/notices/new?to=body'`);
    await sup.getByText('请先选择受文政府。').waitFor();
    expect(await overflowing(sup)).toEqual([]);
    const leader = await signedIn('leader-a', '#/urges', phone);
    await leader.locator('form[data-form="bulk-urge"]').waitFor();
    expect(await overflowing(leader)).toEqual([]);
    const adminPage = await signedIn('admin', '#/admin/review-meetings', phone);
    await adminPage.locator('form[data-form="review-meeting"]').waitFor();
    expect(await overflowing(adminPage)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
