/**
 * The rest of each role's commands in a real headless Chromium against the real API: a supervisor
 * records an expert's acceptance of a major hazard and reopens a closed one; a leader takes the
 * decision named for their own post (约谈, the county leader's); the admin makes and revokes API
 * keys (their own and a service account's, made on the page) and edits a user (a new password,
 * deactivated and active again), each change seen through the API.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeDecisions, users } from '../../db/schema';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let w: BrowserWorld;
let sup: Requester;
let ent: Requester;
let admin: Requester;
const today = () => shanghaiDate(Date.now());
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('role-command-pages', { browser: { errors } });
  h = w.h;
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
  admin = await h.as('admin');
}, 120_000);

afterAll(() => w?.stop());

function signedIn(username: string, hash: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  return w.signedIn(username, hash, { viewport });
}

async function register(over: Record<string, unknown> = {}): Promise<{ id: string; deadline: string }> {
  const res = await sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: '消防通道堆放杂物', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), requiredMeasures: '立即整改', ...over } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function submitted(id: string): Promise<void> {
  const up = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const res = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [up.body.items[0].id], note: '已整改' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('a supervisor’s commands on a hazard', () => {
  it('records an expert’s acceptance of a major hazard under review', async () => {
    const hz = await register({ grade: 'major', listingLevel: 'county', title: '液氨储罐区未设置泄漏报警', deadline: undefined });
    const plan = { measures: '加装泄漏报警装置', funds: 200000, deadline: hz.deadline, responsiblePerson: '王厂长', contingencyPlan: '停用罐区，专人值守' };
    expect((await ent('POST', `/api/hazards/${hz.id}/plan`, { body: plan })).status).toBe(200);
    await submitted(hz.id);
    const page = await signedIn('supervisor-a', `#/hazards/${hz.id}`);
    const command = page.locator('details[data-command="expert-acceptance"]');
    await command.locator('summary').click();
    await command.getByLabel('验收专家').fill('张专家');
    await command.getByLabel('验收结论').selectOption('true');
    await command.getByLabel('专家意见').fill('报警装置已安装调试，功能正常');
    await command.getByRole('button', { name: '记录专家验收意见' }).click();
    await page.getByText('已记录专家验收意见。').waitFor();
    const hazard = (await sup('GET', `/api/hazards/${hz.id}`)).body;
    expect(hazard.acceptances).toEqual([expect.objectContaining({ party: 'expert', passed: true, signatory: '张专家', opinion: '报警装置已安装调试，功能正常' })]);
    expect(hazard.acceptancesOutstanding).not.toContain('expert');
    expect(errors).toEqual([]);
  });

  it('reopens a closed hazard with a new deadline and a reason', async () => {
    const hz = await register({ title: '配电箱未上锁' });
    await submitted(hz.id);
    expect((await sup('POST', `/api/hazards/${hz.id}/reviews`, { body: { decision: 'accept', comment: '整改到位' } })).body.status).toBe('closed');
    const page = await signedIn('supervisor-a', `#/hazards/${hz.id}`);
    const command = page.locator('details[data-command="reopen"]');
    await command.locator('summary').click();
    const deadline = addDays(today(), 10);
    await command.getByLabel('新整改期限').fill(deadline);
    await command.getByLabel('理由').fill('复查发现配电箱再次未上锁');
    await command.getByRole('button', { name: '重新开启' }).click();
    await page.getByText('隐患已重新开启，进入新一轮整改。').waitFor();
    const hazard = (await sup('GET', `/api/hazards/${hz.id}`)).body;
    expect(hazard).toMatchObject({ status: 'rectifying', deadline, round: 2 });
    expect(errors).toEqual([]);
  });
});

describe('a hazard page drawn again keeps what the person was writing', () => {
  /** Marks the form now shown, to tell it from one drawn in its place. */
  const mark = (page: Page, command: string) => page.evaluate(`document.querySelector('details[data-command="${command}"]').dataset.drawn = 'before'`);

  it('when the person signs in again in another tab: the command form stays open with its text', async () => {
    const hz = await register({ title: '楼梯间堆放杂物' });
    const page = await signedIn('supervisor-a', `#/hazards/${hz.id}`);
    const command = page.locator('details[data-command="delegate"]');
    await command.locator('summary').click();
    await command.getByLabel('理由').fill('本人出差，委托同事跟进');
    await mark(page, 'delegate');
    // Another tab of the same browser signs in again as the same person: this page is drawn again for the new session.
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: PASSWORD } });
    expect(login.status).toBe(200);
    const other = await page.context().newPage();
    await other.goto('/#/');
    await other.evaluate(`localStorage.setItem('duban.session', ${JSON.stringify(JSON.stringify(login.body))})`);
    const redrawn = page.locator('details[data-command="delegate"]:not([data-drawn])');
    await redrawn.waitFor({ state: 'attached' });
    expect(await redrawn.getAttribute('open')).toBe('');
    expect(await redrawn.getByLabel('理由').inputValue()).toBe('本人出差，委托同事跟进');
    await other.close();
    expect(errors).toEqual([]);
  });

  it('when an urge redraws it: a leader’s half-written void stays open with its text; the urge’s own words are gone', async () => {
    const hz = await register({ title: '仓库灭火器过期' });
    const page = await signedIn('leader-a', `#/hazards/${hz.id}`);
    const command = page.locator('details[data-command="void"]');
    await command.locator('summary').click();
    await command.getByLabel('理由').fill('经核实为误报，');
    await mark(page, 'void');
    const urge = page.locator('form[data-form="urge"]');
    await urge.getByLabel('催办意见').fill('请尽快整改');
    await urge.getByRole('button', { name: '催办' }).click();
    await page.getByText('已催办，企业和监管人员已收到通知。').waitFor();
    const redrawn = page.locator('details[data-command="void"]:not([data-drawn])');
    expect(await redrawn.getAttribute('open')).toBe('');
    expect(await redrawn.getByLabel('理由').inputValue()).toBe('经核实为误报，');
    expect(await page.locator('form[data-form="urge"]').getByLabel('催办意见').inputValue()).toBe('');
    expect(errors).toEqual([]);
  });
});

