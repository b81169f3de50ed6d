/**
 * The supervisors' command pages in a real headless Chromium against the real API: a notice
 * issued from two hazards ticked in the ledger, its deadline counted and shown before issuing
 * (and the same date on the notice afterwards); a hazard registered with its "before" photo and
 * reviewed with the before and after photos side by side, as previews the server made. Dates
 * are Shanghai's (pages.e2e.test.ts proves they stay so for a browser on another clock).
 */
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let w: BrowserWorld;
let sup: Requester;
const today = () => shanghaiDate(Date.now());
const errors: string[] = [];

beforeAll(async () => {
  w = await startBrowserWorld('supervision-pages', { browser: { errors } });
  h = w.h;
  sup = await h.as('supervisor-a');
}, 120_000);

afterAll(() => w?.stop());

async function register(title: string, enterpriseId = h.world.enterpriseA, as: Requester = sup): Promise<string> {
  const res = await as('POST', '/api/hazards', { body: { enterpriseId, title, category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), requiredMeasures: '立即整改' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

function signedIn(username: string, hash: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  return w.signedIn(username, hash, { viewport });
}

describe('issuing a notice from the ledger', () => {
  it('ticks two hazards, sees the counted deadline, issues, and the notice carries that deadline', async () => {
    const ids = [await register('疏散通道堆放杂物'), await register('灭火器过期')];
    const page = await signedIn('supervisor-a', '#/hazards');
    await page.getByRole('heading', { level: 1, name: '隐患台账' }).waitFor();
    const issueButton = page.getByRole('button', { name: '为所选隐患下达督办通知' });
    expect(await issueButton.isDisabled()).toBe(true);
    for (const id of ids) await page.locator(`tr[data-hazard-id="${id}"] input.select-hazard`).check();
    await page.getByText('已选 2 条').waitFor();
    await issueButton.click();

    await page.getByRole('heading', { level: 1, name: '下达督办通知' }).waitFor();
    const preview = page.locator('.deadline-preview[data-preview="ready"]');
    await preview.waitFor();
    const shown = await preview.getAttribute('data-deadline');
    // What the page shows is what the API counts for these hazards now.
    const counted = await sup('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds: ids } });
    expect(shown).toBe(counted.body.deadline);
    expect(await preview.textContent()).toContain('10 个工作日');
    expect(await preview.textContent()).toContain(shown!);
    await page.screenshot({ path: '/tmp/duban-issue-notice.png', fullPage: true });

    // A date of the issuer's own is counted again before it can be issued.
    await page.getByLabel('指定日期').check();
    expect(await page.getByRole('button', { name: '下达督办通知' }).isDisabled()).toBe(true);
    await page.getByLabel('按政策计算（工作日，依节假日安排）').check();
    await preview.waitFor();
    await page.getByRole('button', { name: '下达督办通知' }).click();

    await page.waitForURL(/#\/notices\/[0-9a-f-]{36}$/);
    const noticeId = page.url().split('/').pop()!;
    const notice = (await sup('GET', `/api/notices/${noticeId}`)).body;
    expect(notice.deadline).toBe(shown);
    expect(notice.hazards.map((x: { id: string }) => x.id).sort()).toEqual([...ids].sort());
    await page.getByText(`整改期限 ${shown}`).waitFor();
    expect(errors).toEqual([]);
  });

  it('says before issuing that one notice goes to one enterprise, and offers the government body over them instead', async () => {
    const ours = await register('配电箱未上锁');
    const page = await signedIn('leader-city', `#/notices/new?hazards=${ours},${await register('仓库超量储存', h.world.enterpriseB, await h.as('supervisor-b'))}`, { width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: '下达督办通知' }).waitFor();
    await page.getByText('所选隐患属于不同企业').waitFor();
    // No enterprise to choose; a government body is, and nothing is counted until it is picked.
    expect(await page.getByLabel(/企业：/).count()).toBe(0);
    expect(await page.getByLabel('政府部门').isChecked()).toBe(true);
    await page.getByText('请先选择受文政府。').waitFor();
    expect(await page.getByRole('button', { name: '下达督办通知' }).isDisabled()).toBe(true);
    await page.getByLabel('受文政府（辖区）').selectOption(h.world.a.city.id);
    await page.locator('.deadline-preview[data-preview="ready"]').waitFor();
    expect(await page.getByRole('button', { name: '下达督办通知' }).isDisabled()).toBe(false);
  });
});

describe('a notice’s own commands', () => {
  it('moves a notice’s deadline with a reason; the enterprise and a leader are not offered it', async () => {
    const ids = [await register('配电箱未接地')];
    const issued = await sup('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: ids, title: '配电安全督办', requirements: '按期整改', deadline: addDays(today(), 5) } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const noticeId: string = issued.body.id;
    const page = await signedIn('supervisor-a', `#/notices/${noticeId}`);
    await page.getByRole('heading', { level: 1, name: /督办通知/ }).waitFor();
    // One with hazards closes with them: no confirmation is offered.
    expect(await page.locator('details[data-command="confirm-completion"]').count()).toBe(0);
    const extend = page.locator('details[data-command="extend-notice"]');
    await extend.locator('summary').click();
    await extend.getByText(`须晚于当前期限 ${addDays(today(), 5)}`).waitFor();
    // Nothing is sent without a reason; the page says so by the field.
    await extend.getByLabel('新的整改期限').fill(addDays(today(), 15));
    await extend.getByRole('button', { name: '延长督办期限' }).click();
    await extend.getByText('此项为必填项').first().waitFor();
    await extend.getByLabel('理由').fill('企业设备采购周期较长，经研究同意延期');
    await extend.getByRole('button', { name: '延长督办期限' }).click();
    await page.getByText('督办期限已延长，督办级别自新期限重新起算。').waitFor();
    await page.locator(`.card time[datetime="${addDays(today(), 15)}"]`).first().waitFor();
    expect((await sup('GET', `/api/notices/${noticeId}`)).body.deadline).toBe(addDays(today(), 15));
    await page.locator('.events .event[data-event="deadline_extended"]').waitFor();

    for (const who of ['enterprise-a', 'leader-a']) {
      const other = await signedIn(who, `#/notices/${noticeId}`);
      await other.getByRole('heading', { level: 1, name: /督办通知/ }).waitFor();
      expect(await other.locator('details[data-command="extend-notice"]').count(), who).toBe(0);
    }
    expect(errors).toEqual([]);
  });

  it('closes a notice to a government body by confirming its completion', async () => {
    const issued = await sup('POST', '/api/notices', { body: { addressee: { regionId: h.world.a.county.id, department: '甲县住建局' }, title: '燃气管道排查督办', requirements: '完成辖区燃气管道排查' } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const noticeId: string = issued.body.id;
    const page = await signedIn('supervisor-a', `#/notices/${noticeId}`);
    const confirm = page.locator('details[data-command="confirm-completion"]');
    await confirm.locator('summary').click();
    await confirm.getByLabel('办结说明').fill('排查已完成，问题管段已更换');
    await confirm.getByRole('button', { name: '确认办结' }).click();
    await page.getByText('督办通知已确认办结。').waitFor();
    expect((await sup('GET', `/api/notices/${noticeId}`)).body.status).toBe('closed');
    // A closed notice offers no command.
    expect(await page.locator('details[data-command="extend-notice"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

const photo = (r: number, g: number, b: number) => sharp({ create: { width: 1200, height: 900, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();

describe('reviewing with the photos side by side', () => {
  it('registers a hazard with its before photo; the review shows it beside the submitted one', async () => {
    const page = await signedIn('supervisor-a', '#/hazards/new');
    await page.getByRole('heading', { level: 1, name: '登记隐患' }).waitFor();
    await page.getByLabel('企业').selectOption({ label: '甲化工有限公司' });
    await page.getByLabel('隐患名称').fill('危化品仓库通风故障');
    await page.getByLabel('隐患类别').fill('危险化学品');
    await page.locator('input[name="files"]').setInputFiles({ name: '整改前-通风口.jpg', mimeType: 'image/jpeg', buffer: await photo(180, 40, 40) });
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/#\/hazards\/[0-9a-f-]{36}$/);
    await page.getByText('隐患已登记。').waitFor();
    const hazardId = page.url().split('/').pop()!;
    const files = (await sup('GET', `/api/hazards/${hazardId}/evidence`)).body.items;
    expect(files.map((f: { phase: string; originalName: string }) => [f.phase, f.originalName])).toEqual([['before', '整改前-通风口.jpg']]);

    // The enterprise photographs the rectification and submits it.
    const ent = await h.as('enterprise-a');
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(await photo(40, 160, 60))], { type: 'image/jpeg' }), '整改后-通风口.jpg');
    const up = await ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: form });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const submitted = await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [up.body.items[0].id], note: '已更换风机' } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    await page.reload();
    // In the evidence table the before photo is labelled as such, not as evidence not yet submitted.
    const beforeRow = page.locator('.evidence-table tr[data-phase="before"]');
    expect(await beforeRow.locator('.col-round').textContent()).toContain('整改前照片');
    expect(await page.locator('.evidence-table tr[data-phase="after"] .col-round').textContent()).toContain('第 1 轮');
    const compare = page.locator('.photo-compare');
    await compare.getByRole('heading', { name: '整改前后对比' }).waitFor();
    const before = compare.locator('.photo-column[data-phase="before"] figure[data-loaded="true"] img');
    const after = compare.locator('.photo-column[data-phase="after"] figure[data-loaded="true"] img');
    await before.waitFor();
    await after.waitFor();
    // Previews the server made: JPEG data, never the uploaded bytes' own address.
    for (const img of [before, after]) expect(await img.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    expect(await before.getAttribute('alt')).toContain('整改前-通风口.jpg');
    expect(await after.getAttribute('alt')).toContain('整改后-通风口.jpg');
    // Side by side: the same row, before on the left.
    const [b, a] = [await before.boundingBox(), await after.boundingBox()];
    expect(b!.x).toBeLessThan(a!.x);
    expect(Math.abs(b!.y - a!.y)).toBeLessThan(5);
    await page.screenshot({ path: '/tmp/duban-review-photos.png', fullPage: true });

    await page.getByLabel('通过（销号）').check();
    await page.getByRole('button', { name: '提交复查意见' }).click();
    await page.getByText('复查通过，隐患已销号。').waitFor();
    expect((await sup('GET', `/api/hazards/${hazardId}`)).body.status).toBe('closed');
    expect(errors).toEqual([]);
  });
});

describe('inspections', () => {
  it('records an inspection with its checklist and turns the failed finding into a hazard', async () => {
    const page = await signedIn('supervisor-a', '#/inspections', { width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: '执法检查台账' }).waitFor();
    await page.getByRole('link', { name: '记录检查' }).click();
    await page.getByRole('heading', { level: 1, name: '记录执法检查' }).waitFor();
    await page.getByLabel('企业').selectOption({ label: '甲化工有限公司' });
    await page.getByLabel('检查地点').fill('二号仓库');
    // The colleague who inspected alongside, ticked by name.
    await page.locator('.co-inspectors input[type="checkbox"]').first().waitFor();
    await page.locator(`.co-inspectors input[value="${h.world.users['grid-a']}"]`).check();
    const first = page.locator('.checklist-item').first();
    await first.locator('select[name="result"]').selectOption('fail');
    // A failed item without its hazard category: the API's refusal is shown beside the form.
    await page.getByRole('button', { name: '保存检查记录' }).click();
    await page.locator('.problem:not([hidden])').getByText('findings.0.category', { exact: false }).or(page.locator('.problem:not([hidden])').getByText('检查表 #1')).first().waitFor();
    await first.locator('input[name="category"]').fill('消防安全');
    await first.locator('textarea[name="note"]').fill('东侧安全出口堆放货物');
    await page.getByRole('button', { name: '保存检查记录' }).click();

    await page.waitForURL(/#\/inspections\/[0-9a-f-]{36}$/);
    await page.getByText('检查记录已保存。').waitFor();
    const inspectionId = page.url().split('/').pop()!;
    const recorded = (await sup('GET', `/api/inspections/${inspectionId}`)).body;
    expect(recorded.findings.map((f: { result: string }) => f.result)).toEqual(['fail', 'pass', 'pass', 'pass', 'pass']);
    expect(recorded.location).toBe('二号仓库');
    expect(recorded.inspectors).toEqual([h.world.users['supervisor-a'], h.world.users['grid-a']]);
    expect(await page.locator('.record').textContent()).toContain(recorded.inspectorNames[1].displayName);

    // The registration is prefilled from the finding.
    const form = page.locator('form[data-form="finding-1"]');
    expect(await form.locator('input[name="title"]').inputValue()).toBe('安全出口、疏散通道畅通');
    expect(await form.locator('textarea[name="description"]').inputValue()).toBe('东侧安全出口堆放货物');
    await form.locator('input[name="title"]').fill('东侧安全出口堵塞');
    await form.getByRole('button', { name: '登记为隐患' }).click();
    await page.waitForURL(/#\/hazards\/[0-9a-f-]{36}$/);
    const hazard = (await sup('GET', `/api/hazards/${page.url().split('/').pop()}`)).body;
    expect(hazard).toMatchObject({ title: '东侧安全出口堵塞', category: '消防安全', source: 'inspection', status: 'rectifying', description: '东侧安全出口堆放货物' });

    await page.goto('/#/inspections');
    const row = page.locator(`tr[data-inspection-id="${inspectionId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('已登记隐患 1 项');
    expect(errors).toEqual([]);
  });

  it('names who recorded an inspection by display name, in the list and on its page', async () => {
    const admin = await h.as('admin');
    const made = await admin('POST', '/api/users', { body: { username: 'inspections-qian', displayName: '钱检查', role: 'supervisor', regionId: h.world.a.county.id, password: PASSWORD } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'inspections-qian', password: PASSWORD } });
    expect(login.status).toBe(200);
    const recorded = await h.http.request('POST', '/api/inspections', {
      token: login.body.token as string,
      body: { enterpriseId: h.world.enterpriseA, location: '三号车间', startedAt: new Date(Date.now() - 3_600_000).toISOString(), endedAt: new Date(Date.now() - 600_000).toISOString(), findings: [{ item: '消防通道畅通', result: 'pass' }] },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const page = await signedIn('supervisor-a', '#/inspections');
    const row = page.locator(`tr[data-inspection-id="${recorded.body.id}"]`);
    await row.waitFor();
    expect(await row.locator('.col-by').textContent()).toBe('钱检查');
    await row.getByRole('link').first().click();
    await page.locator('.record').getByText('钱检查').first().waitFor();
    expect(await page.locator('main').textContent()).not.toContain('inspections-qian');
    expect(errors).toEqual([]);
  });
});

describe('commands on a hazard', () => {
  it('a leader reassigns a hazard to a person offered by name, delegates it, and voids it with a reason', async () => {
    const hazardId = await register('叉车无证驾驶');
    const page = await signedIn('leader-city', `#/hazards/${hazardId}`);
    await page.getByRole('heading', { level: 1, name: '叉车无证驾驶' }).waitFor();
    const commands = page.locator('.commands');
    // Supervisors record experts' opinions and order suspensions; a leader is not offered them.
    expect(await commands.locator('[data-command="suspension"]').count()).toBe(0);

    await commands.locator('[data-command="reassign"] summary').click();
    const reassign = commands.locator('form[data-form="reassign"]');
    await reassign.getByLabel('理由').fill('人员调整');
    await reassign.getByRole('button', { name: '改派' }).click();
    const refusal = reassign.locator('.problem:not([hidden])');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('此项为必填项');
    // The people offered are those who can take the place, with their post and jurisdiction.
    const person = reassign.getByLabel('新的负责人');
    await person.locator('option[value="grid-a"]').waitFor({ state: 'attached' });
    const offered = await person.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toContain('grid-a');
    expect(offered).not.toContain('supervisor-b');
    expect(await person.locator('option[value="grid-a"]').textContent()).toMatch(/（网格员，.+）/);
    await person.selectOption('grid-a');
    await reassign.getByRole('button', { name: '改派' }).click();
    await page.getByText('已改派。').waitFor();
    expect((await sup('GET', `/api/hazards/${hazardId}`)).body.assignment.supervisor).toBe('grid-a');

    // Delegated to a colleague picked by name, who follows it up meanwhile.
    await commands.locator('[data-command="delegate"] summary').click();
    const delegate = commands.locator('form[data-form="delegate"]');
    const stand = delegate.getByLabel('代办人');
    await stand.locator('option[value="supervisor-a"]').waitFor({ state: 'attached' });
    expect(await stand.locator('option[value="grid-a"]').count()).toBe(0);
    await stand.selectOption('supervisor-a');
    await delegate.getByLabel('理由').fill('网格员休假期间由科长代办');
    await delegate.getByRole('button', { name: '委托代办' }).click();
    await page.getByText('委托已记录。').waitFor();
    expect((await sup('GET', `/api/hazards/${hazardId}`)).body.assignment.delegate).toBe('supervisor-a');

    await commands.locator('[data-command="void"] summary').click();
    const voiding = commands.locator('form[data-form="void"]');
    await voiding.getByLabel('作废类型').selectOption('misreport');
    await voiding.getByLabel('理由').fill('经核实为误报');
    await voiding.getByRole('button', { name: '作废' }).click();
    await page.getByText('隐患已作废。').waitFor();
    expect((await sup('GET', `/api/hazards/${hazardId}`)).body.status).toBe('void');
    expect(errors).toEqual([]);
  });
});

describe('suspensions', () => {
  it('orders a suspension from a hazard and reviews the resumption request on its page', async () => {
    const hazardId = await register('粉尘除尘系统失效');
    const page = await signedIn('supervisor-a', `#/hazards/${hazardId}`, { width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: '粉尘除尘系统失效' }).waitFor();
    await page.locator('[data-command="suspension"] summary').click();
    const order = page.locator('form[data-form="suspension"]');
    await order.getByLabel('停产整顿文号').fill('甲县应急停〔2026〕21号');
    await order.getByLabel('理由').fill('除尘系统失效，存在粉尘爆炸风险');
    await order.getByLabel('停产范围').selectOption('partial');
    await order.getByLabel('范围说明').fill('抛光车间');
    await order.getByLabel('计划整顿至').fill(addDays(today(), 20));
    await order.getByRole('button', { name: '责令停产整顿' }).click();
    await page.getByText('已责令停产整顿。').waitFor();
    const list = (await sup('GET', `/api/suspensions?limit=50`)).body.items as Array<{ id: string; documentNumber: string; hazardId: string | null }>;
    const suspension = list.find((s) => s.documentNumber === '甲县应急停〔2026〕21号')!;
    expect(suspension).toBeDefined();

    const asked = await (await h.as('enterprise-a'))('POST', `/api/suspensions/${suspension.id}/resumption-requests`, { body: { note: '已更换除尘设备', selfCheck: { passed: true, summary: '自查合格' } } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    await page.goto(`/#/suspensions/${suspension.id}`);
    const review = page.locator('form[data-form="resumption-review"]');
    await review.waitFor();
    // A rejection needs its reasons: the API says so beside the form.
    await review.getByLabel('不同意复产').check();
    await review.getByRole('button', { name: '提交审查结论' }).click();
    await review.locator('.problem:not([hidden])').waitFor();
    await review.getByLabel('同意复产', { exact: true }).check();
    await review.getByLabel('审查意见').fill('现场复核合格，同意复产');
    await review.getByRole('button', { name: '提交审查结论' }).click();
    await page.getByText('审查结论已记录。').waitFor();
    expect((await sup('GET', `/api/suspensions/${suspension.id}`)).body.status).toBe('resumed');
    expect(errors).toEqual([]);
  });
});
