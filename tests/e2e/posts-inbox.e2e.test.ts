/**
 * Posts, decisions and the inbox in a real headless Chromium against the real API: a grid worker
 * is refused the penalty the policy names for the section chief (the page says so in Chinese,
 * naming the post), the chief takes it; the notice's reminder card reaches the enterprise's
 * inbox (the bell counts it, the item links to the notice) and nobody else's; the notice's, the
 * hazard's and the suspension's pages name inside the bureau the people each step reached; the
 * admin's posts page lists who holds which post.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeDecisions } from '../../db/schema';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from '../../domain/policy';
import { POST_RANKS, POSTS } from '../../domain/posts';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { overdueHazard, overdueSuspension } from '../support/overdue-cases';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let w: BrowserWorld;
let noticeId: string;
let penaltyId: string;
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('posts-inbox-pages', { browser: { errors } });
  h = w.h;
  noticeId = randomUUID();
  const rule = DEFAULT_POLICIES.general.deadline!;
  const policy = DEFAULT_NOTICE_POLICIES.general;
  await h.deps.notices.start({
    notice: { noticeId, enterpriseId: h.world.enterpriseA, grade: 'general', policy, dayUnit: 'working', hazardIds: [], deadline: addDays(shanghaiDate(Date.now()), -90), rule },
    issue: { agency: '甲县应急', enterpriseId: h.world.enterpriseA, addressee: null, addresseeRegionId: null, regionPath: h.world.a.grid.path, title: '危化品仓库逾期整改督办', requirements: '按期整改', legalBasis: rule.legalBasis, grade: 'general', policy, policyId: null, issuedBy: 'supervisor-a', hazardIds: [] },
  });
  for (let i = 0; i < 600 && !penaltyId; i++) {
    const rows = await h.database.db.select().from(noticeDecisions).where(eq(noticeDecisions.noticeId, noticeId));
    penaltyId = rows.find((d) => d.kind === 'penalty')?.id ?? '';
    if (!penaltyId) await new Promise((r) => setTimeout(r, 100));
  }
  expect(penaltyId).toBeTruthy();
  // The harness's own reader: a Chinese browser in Shanghai, as the bureau's people are.
}, 120_000);

afterAll(() => w?.stop());

function signedIn(username: string, at: string, viewport?: { width: number; height: number }): Promise<Page> {
  return w.signedIn(username, at, viewport ? { viewport } : {});
}

async function takePenalty(page: Page) {
  const form = page.locator(`form[data-form="decision"][data-decision-id="${penaltyId}"]`);
  await form.waitFor();
  await form.getByLabel('作出决定').check();
  await form.getByLabel('决定文号').fill('甲县应急罚〔2026〕5号');
  await form.getByLabel('理由').fill('逾期未整改，依法处罚');
  await form.getByRole('button', { name: '提交决定' }).click();
}

describe('decisions by post and the inbox, in the browser', () => {
  it('reads as the bureau’s people do unless a test says otherwise: a Chinese browser on Shanghai’s clock', async () => {
    const page = await signedIn('grid-a', '/#/inbox');
    await page.getByRole('heading', { level: 1, name: '我的消息' }).waitFor();
    expect(await page.evaluate('navigator.language')).toBe('zh-CN');
    expect(await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone')).toBe('Asia/Shanghai');
    // The browser's own controls speak Chinese too: a date input asks for 年/月/日, in that order
    // (its fields, as Chromium gives them to a screen reader).
    const blank = await page.context().newPage();
    await blank.setContent('<label>日期 <input type="date"></label>');
    const cdp = await page.context().newCDPSession(blank);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value?: string }; name?: { value?: string } }> };
    const fields = nodes.filter((n) => n.role?.value === 'spinbutton').map((n) => n.name?.value?.split(' ')[0]);
    expect(fields).toEqual(['年', '月', '日']);
    await blank.close();
  });

  it('refuses the grid worker the section chief’s decision, naming the post; the chief takes it', async () => {
    const gridPage = await signedIn('grid-a', `/#/notices/${noticeId}`);
    // The decision names whom it awaits by the post the refusal names, not by the policy's role key.
    const decider = gridPage.locator('li.decision[data-decision="penalty"] .fact', { hasText: '决定人' }).first();
    await decider.waitFor();
    // …and the people holding it over the notice's region, as resolved when the decision opened.
    expect((await decider.locator('dd').textContent())?.trim()).toBe('科长：supervisor-a');
    await takePenalty(gridPage);
    await gridPage.getByText('此项决定须由科长作出').waitFor();
    expect(await gridPage.locator(`li.decision[data-decision="penalty"]`).getAttribute('data-status')).toBe('pending');

    const chiefPage = await signedIn('supervisor-a', `/#/notices/${noticeId}`);
    await takePenalty(chiefPage);
    await chiefPage.getByText('已记录处置决定。').waitFor();
    await chiefPage.locator('li.decision[data-decision="penalty"][data-status="taken"]').waitFor();
    expect(errors).toEqual([]);
  });

  it('names inside the bureau the people each instrument and decision reached, by display name; the enterprise sees none of them', async () => {
    const admin = await h.as('admin');
    expect((await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: '钱科长' } })).status).toBe(200);
    try {
      const page = await signedIn('leader-a', `/#/notices/${noticeId}`);
      const list = page.locator('tr[data-instrument="list"] .col-recipient');
      await list.waitFor();
      expect(await list.textContent()).toContain('钱科长');
      // Enterprise A has no 包联 leader: the supervision letter reached nobody, and the page says so.
      expect(await page.locator('tr[data-instrument="supervision_letter"] .col-recipient').textContent()).toContain('未找到接收人');
      const decider = page.locator('li.decision[data-decision="penalty"] .fact', { hasText: '决定人' }).first();
      expect((await decider.locator('dd').textContent())?.trim()).toBe('科长：钱科长');
      // The timeline's steps name them too, beside the role.
      expect(await page.locator('.timeline').textContent()).toContain('钱科长');
      const ent = await signedIn('enterprise-a', `/#/notices/${noticeId}`);
      await ent.locator('tr[data-instrument]').first().waitFor();
      expect(await ent.locator('.reached').count()).toBe(0);
    } finally {
      await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: 'supervisor-a' } });
    }
    expect(errors).toEqual([]);
  });

  it('shows the reminder card in the enterprise’s inbox, counted on the bell, linking to the notice; not in anyone else’s', async () => {
    const page = await signedIn('enterprise-a', '/#/inbox', { width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: '我的消息' }).waitFor();
    const bell = page.locator('a.inbox-bell');
    await expect.poll(async () => Number((await bell.locator('.inbox-count').textContent()) ?? 0)).toBeGreaterThan(0);
    expect(await bell.getAttribute('aria-label')).toMatch(/条未读/);
    const row = page.locator('tr.inbox-unread', { hasText: '提示卡' });
    await row.waitFor();
    expect(await row.textContent()).toContain('危化品仓库逾期整改督办');
    // The enterprise does not see the penalty being weighed before it was taken, nor internal steps.
    expect(await page.locator('tr', { hasText: '清单' }).count()).toBe(0);
    const before = Number(await bell.locator('.inbox-count').textContent());
    await row.getByRole('link', { name: '督办通知' }).click();
    await page.getByRole('heading', { level: 1, name: /督办通知/ }).waitFor();
    expect(page.url()).toContain(`#/notices/${noticeId}`);
    await expect.poll(async () => Number((await bell.locator('.inbox-count').textContent()) || 0)).toBe(before - 1);
    // The enterprise sees the penalty served on it, and no decision pending.
    expect(await page.locator('li.decision[data-status="pending"]').count()).toBe(0);

    const other = await signedIn('enterprise-b', '/#/inbox');
    await other.getByRole('heading', { level: 1, name: '我的消息' }).waitFor();
    await other.getByText('暂无消息。').waitFor();
    expect(errors).toEqual([]);
  });

  it('lists who holds which post on the admin’s posts page, naming who assigned it by display name', async () => {
    // An admin whose display name is not their login name: the page must show the name.
    const admin = await h.as('admin');
    const made = await admin('POST', '/api/users', { body: { username: 'posts-page-admin', displayName: '赵管理', role: 'admin', regionId: h.world.a.county.id, password: PASSWORD } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const page = await signedIn('posts-page-admin', '/#/posts');
    await page.getByRole('heading', { level: 1, name: '人员职务' }).waitFor();
    const chief = page.locator('tr', { hasText: 'supervisor-a' });
    expect(await chief.textContent()).toContain('科长');
    // Give the grid worker the inspector's post through the form.
    await page.getByLabel('人员', { exact: true }).selectOption({ label: 'grid-a (执法人员)' });
    // The posts offered are the domain's for a supervisor (domain/posts.ts), in rank order, and nothing else.
    const offered = await page.getByLabel('职务', { exact: true }).first().locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? '').filter(Boolean));
    expect(offered).toEqual(POSTS.filter((p) => POST_RANKS[p].role === 'supervisor'));
    await page.getByLabel('职务', { exact: true }).first().selectOption('inspector');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已为 grid-a 设定职务：执法检查员。').waitFor();
    const assigned = page.locator('tr', { hasText: 'grid-a' });
    await assigned.getByText(/^赵管理 · /).waitFor();
    expect(await assigned.textContent()).not.toContain('posts-page-admin');
    expect(errors).toEqual([]);
  });

  it('names inside the bureau the people a hazard’s escalation and a suspension’s overdue review reached; the enterprise sees none of them', async () => {
    const [hazardId, suspensionId] = await Promise.all([overdueHazard(h, '储罐区未设置围堰'), overdueSuspension(h, '甲县应急停〔2026〕21号')]);
    const admin = await h.as('admin');
    expect((await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: '钱科长' } })).status).toBe(200);
    try {
      const page = await signedIn('leader-a', `/#/hazards/${hazardId}`);
      // The second escalation went to the supervisor's chief: the section chief who holds the post.
      const escalated = page.locator('li[data-event="escalated"]').nth(1);
      await escalated.waitFor();
      expect((await escalated.locator('.fact', { hasText: '接收人' }).locator('dd').textContent())?.trim()).toBe('监管负责人：钱科长');
      // The notifications say it too, and the first escalation's (the supervisor in charge, through the hazard).
      expect(await page.locator('.notices-table tbody tr', { hasText: '监管负责人' }).first().textContent()).toContain('监管负责人：钱科长');
      expect(await page.locator('.notices-table tbody tr', { hasText: '监管人员' }).first().textContent()).toContain('监管人员：钱科长');

      await page.goto(`/#/suspensions/${suspensionId}`);
      const overdue = page.locator('li[data-event="review_overdue"]');
      await overdue.waitFor();
      expect((await overdue.locator('.fact', { hasText: '上报对象' }).locator('dd').textContent())?.trim()).toBe('监管负责人：钱科长');
      expect(await page.locator('.card.notices li', { hasText: '监管负责人' }).first().textContent()).toContain('监管负责人：钱科长');

      const ent = await signedIn('enterprise-a', `/#/hazards/${hazardId}`);
      await ent.locator('li[data-event="escalated"]').first().waitFor();
      expect(await ent.locator('.reached').count()).toBe(0);
      await ent.goto(`/#/suspensions/${suspensionId}`);
      await ent.locator('li[data-event="review_overdue"]').waitFor();
      expect(await ent.locator('.reached').count()).toBe(0);
    } finally {
      await admin('PATCH', `/api/users/${h.world.users['supervisor-a']}`, { body: { displayName: 'supervisor-a' } });
    }
    expect(errors).toEqual([]);
  });
});
