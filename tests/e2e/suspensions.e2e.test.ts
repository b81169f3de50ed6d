/**
 * The suspension pages in a real headless Chromium against the real API: the list within the
 * reader's reach (Chinese by default, English on request) and one suspension with its order,
 * its clock and its timeline. Dates are Shanghai's (pages.e2e.test.ts proves they stay so on another clock).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { overdueNotice } from '../support/overdue-notice';
import { noticeDecisions, suspensions } from '../../db/schema';

let h: ApiHarness;
let w: BrowserWorld;
let ours: string;
let theirs: string;
const today = () => shanghaiDate(Date.now());
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('suspension-pages', { browser: { errors } });
  h = w.h;
  const order = (enterpriseId: string, documentNumber: string) => ({
    enterpriseId,
    documentNumber,
    reason: '重大事故隐患逾期未整改',
    scope: 'partial',
    scopeNote: '二号车间',
    startsOn: today(),
    plannedEnd: addDays(today(), 30),
  });
  const sup = await h.as('supervisor-a');
  const a = await sup('POST', '/api/suspensions', { body: order(h.world.enterpriseA, '甲县应急停〔2026〕3号') });
  const b = await (await h.as('supervisor-b'))('POST', '/api/suspensions', { body: order(h.world.enterpriseB, '乙县应急停〔2026〕8号') });
  expect([a.status, b.status]).toEqual([201, 201]);
  [ours, theirs] = [a.body.id, b.body.id];
  const asked = await (await h.as('enterprise-a'))('POST', `/api/suspensions/${ours}/resumption-requests`, { body: { note: '已整改', selfCheck: { passed: true, summary: '自查合格' } } });
  expect(asked.status).toBe(200);
  const rejected = await sup('POST', `/api/suspensions/${ours}/resumption-review`, { body: { decision: 'reject', reasons: ['通风系统未整改'], plannedEnd: addDays(today(), 40) } });
  expect(rejected.status).toBe(200);
}, 120_000);

afterAll(() => w?.stop());

function signedIn(username: string): Promise<Page> {
  return w.signedIn(username, '/#/suspensions');
}

describe('the suspension pages', () => {
  it('list the suspensions within reach and show one with its clock and timeline', async () => {
    const page = await signedIn('leader-a');
    await page.getByRole('heading', { level: 1, name: '停产整顿台账' }).waitFor();
    await page.getByText('共 1 条').waitFor();
    expect(await page.getByText('乙县应急停〔2026〕8号').count()).toBe(0);
    const row = page.locator(`tr[data-suspension-id="${ours}"]`);
    expect(await row.locator('.col-status').textContent()).toContain('停产整顿中');
    expect(await row.locator('.col-plannedEnd').textContent()).toContain(addDays(today(), 40));
    expect(await row.locator('.col-plannedEnd').textContent()).toContain('还剩 40 天');
    expect(await row.locator('.col-maxEnd').textContent()).toContain(addDays(today(), 183));

    await row.getByRole('link', { name: '甲县应急停〔2026〕3号' }).click();
    await page.getByRole('heading', { level: 1, name: '停产整顿 甲县应急停〔2026〕3号' }).waitFor();
    expect(await page.locator('.events .event').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).toEqual(['ordered', 'resumption_requested', 'resumption_rejected']);
    const record = (await page.locator('.record').textContent()) ?? '';
    expect(record).toContain('部分停产');
    expect(record).toContain('最长 183 天');
    expect(await page.locator('.event-resumption_rejected').textContent()).toContain('通风系统未整改');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Suspension 甲县应急停〔2026〕3号' }).waitFor();
    expect(await page.locator('.event-resumption_rejected .event-type').textContent()).toBe('Resumption rejected');

    // Out of reach reads as missing.
    await page.goto(`/#/suspensions/${theirs}`);
    await page.getByRole('heading', { level: 1, name: 'No such suspension' }).waitFor();
    expect(errors).toEqual([]);
  });
});

describe('a notice decision carried out', () => {
  it('a supervisor orders from the notice page the suspension a taken 停产整顿 decision calls for; the decision then links to it', async () => {
    const { noticeId } = await overdueNotice(h);
    const decisionId = randomUUID();
    await h.database.db.insert(noticeDecisions).values({
      id: decisionId,
      noticeId,
      kind: 'suspension',
      deciderRole: 'bureau_director',
      openedAt: new Date(),
      status: 'taken',
      documentNumber: '甲县应急停〔2026〕9号',
      reason: '逾期拒不整改',
      decidedBy: 'supervisor-a',
      decidedAt: new Date(),
    });
    const page = await w.signedIn('supervisor-a', `/#/notices/${noticeId}`);
    const decision = page.locator('li.decision[data-decision="suspension"]');
    await decision.locator('[data-command="suspension"] summary').click();
    const form = decision.locator('form[data-form="suspension"]');
    // Filled from the decision it carries out.
    expect(await form.getByLabel('停产整顿文号').inputValue()).toBe('甲县应急停〔2026〕9号');
    await form.getByLabel('计划整顿至').fill(addDays(today(), 20));
    await form.getByRole('button', { name: '责令停产整顿' }).click();
    await decision.getByRole('link', { name: '已据此决定下达停产整顿，查看停产整顿记录' }).click();
    await page.getByRole('heading', { level: 1, name: '停产整顿 甲县应急停〔2026〕9号' }).waitFor();
    const [ordered] = await h.database.db.select().from(suspensions).where(eq(suspensions.documentNumber, '甲县应急停〔2026〕9号'));
    expect(ordered?.origin).toEqual({ type: 'notice_decision', id: decisionId });
    expect(errors).toEqual([]);
  });
});

describe('extending and lifting a suspension', () => {
  it('a supervisor extends the planned end with a reason; the enterprise is offered neither; a leader lifts it by a decision', async () => {
    const page = await w.signedIn('supervisor-a', `/#/suspensions/${ours}`);
    await page.getByRole('heading', { level: 1, name: '停产整顿 甲县应急停〔2026〕3号' }).waitFor();
    // Lifting early is a leader's decision.
    expect(await page.locator('details[data-command="lift-suspension"]').count()).toBe(0);
    const extend = page.locator('details[data-command="extend-suspension"]');
    await extend.locator('summary').click();
    await extend.getByText(`须晚于当前计划结束日期 ${addDays(today(), 40)}，且不晚于最长期限 ${addDays(today(), 183)}。`).waitFor();
    await extend.getByLabel('新的计划结束日期').fill(addDays(today(), 50));
    await extend.getByLabel('理由').fill('通风系统改造需更长时间');
    await extend.getByRole('button', { name: '延长停产整顿' }).click();
    await page.getByText('停产整顿已延长。').waitFor();
    await page.locator('.events .event[data-event="extended"]').waitFor();
    expect(await page.locator('.record').textContent()).toContain(addDays(today(), 50));

    const enterprise = await w.signedIn('enterprise-a', `/#/suspensions/${ours}`);
    await enterprise.getByRole('heading', { level: 1, name: '停产整顿 甲县应急停〔2026〕3号' }).waitFor();
    expect(await enterprise.locator('details[data-command]').count()).toBe(0);

    const leader = await w.signedIn('leader-a', `/#/suspensions/${ours}`);
    const lift = leader.locator('details[data-command="lift-suspension"]');
    await lift.locator('summary').click();
    await lift.getByLabel('解除决定文号').fill('甲县应急解〔2026〕1号');
    await lift.getByLabel('理由').fill('原决定依复议结果撤销');
    await lift.getByRole('button', { name: '提前解除停产整顿' }).click();
    await leader.getByText('停产整顿已解除。').waitFor();
    await leader.locator('.events .event[data-event="lifted"]').waitFor();
    const [row] = await h.database.db.select().from(suspensions).where(eq(suspensions.id, ours));
    expect(row?.status).toBe('lifted');
    // Ended: no command is offered any more.
    expect(await leader.locator('details[data-command]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
