/**
 * The admins' pages in a real headless Chromium against the real API: the city admin finds the
 * pages in the navigation, adds a township with an agency short name to the region tree,
 * registers an enterprise with a responsible leader (a mistyped credit code named beside its
 * field first), creates a user, edits a policy (a field error beside the step it is about, then
 * saved, then the diff in the history), and imports a calendar year (a wrong date named beside
 * that day, then published, its progress followed to the end); on a phone-sized screen too.
 */
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises, regions, userPosts, users } from '../../db/schema';
import { withCreditCheckChar } from '../../domain/credit-code';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';

const CODE = withCreditCheckChar('91320100MA1ADM1N7');
const mistyped = CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0');

let h: ApiHarness;
let w: BrowserWorld;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('admin-e2e', { browser: { errors, context: { viewport: { width: 1280, height: 900 } } } });
  h = w.h;
  page = await w.signedIn('admin', '/#/admin/regions');
  page.on('dialog', (d) => void d.accept());
  await page.getByRole('heading', { level: 1, name: '区域管理' }).waitFor();
}, 120_000);

afterAll(() => w?.stop());

/** Elements reaching past the right edge of the screen (none: the page fits its width). */
const overflowing = (p: Page) =>
  p.evaluate<string[]>(`[...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap'))
    .map((el) => el.tagName + '.' + el.className)
    .slice(0, 5)`);
const fitsWidth = async (p: Page) => (await overflowing(p)).length === 0 || (await overflowing(p)).join(' ');

