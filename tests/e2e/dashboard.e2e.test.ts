/**
 * The leaders' dashboard in a real headless Chromium against the real API: a small city (two
 * counties, county A with two townships, enterprises with their 包联 leaders, hazards open,
 * overdue, under review and closed) written straight into the read model and folded. The city
 * leader sees the seeded figures in Chinese with the freshness label and the charts drawn by the
 * locally served ECharts, drills county → township → grid through the region table, goes back up
 * by the breadcrumb, opens the overdue list behind a figure (its filters shown as chips) and a
 * hazard from it. A county leader's dashboard never shows the other county. A supervisor lands
 * on the list with their own queue above it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegion } from '../../db/directory';
import { foldFigures } from '../../db/figures/fold';
import { takeCampaignSnapshots } from '../../db/campaign-snapshots';
import { appendHazardEvent } from '../../db/hazard-events';
import { campaigns, enterprises, hazards, users } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy-defaults';
import { addDays, dueInstant, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';

const today = () => shanghaiDate(Date.now());

let h: ApiHarness;
let w: BrowserWorld;
const consoleErrors: string[] = [];

/** What was seeded, by name. */
const seed = {
  townA2: { id: '', name: '甲县二镇' },
  gridA2: { id: '', name: '二镇一网格' },
  enterpriseC: '', // in grid A2
  leaders: { zhang: '', wang: '', li: '' },
  titles: {
    majorOverdue: '液氨储罐区未设置泄漏报警',
    generalOverdue: '配电箱无防护门',
    onTime: '消防器材过期',
    c1Overdue: '粉尘除尘器未接地',
    c2UnderReview: '叉车无年检标志',
    bOverdue: '乙厂消防通道堵塞',
    bOpen: '乙厂安全出口指示灯损坏',
    closed: '应急预案未演练',
  },
};

interface SeedHazard {
  enterpriseId: string;
  regionPath: string;
  title: string;
  grade: 'general' | 'major';
  deadline: string;
  status?: 'rectifying' | 'under_review';
  listingLevel?: 'county';
  closedToday?: boolean;
}

/** A hazard as the recording activity writes it: the row and its trail, in one transaction. */
async function insertHazard(s: SeedHazard): Promise<string> {
  const id = randomUUID();
  const db = h.database.db;
  const createdAt = Date.now() - 20 * 86_400_000;
  const base = {
    status: s.status ?? 'rectifying',
    deadline: s.deadline,
    dueAt: new Date(dueInstant(s.deadline)),
    escalationLevel: 0,
    submittedAt: s.status === 'under_review' ? new Date(Date.now() - 3_600_000) : null,
    updatedAt: new Date(createdAt),
    projectionSeq: 1,
  };
  await db.transaction(async (tx) => {
    await tx.insert(hazards).values({
      id,
      workflowId: `hazard-${id}`,
      enterpriseId: s.enterpriseId,
      regionPath: s.regionPath,
      title: s.title,
      category: '危险化学品',
      source: 'inspection',
      grade: s.grade,
      policy: DEFAULT_POLICIES[s.grade],
      round: 1,
      listingLevel: s.listingLevel ?? null,
      createdBy: 'supervisor-a',
      createdAt: new Date(createdAt),
      ...base,
    });
    await appendHazardEvent(tx, { hazardId: id, stepKey: 'registered-1', type: 'registered', actor: 'supervisor-a', occurredAt: createdAt, data: {} });
  });
  if (s.closedToday) {
    const at = Date.now() - 60_000;
    await db.transaction(async (tx) => {
      // Submitted before it was accepted, in time: the acceptance reads the submission.
      await tx.update(hazards).set({ status: 'under_review', submittedAt: new Date(at - 3_600_000), updatedAt: new Date(at - 3_600_000) }).where(eq(hazards.id, id));
      await appendHazardEvent(tx, { hazardId: id, stepKey: 'review_accepted-2', type: 'review_accepted', actor: 'supervisor-a', occurredAt: at, data: {} });
      await tx
        .update(hazards)
        .set({ status: 'closed', closedAt: new Date(at), updatedAt: new Date(at), projectionSeq: 2 })
        .where(eq(hazards.id, id));
    });
  }
  return id;
}

