/**
 * The campaign pages in a real headless Chromium against the real API: the city admin defines a
 * campaign (a target before the cut-off is refused beside its field), its burn-down is shown as
 * tables whose every count opens the ledger behind it; a county leader sees only the county's part.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeCampaignSnapshots } from '../../db/campaign-snapshots';
import { users } from '../../db/schema';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { insertHistory } from '../support/campaign-history';

const NAME = '全市隐患清零百日行动';

let h: ApiHarness;
let w: BrowserWorld;
const errors: string[] = [];
const today = shanghaiDate(Date.now());
const cutoff = addDays(today, -2);
let campaignId: string;

async function personPage(username: string): Promise<Page> {
  const page = await w.signedIn(username, '/#/campaigns');
  await page.getByRole('heading', { level: 1, name: '专项行动' }).waitFor();
  return page;
}

beforeAll(async () => {
  w = await startBrowserWorld('campaigns-e2e', { browser: { errors } });
  h = w.h;
  const at = (day: string, hour: number) => shanghaiInstant(day, hour);
  // Stock in each county (B's overdue), one new hazard in A.
  await insertHistory(h.database.db, { enterpriseId: h.world.enterpriseA, regionPath: h.world.a.grid.path, foundAt: at(addDays(cutoff, -5), 9), registeredAt: at(addDays(cutoff, -5), 9), deadline: addDays(today, 9), actions: [] });
  await insertHistory(h.database.db, { enterpriseId: h.world.enterpriseB, regionPath: h.world.b.grid.path, foundAt: at(addDays(cutoff, -5), 9), registeredAt: at(addDays(cutoff, -5), 9), deadline: addDays(cutoff, -1), actions: [] });
  await insertHistory(h.database.db, { enterpriseId: h.world.enterpriseA, regionPath: h.world.a.grid.path, foundAt: at(addDays(cutoff, 1), 9), registeredAt: at(addDays(cutoff, 1), 9), deadline: addDays(today, 9), actions: [] });
}, 120_000);

afterAll(() => w?.stop());

describe('the campaign pages', () => {
  it('let the city admin define a campaign, refusing a target before the cut-off beside its field', async () => {
    const page = await personPage('admin');
    await page.getByLabel('名称').fill(NAME);
    await page.getByLabel('范围').selectOption(h.world.a.city.id);
    await page.getByLabel('存量截止日').fill(cutoff);
    await page.getByLabel('清零目标日').fill(addDays(cutoff, -1));
    await page.getByRole('button', { name: '创建' }).click();
    const problem = page.locator('.campaign-form .problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('清零目标日');
    expect(await page.getByLabel('清零目标日').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('清零目标日').fill(addDays(today, 60));
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    campaignId = (await page.locator('.campaign-page').getAttribute('data-campaign-id'))!;
    expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('show the burn-down in tables, every count opening the ledger behind it', async () => {
    await takeCampaignSnapshots(h.database.app, Date.now());
    const page = await personPage('leader-city');
    await page.goto(`/#/campaigns/${campaignId}`);
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    const stockOpen = page.locator('.campaign-totals tr[data-cohort="stock"] a[data-measure="open"]');
    expect(await stockOpen.textContent()).toBe('2');
    const href = new URLSearchParams((await stockOpen.getAttribute('href'))!.split('?')[1]);
    expect(Object.fromEntries(href)).toEqual({ campaign: campaignId, cohort: 'stock', region: h.world.a.city.id, open: 'true' });
    const overdue = page.locator('.campaign-totals tr[data-cohort="stock"] a[data-measure="overdue"]');
    expect(await overdue.textContent()).toBe('1');
    expect(await overdue.getAttribute('href')).toContain('overdue=true');
    expect(await page.locator('.campaign-breakdown tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(
      [h.world.a.county.id, h.world.b.county.id].sort(),
    );
    expect(await page.locator('.campaign-series tbody tr').count()).toBe(3);
    expect(await page.locator('.campaign-cleared').getAttribute('data-cleared')).toBe('false');
    expect(await page.locator('.freshness').textContent()).toMatch(/数据生成于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    await page.getByLabel('分组').selectOption('leader');
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/by=leader/);
    await page.locator('.campaign-breakdown tbody tr[data-key="none"]').waitFor();
    expect(await page.locator('.campaign-breakdown tbody tr[data-key="none"] th').textContent()).toBe('未指定包联领导');
  });

  it('name who defined each campaign by display name, not login name', async () => {
    await h.database.db.update(users).set({ displayName: '赵管理' }).where(eq(users.username, 'admin'));
    const page = await personPage('leader-city');
    const row = page.locator(`tr[data-campaign-id="${campaignId}"]`);
    await row.waitFor();
    expect(await row.locator('td').last().textContent()).toBe('赵管理');
  });

  it('show a county leader only the county’s part of the city’s campaign', async () => {
    const page = await personPage('leader-a');
    await page.locator(`a[href="#/campaigns/${campaignId}"]`).click();
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    expect(await page.locator('.campaign-scope').textContent()).toContain(h.world.a.county.name);
    expect(await page.locator('.campaign-totals tr[data-cohort="stock"] a[data-measure="open"]').textContent()).toBe('1');
    expect(await page.locator('.campaign-breakdown tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual([h.world.a.township.id]);
    expect(await page.locator('main').textContent()).not.toContain(h.world.b.county.name);
    expect(errors).toEqual([]);
  });
});