describe('the admin pages', () => {
  it('are in an admin’s navigation', async () => {
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      '督办看板', '隐患台账', '停产整顿', '督办通知', '专项行动', '督办会材料',
      '区域管理', '企业管理', '用户管理', 'API 密钥', '督办策略', '工作日历', '存量导入', '督办会安排', '审计校验', '人员职务',
    ]);
  });

  it('show the region tree, expand and collapse it, and add a township with its agency short name', async () => {
    const county = page.locator(`li[data-region-id="${h.world.a.county.id}"]`);
    const toggle = county.locator('> .region-row .tree-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await county.locator(`li[data-region-id="${h.world.a.township.id}"]`).waitFor();
    await county.locator('> .region-row').getByRole('button', { name: '添加下级' }).click();
    const form = county.locator('form[data-form="region-create"]');
    await form.getByLabel('名称').fill('新城街道');
    await form.getByLabel('区域编码').fill('xincheng-e2e');
    await form.getByLabel('机构简称').fill('新城应急');
    await form.getByRole('button', { name: '添加' }).click();
    await page.getByText('已添加 新城街道。').waitFor();
    const [row] = await h.database.db.select().from(regions).where(eq(regions.id, 'xincheng-e2e'));
    expect(row).toMatchObject({ name: '新城街道', level: 'township', parentId: h.world.a.county.id, agencyShortName: '新城应急' });
  });

  it('register an enterprise with a responsible leader, naming a mistyped credit code first', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '企业管理' }).click();
    await page.getByRole('heading', { level: 1, name: '企业管理' }).waitFor();
    await page.getByRole('link', { name: '新增企业' }).click();
    await page.getByRole('heading', { level: 1, name: '新增企业' }).waitFor();
    await page.getByLabel('企业名称').fill('丙化工有限公司');
    await page.getByLabel('统一社会信用代码').fill(mistyped);
    await page.getByLabel('所在区域').selectOption(h.world.a.grid.id);
    await page.getByLabel('行业').fill('危险化学品');
    await page.getByLabel('包联领导').selectOption({ label: 'leader-a' });
    await page.getByLabel('企业负责人').fill('王五 13800000000');
    await page.getByRole('button', { name: '保存' }).click();
    const codeField = page.getByLabel('统一社会信用代码');
    await expect.poll(() => codeField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field.has-error .field-error').first().textContent()).toContain('校验码');
    expect(await fitsWidth(page)).toBe(true);

    await codeField.fill(CODE);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已新增企业 丙化工有限公司。').waitFor();
    const listed = page.locator('tr', { hasText: '丙化工有限公司' });
    expect(await listed.locator('td').nth(3).textContent()).toBe('leader-a');
    const [row] = await h.database.db.select().from(enterprises).where(eq(enterprises.creditCode, CODE));
    expect(row).toMatchObject({ name: '丙化工有限公司', regionId: h.world.a.grid.id, responsibleLeaderId: h.world.users['leader-a'], industry: '危险化学品' });

    // Searched by the beginning of its credit code.
    await page.getByRole('searchbox', { name: '企业名称或统一社会信用代码' }).fill(CODE.slice(0, 12));
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.screenshot({ path: '/tmp/duban-admin-enterprises.png', fullPage: true });
  });

  it('create a user with a post, whose login name shows on the users page, and who can sign in', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '用户管理' }).click();
    await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor();
    const form = page.locator('form[data-form="user"]');
    await form.getByLabel('姓名').fill('赵六');
    await form.getByLabel('登录名').fill('zhao-liu');
    await form.getByLabel('角色').selectOption('supervisor');
    await form.getByLabel('所在区域').selectOption(h.world.a.county.id);
    // The posts offered are the role's.
    await form.getByLabel('职务').selectOption({ label: '科长' });
    await form.getByLabel('初始密码').fill('zhao liu password');
    await form.getByRole('button', { name: '创建用户' }).click();
    await page.getByText('已创建用户 赵六（登录名 zhao-liu），职务：科长。').waitFor();
    await page.getByRole('searchbox', { name: '姓名或登录名' }).fill('zhao');
    await page.getByRole('button', { name: '查询' }).click();
    const row = page.locator('tr[data-username="zhao-liu"]');
    await row.waitFor();
    expect(await row.locator('code.username').textContent()).toBe('zhao-liu');
    await page.screenshot({ path: '/tmp/duban-admin-users.png', fullPage: true });
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'zhao-liu', password: 'zhao liu password' } });
    expect(login.status).toBe(200);
    const [user] = await h.database.db.select().from(users).where(and(eq(users.username, 'zhao-liu'), eq(users.role, 'supervisor')));
    expect(user!.regionId).toBe(h.world.a.county.id);
    const [held] = await h.database.db.select().from(userPosts).where(eq(userPosts.userId, user!.id));
    expect(held?.post).toBe('section_chief');
  });

  it('edit a policy: a field error beside its step, then saved, then the change in the history', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '督办策略' }).click();
    await page.getByRole('heading', { level: 1, name: '督办策略' }).waitFor();
    const general = page.locator('section.policy-scope', { has: page.getByRole('heading', { name: '一般', exact: true }) });
    await general.getByRole('link', { name: '编辑（保存为新版本）' }).click();
    await page.getByRole('heading', { level: 1, name: '编辑策略：一般' }).waitFor();
    const step2 = page.locator('[data-path="policy.escalation.1.afterDays"]');
    await step2.fill('1');
    await page.getByLabel('修改说明').fill('第二级提前');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await expect.poll(() => step2.getAttribute('aria-invalid')).toBe('true');
    const besides = page.locator('.policy-field.has-error[data-field="policy.escalation.1.afterDays"] .field-error');
    expect(await besides.textContent()).toBe('escalation steps must come later one after another');
    expect(await page.locator('.problem').first().textContent()).toContain('升级步骤 #2 · 逾期天数');
    expect(await fitsWidth(page)).toBe(true);

    await step2.fill('2');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText('已保存第 2 版。').waitFor();
    const change = page.locator('tr[data-path="escalation.1.afterDays"]');
    expect(await change.locator('th').textContent()).toBe('升级步骤 #2 · 逾期天数');
    expect(await change.locator('.diff-before').textContent()).toBe('3');
    expect(await change.locator('.diff-after').textContent()).toBe('2');
    await page.screenshot({ path: '/tmp/duban-admin-policy-diff.png', fullPage: true });

    await page.getByRole('link', { name: '返回督办策略' }).click();
    const history = page.locator('section.policy-scope', { has: page.getByRole('heading', { name: '一般', exact: true }) }).locator('tbody tr');
    expect(await history.first().locator('th').textContent()).toBe('第 2 版');
    expect(await history.first().textContent()).toContain('第二级提前');
  });

  it('import a calendar year: a wrong date named beside its day, then published and followed to the end', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日历' }).click();
    await page.getByRole('heading', { level: 1, name: '工作日历' }).waitFor();
    const year = new Date().getFullYear() + 3;
    const file = { year, source: `国务院办公厅关于${year}年部分节假日安排的通知`, holidays: [{ date: `${year}-01-01`, name: '元旦' }, { date: `${year + 1}-01-02`, name: '元旦' }], workdays: [] };
    await page.getByLabel('日历文件').setInputFiles({ name: `cn-${year}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    const second = page.locator('[data-path="holidays.1.date"]');
    await expect.poll(() => second.inputValue()).toBe(`${year + 1}-01-02`);
    await page.getByRole('button', { name: '发布' }).click();
    await expect.poll(() => second.getAttribute('aria-invalid')).toBe('true');
    const message = page.locator('[data-field="holidays.1.date"] .field-error');
    expect(await message.isVisible()).toBe(true);
    expect(await message.textContent()).toMatch(/\S/);
    expect(await page.locator('[data-path="holidays.0.date"]').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('.calendar-form .problem').textContent()).toContain('节假日 #2');

    await second.fill(`${year}-01-02`);
    await page.getByRole('button', { name: '发布' }).click();
    await page.locator('.publication-progress [data-done="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.publication-progress').textContent()).toContain(`${year} 年日历已发布。`);
    await page.reload();
    await page.locator(`tr[data-year="${year}"]`).waitFor();
    await page.screenshot({ path: '/tmp/duban-admin-calendars.png', fullPage: true });
  });

  it('fit a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const hash of ['#/admin/regions', '#/admin/enterprises', '#/admin/users', '#/admin/keys', '#/admin/policies', '#/admin/calendars']) {
      await page.goto(`/${hash}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await fitsWidth(page), hash).toBe(true);
    }
    expect(errors).toEqual([]);
  });
});