async function seedCity() {
  const db = h.database.db;
  const w = h.world;
  const town = await createRegion(db, 'fixture', { id: `town-a2-${randomBytes(3).toString('hex')}`, name: seed.townA2.name, level: 'township', parentId: w.a.county.id });
  const grid = await createRegion(db, 'fixture', { id: `grid-a2-${randomBytes(3).toString('hex')}`, name: seed.gridA2.name, level: 'grid', parentId: town.id });
  seed.townA2.id = town.id;
  seed.gridA2.id = grid.id;
  const [zhang, wang, li] = await db
    .insert(users)
    .values([
      { username: 'leader-zhang', displayName: '张局长', role: 'leader' as const, regionId: w.a.county.id },
      { username: 'leader-wang', displayName: '王书记', role: 'leader' as const, regionId: w.a.county.id },
      { username: 'leader-li', displayName: '李主任', role: 'leader' as const, regionId: w.b.county.id },
    ])
    .returning();
  seed.leaders = { zhang: zhang!.id, wang: wang!.id, li: li!.id };
  const [c] = await db
    .insert(enterprises)
    .values({ name: '丙粉末冶金厂', creditCode: `91${randomBytes(8).toString('hex').toUpperCase()}`, regionId: grid.id, regionPath: grid.path, industry: '冶金', responsibleLeaderId: wang!.id })
    .returning();
  seed.enterpriseC = c!.id;
  await db.update(enterprises).set({ responsibleLeaderId: zhang!.id }).where(eq(enterprises.id, w.enterpriseA));
  await db.update(enterprises).set({ responsibleLeaderId: li!.id }).where(eq(enterprises.id, w.enterpriseB));

  const A = { enterpriseId: w.enterpriseA, regionPath: w.a.grid.path };
  const C = { enterpriseId: c!.id, regionPath: grid.path };
  const B = { enterpriseId: w.enterpriseB, regionPath: w.b.grid.path };
  const tt = seed.titles;
  await insertHazard({ ...A, title: tt.majorOverdue, grade: 'major', listingLevel: 'county', deadline: addDays(today(), -20) });
  await insertHazard({ ...A, title: tt.generalOverdue, grade: 'general', deadline: addDays(today(), -6) });
  await insertHazard({ ...A, title: tt.onTime, grade: 'general', deadline: addDays(today(), 10) });
  await insertHazard({ ...A, title: tt.closed, grade: 'general', deadline: addDays(today(), 10), closedToday: true });
  await insertHazard({ ...C, title: tt.c1Overdue, grade: 'general', deadline: addDays(today(), -3) });
  await insertHazard({ ...C, title: tt.c2UnderReview, grade: 'general', deadline: addDays(today(), 5), status: 'under_review' });
  await insertHazard({ ...B, title: tt.bOverdue, grade: 'general', deadline: addDays(today(), -10) });
  await insertHazard({ ...B, title: tt.bOpen, grade: 'general', deadline: addDays(today(), 3) });
  await foldFigures(db);
  // The city's campaign, cut off today: its burn-down has one day, today's.
  await db.insert(campaigns).values({ name: '隐患清零专项行动', regionId: w.a.city.id, regionPath: w.a.city.path, cutoff: today(), target: addDays(today(), 60), createdBy: 'admin' });
  await takeCampaignSnapshots(db, Date.now());
}

function signedIn(username: string, hash = '/'): Promise<Page> {
  return w.signedIn(username, hash);
}

const heading = (p: Page, name: string) => p.getByRole('heading', { level: 1, name });
const kpi = (p: Page, key: string) => p.locator(`[data-kpi="${key}"] .kpi-value`);
const regionRow = (p: Page, name: string) => p.locator('table[data-by="region"] tbody tr', { has: p.locator('th', { hasText: name }) });
/** Open a region row's own dashboard (one level down). */
const drill = (p: Page, name: string) => regionRow(p, name).locator('.drill-link').click();

/** The freshness label as the page must show it: the fold time, HH:mm in Shanghai. */
async function foldedAt(): Promise<string> {
  const res = await (await h.as('leader-city'))('GET', '/api/figures/overview');
  const hm = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `数据更新于 ${hm.format(new Date(res.body.computedAt))}`;
}