describe('a leader takes the decision named for their own post', () => {
  it('the county leader takes the 约谈 the policy names the county leader for', async () => {
    const noticeId = randomUUID();
    const rule = DEFAULT_POLICIES.general.deadline!;
    const policy = DEFAULT_NOTICE_POLICIES.general;
    await h.deps.notices.start({
      notice: { noticeId, enterpriseId: h.world.enterpriseA, grade: 'general', policy, dayUnit: 'working', hazardIds: [], deadline: addDays(today(), -90), rule },
      issue: { agency: '甲县应急', enterpriseId: h.world.enterpriseA, addressee: null, addresseeRegionId: null, regionPath: h.world.a.grid.path, title: '逾期督办', requirements: '按期整改', legalBasis: rule.legalBasis, grade: 'general', policy, policyId: null, issuedBy: 'supervisor-a', hazardIds: [] },
    });
    let interview = '';
    for (let i = 0; i < 600 && !interview; i++) {
      const rows = await h.database.db.select().from(noticeDecisions).where(eq(noticeDecisions.noticeId, noticeId));
      interview = rows.find((d) => d.kind === 'warning_interview')?.id ?? '';
      if (!interview) await new Promise((r) => setTimeout(r, 100));
    }
    expect(interview).toBeTruthy();
    const page = await signedIn('leader-a', `#/notices/${noticeId}`);
    const decision = page.locator('li.decision[data-decision="warning_interview"]');
    expect((await decision.locator('.fact', { hasText: '决定人' }).first().locator('dd').textContent())?.trim()).toMatch(/^县级领导/);
    const form = page.locator(`form[data-form="decision"][data-decision-id="${interview}"]`);
    await form.getByLabel('作出决定').check();
    await form.getByLabel('决定文号').fill('甲县应急谈〔2026〕2号');
    await form.getByLabel('理由').fill('逾期三个月未整改，约谈主要负责人');
    await form.getByRole('button', { name: '提交决定' }).click();
    await page.getByText('已记录处置决定。').waitFor();
    await page.locator('li.decision[data-decision="warning_interview"][data-status="taken"]').waitFor();
    const notice = (await (await h.as('leader-a'))('GET', `/api/notices/${noticeId}`)).body;
    expect(notice.decisions.find((d: { id: string }) => d.id === interview)).toMatchObject({ status: 'taken', decidedBy: 'leader-a', documentNumber: '甲县应急谈〔2026〕2号' });
    expect(errors).toEqual([]);
  });
});