beforeAll(async () => {
  w = await startBrowserWorld('dashboard', { browser: { errors: consoleErrors, console: true, context: { viewport: { width: 1280, height: 900 } } } });
  h = w.h;
  await seedCity();
}, 120_000);

afterAll(() => w?.stop());

describe('the leaders’ dashboard', () => {
  it('serves ECharts from the package, same origin', async () => {
    const res = await fetch(`${h.http.baseUrl}/vendor/echarts.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('echarts');
  });

  it('is the city leader’s landing page: the seeded figures in Chinese, fresh, with charts and their tables', async () => {
    const w = h.world;
    const page = await signedIn('leader-city');
    await heading(page, `${w.a.city.name}督办看板`).waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents()).toEqual(['督办看板', '隐患台账', '执法检查', '停产整顿', '督办通知', '我的催办', '待我处理的升级', '专项行动', '督办会材料']);
    expect(await page.locator('.freshness').textContent()).toBe(await foldedAt());

    expect(await kpi(page, 'open').textContent()).toBe('7');
    expect(await kpi(page, 'overdue').textContent()).toBe('4');
    expect(await page.locator('[data-kpi="overdue"] .kpi-note').first().textContent()).toBe('占在办 57.1%，其中重大 1');
    expect(await kpi(page, 'majorListed').textContent()).toBe('1');
    expect(await page.locator('[data-kpi="majorListed"] [data-level="county"]').textContent()).toBe('县级挂牌 1');
    expect(await kpi(page, 'closed').textContent()).toBe('1');
    expect(await kpi(page, 'onTimeRate').textContent()).toBe('100%');
    expect(await page.locator('[data-kpi="open"] .kpi-label').textContent()).toBe('在办隐患');
    expect(await page.getByRole('link', { name: '月', exact: true }).getAttribute('aria-current')).toBe('true');

    // The charts are drawn (ECharts loaded under the page's content policy), each labelled, each
    // with a table of the same numbers.
    await page.locator('.ageing-chart .chart[data-drawn="true"]').waitFor();
    await page.locator('.trend-chart .chart[data-drawn="true"]').waitFor();
    expect(await page.locator('.ageing-chart .chart').getAttribute('aria-label')).toMatch(/^超期隐患按超期时长分布的柱状图，共 4 项/);
    const ageingTotals = await page.locator('.ageing-chart tbody tr td:nth-child(4)').allTextContents();
    expect(ageingTotals.map(Number).reduce((a, b) => a + b, 0)).toBe(4);
    const toggle = page.locator('.ageing-chart .chart-toggle');
    const table = page.locator('.ageing-chart .chart-table');
    expect(await table.getAttribute('class')).toContain('visually-hidden');
    await page.locator('.ageing-chart').getByRole('button', { name: '显示数据表' }).click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await toggle.textContent()).toBe('隐藏数据表');
    expect(await table.getAttribute('class')).not.toContain('visually-hidden');

    // One level down: the two counties, most overdue first.
    const rows = page.locator('table[data-by="region"] tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual([w.a.county.name, w.b.county.name]);
    expect(await regionRow(page, w.a.county.name).locator('.col-open').textContent()).toBe('5');
    expect(await regionRow(page, w.a.county.name).locator('.col-overdue').textContent()).toBe('3');
    expect(await regionRow(page, w.b.county.name).locator('.col-overdue').textContent()).toBe('1');
    // By 包联 leader, by name.
    const leaders = page.locator('table[data-by="leader"] tbody tr');
    expect(await leaders.locator('th').allTextContents()).toEqual(['张局长', '李主任', '王书记']);
    // The notice counts open the notice list behind them, narrowed the same way.
    const openNotices = page.locator('.notices-card [data-fact="open"] a');
    expect(await openNotices.getAttribute('href')).toBe(`#/notices?region=${w.a.city.id}&open=true`);
    // The campaign's burn-down, its chart drawn, the stock still open named in words.
    await page.locator('.burndown-chart .chart[data-drawn="true"]').waitFor();
    expect(await page.locator('.campaign-card h2').textContent()).toBe('隐患清零专项行动');
    expect(await page.locator('.campaign-facts').textContent()).toMatch(/^存量(尚余 \d+ 项|已于 \d{4}-\d{2}-\d{2} 清零)/);
    await page.screenshot({ path: '/tmp/duban-dashboard-city.png', fullPage: true });
    await openNotices.click();
    await heading(page, '督办通知').waitFor();
    expect(await page.locator('.narrowed').textContent()).toContain('已按看板中的数字筛选');
    expect(await page.locator('.clear-filters').getAttribute('href')).toBe('#/notices');
    await page.context().close();
  });

  it('drills county → township → grid, goes back up by the breadcrumb, and opens the list and a hazard behind a figure', async () => {
    const w = h.world;
    const page = await signedIn('leader-city', '/#/dashboard');
    await heading(page, `${w.a.city.name}督办看板`).waitFor();

    await drill(page, w.a.county.name);
    await heading(page, `${w.a.county.name}督办看板`).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/dashboard?region=${w.a.county.id}`);
    expect(await kpi(page, 'open').textContent()).toBe('5');
    expect(await kpi(page, 'overdue').textContent()).toBe('3');
    const crumbs = page.getByRole('navigation', { name: '辖区层级' });
    expect(await crumbs.locator('li').allTextContents()).toEqual([w.a.city.name, w.a.county.name]);
    expect(await page.locator('table[data-by="region"] tbody th').allTextContents()).toEqual([w.a.township.name, seed.townA2.name]);

    // The period travels with the drill.
    await page.getByRole('link', { name: '季', exact: true }).click();
    await page.locator('[data-switch="period"] [aria-current="true"]', { hasText: '季' }).waitFor();
    await drill(page, seed.townA2.name);
    await heading(page, `${seed.townA2.name}督办看板`).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/dashboard?region=${seed.townA2.id}&period=quarter`);
    expect(await kpi(page, 'open').textContent()).toBe('2');
    await drill(page, seed.gridA2.name);
    await heading(page, `${seed.gridA2.name}督办看板`).waitFor();
    expect(await kpi(page, 'open').textContent()).toBe('2');
    expect(await kpi(page, 'overdue').textContent()).toBe('1');
    expect(await page.locator('table[data-by="region"]').count()).toBe(0);
    expect(await crumbs.locator('li').allTextContents()).toEqual([w.a.city.name, w.a.county.name, seed.townA2.name, seed.gridA2.name]);

    // Back up to the county by the breadcrumb, then into township A.
    await crumbs.getByRole('link', { name: w.a.county.name }).click();
    await heading(page, `${w.a.county.name}督办看板`).waitFor();
    await drill(page, w.a.township.name);
    await heading(page, `${w.a.township.name}督办看板`).waitFor();
    expect(await kpi(page, 'overdue').textContent()).toBe('2');

    // The overdue figure opens its list: the region as a chip, exactly the two overdue hazards.
    await kpi(page, 'overdue').getByRole('link').click();
    await heading(page, '隐患台账').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/hazards?region=${w.a.township.id}&overdue=true`);
    await page.getByText('共 2 条').waitFor();
    expect(await page.locator('.chip .chip-text').allTextContents()).toEqual([w.a.township.name]);
    expect(await page.getByLabel('逾期').inputValue()).toBe('true');
    expect((await page.locator('.col-title .hazard-link').allTextContents()).sort()).toEqual([seed.titles.majorOverdue, seed.titles.generalOverdue].sort());

    // Removing the chip widens the list to every overdue hazard within reach.
    await page.getByRole('link', { name: `移除筛选：${w.a.township.name}` }).click();
    await page.getByText('共 4 条').waitFor();
    expect(await page.locator('.chip').count()).toBe(0);
    await page.goBack();
    await page.getByText('共 2 条').waitFor();

    await page.getByRole('link', { name: seed.titles.majorOverdue }).click();
    await heading(page, seed.titles.majorOverdue).waitFor();
    await page.context().close();
  });

  it('opens the lists behind an age bar’s table and a leader’s row, naming the filters in Chinese', async () => {
    const page = await signedIn('leader-city', '/#/dashboard');
    await page.locator('.ageing-chart .chart[data-drawn="true"]').waitFor();
    // The >30 bucket is empty; the 1–3 bucket holds the grid A2 hazard 3 days overdue (at most 3 working days).
    const rows = page.locator('.ageing-chart tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['1–3 个工作日', '4–7 个工作日', '8–15 个工作日', '16–30 个工作日', '30 个工作日以上']);
    const bucket = (await page.locator('.ageing-chart tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-bucket'), tr.querySelector('td:nth-child(4)')?.textContent]))).find(
      ([, n]) => n !== '0',
    )!;
    // The table is there for screen readers; shown, it is there for everyone.
    await page.locator('.ageing-chart').getByRole('button', { name: '显示数据表' }).click();
    await page.locator(`.ageing-chart tr[data-bucket="${bucket[0]}"] td:nth-child(4) a`).click();
    await heading(page, '隐患台账').waitFor();
    const [min, max] = bucket[0]!.split('-');
    expect(await page.locator('.chip .chip-text').allTextContents()).toEqual([h.world.a.city.name, `超期 ${min}–${max} 个工作日`]);
    await page.getByText(`共 ${bucket[1]} 条`).waitFor();

    await page.goto('/#/dashboard');
    const zhang = page.locator('table[data-by="leader"] tbody tr', { hasText: '张局长' });
    expect(await zhang.locator('.col-open').textContent()).toBe('3');
    await zhang.locator('.col-overdue a').click();
    await heading(page, '隐患台账').waitFor();
    expect(await page.locator('.chip .chip-text').allTextContents()).toEqual([h.world.a.city.name, '包联领导：张局长']);
    await page.getByText('共 2 条').waitFor();
    await page.screenshot({ path: '/tmp/duban-dashboard-list.png', fullPage: true });

    // English is there too.
    await page.goto('/#/dashboard');
    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, `${h.world.a.city.name}: dashboard`).waitFor();
    expect(await page.locator('[data-kpi="open"] .kpi-label').textContent()).toBe('Open hazards');
    await page.getByRole('button', { name: '中文' }).click();
    await page.context().close();
  });

  it('shows a county leader their county only, never the other one', async () => {
    const w = h.world;
    const page = await signedIn('leader-a');
    await heading(page, `${w.a.county.name}督办看板`).waitFor();
    expect(await kpi(page, 'open').textContent()).toBe('5');
    expect(await page.getByRole('navigation', { name: '辖区层级' }).locator('li').allTextContents()).toEqual([w.a.county.name]);
    expect(await page.locator('table[data-by="region"] tbody th').allTextContents()).toEqual([w.a.township.name, seed.townA2.name]);
    expect(await page.locator('table[data-by="leader"] tbody th').allTextContents()).toEqual(['张局长', '王书记']);
    const body = (await page.locator('main').textContent()) ?? '';
    for (const other of [w.b.county.name, w.b.township.name, '李主任', '乙机械制造厂', w.a.city.name]) expect(body).not.toContain(other);

    // The other county asked for by its id reads as missing, in the figures and in the list.
    await page.goto(`/#/dashboard?region=${w.b.county.id}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('HTTP 404');
    await page.goto(`/#/hazards?region=${w.b.county.id}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByText(seed.titles.bOverdue).count()).toBe(0);
    await page.context().close();
  });

  it('is not offered to an enterprise, whose figures are its own list', async () => {
    const page = await signedIn('enterprise-a', '/#/dashboard');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('HTTP 403');
    expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents()).not.toContain('督办看板');
    await page.context().close();
  });

  it('gives a supervisor their own queue above the list, each number opening its list', async () => {
    const page = await signedIn('supervisor-a');
    await heading(page, '隐患台账').waitFor();
    const queue = page.getByRole('region', { name: '我的待办' });
    await queue.waitFor();
    await page.screenshot({ path: '/tmp/duban-supervisor-queue.png' });
    expect(await queue.locator('[data-queue="review"] .kpi-value').textContent()).toBe('1');
    expect(await queue.locator('[data-queue="overdue"] .kpi-value').textContent()).toBe('3');
    expect(await queue.locator('[data-queue="extensions"] .kpi-value').textContent()).toBe('0');
    await queue.locator('[data-queue="review"] a').click();
    await page.getByText('共 1 条').waitFor();
    expect(await page.locator('.col-title .hazard-link').allTextContents()).toEqual([seed.titles.c2UnderReview]);
    // A filtered list has no queue above it.
    expect(await page.getByRole('region', { name: '我的待办' }).count()).toBe(0);
    await page.context().close();
  });

  it('ran without a script error or a refused style or script', () => {
    expect(consoleErrors).toEqual([]);
  });
});