describe('the admin’s keys and users', () => {
  it('makes a key of their own and one for a service account made on the page, each shown once and working; revokes one', async () => {
    const page = await signedIn('admin', '#/admin/keys');
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('heading', { level: 1, name: 'API 密钥' }).waitFor();
    const own = page.locator('form[data-form="own-key"]');
    await own.getByRole('textbox', { name: /^名称/ }).fill('本人测试密钥');
    await own.getByRole('button', { name: '创建密钥' }).click();
    const secret = page.getByLabel('新密钥');
    await secret.waitFor();
    const ownKey = await secret.inputValue();
    expect((await h.http.request('GET', '/api/regions', { headers: { 'x-api-key': ownKey } })).status).toBe(200);

    const account = page.locator('form[data-form="service-account"]');
    await account.getByRole('textbox', { name: /^名称/ }).fill('ledger-e2e');
    await account.getByRole('textbox', { name: /^系统名称/ }).fill('甲县台账系统');
    await account.getByRole('combobox', { name: /^角色/ }).selectOption('supervisor');
    await account.getByRole('combobox', { name: /^所在区域/ }).selectOption(h.world.a.county.id);
    await account.getByRole('button', { name: '创建对接系统账号' }).click();
    const serviceForm = page.locator('form[data-form="service-key"]');
    await serviceForm.getByRole('combobox', { name: /^对接系统/ }).locator('option', { hasText: '甲县台账系统' }).waitFor({ state: 'attached' });
    const accountId = await serviceForm.getByRole('combobox', { name: /^对接系统/ }).locator('option', { hasText: '甲县台账系统' }).getAttribute('value');
    await serviceForm.getByRole('combobox', { name: /^对接系统/ }).selectOption(accountId!);
    await serviceForm.getByRole('textbox', { name: /^名称/ }).fill('台账同步');
    await serviceForm.getByRole('button', { name: '创建密钥' }).click();
    await page.locator('.secret-value').waitFor();
    const serviceKey = await page.locator('.secret-value').inputValue();
    expect(serviceKey).not.toBe(ownKey);
    const asService = await h.http.request('GET', '/api/hazards?limit=1', { headers: { 'x-api-key': serviceKey } });
    expect(asService.status, JSON.stringify(asService.body)).toBe(200);

    // Revoked on the page: the key stops working at once.
    await page.reload();
    const row = page.locator('tr', { hasText: '台账同步' });
    await row.getByRole('button', { name: '吊销' }).click();
    await page.locator('tr', { hasText: '台账同步' }).getByText(/已吊销/).waitFor();
    expect((await h.http.request('GET', '/api/hazards?limit=1', { headers: { 'x-api-key': serviceKey } })).status).toBe(401);
    expect((await h.http.request('GET', '/api/regions', { headers: { 'x-api-key': ownKey } })).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('edits a user: renames them, sets a new password, deactivates the account (it stops working) and makes it active again', async () => {
    const made = await admin('POST', '/api/users', { body: { username: 'edit-me', displayName: '孙检查', role: 'supervisor', regionId: h.world.a.county.id, password: PASSWORD } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const page = await signedIn('admin', '#/admin/users');
    await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor();
    const row = () => page.locator('tr', { hasText: 'edit-me' });
    await row().getByRole('button', { name: '改名' }).click();
    const newName = page.getByRole('textbox', { name: /^孙检查 的新姓名/ });
    await newName.fill('孙建国');
    await page.getByRole('button', { name: '保存姓名' }).click();
    await page.getByText('已将 孙检查 改名为 孙建国。').waitFor();
    const [renamed] = await h.database.db.select({ displayName: users.displayName }).from(users).where(eq(users.id, made.body.id));
    expect(renamed?.displayName).toBe('孙建国');
    expect(await row().textContent()).toContain('孙建国');
    expect((await admin('PATCH', `/api/users/${made.body.id}`, { body: { displayName: '孙检查' } })).status).toBe(200);
    await page.reload();
    const login = (password: string) => h.http.request('POST', '/api/auth/login', { body: { username: 'edit-me', password } });
    const hazardsWith = (token: string) => h.http.request('GET', '/api/hazards?limit=1', { token });
    const signedInBefore = await login(PASSWORD);
    expect((await hazardsWith(signedInBefore.body.token)).status).toBe(200);
    await row().getByRole('button', { name: '重置密码' }).click();
    const newPassword = 'a brand new long password';
    await page.getByLabel('孙检查 的新密码').fill(newPassword);
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByText('已为 孙检查 设置新密码。').waitFor();
    expect((await login(PASSWORD)).status).toBe(401);
    // The sign-in made with the old password has ended with it.
    expect((await hazardsWith(signedInBefore.body.token)).body).toMatchObject({ status: 401, code: 'session-ended' });
    const signedInNow = await login(newPassword);
    expect(signedInNow.status).toBe(200);

    await row().getByRole('button', { name: '停用' }).click();
    await page.getByText(/已停用 孙检查/).waitFor();
    expect((await hazardsWith(signedInNow.body.token)).status).toBe(401);
    await row().getByRole('button', { name: '启用' }).click();
    await page.getByText(/孙检查/).first().waitFor();
    await row().getByRole('button', { name: '停用' }).waitFor();
    // Active again, the account signs in afresh; the sign-in from before the deactivation stays ended.
    expect((await hazardsWith(signedInNow.body.token)).body).toMatchObject({ status: 401, code: 'session-ended' });
    expect((await login(newPassword)).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
