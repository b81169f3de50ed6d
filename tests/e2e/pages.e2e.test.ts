/**
 * The pages people use, in a real headless Chromium against the real API (dev server, worker,
 * Postgres), signed in as the harness world's users, each in a browser context of their own:
 * supervisor-a registers and reviews, enterprise-a uploads evidence files and submits them,
 * leader-a only reads. A hazard goes from registration through a rejection and a second round
 * to closure; another is extended (延期) at the enterprise's request, approved for less than
 * asked, and a request over the policy's limit is refused naming the limit; refusals are shown
 * with their problem detail; a 401 leads back to the sign-in page.
 * The browser is an English one on New York time (FAR_READER), unlike the other browser tests: the
 * pages must still speak Chinese, and every date and time on them must still be Shanghai's.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enterprises } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG, SAMPLE_PDF } from '../../scripts/sample-files';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { FAR_READER, readerContext, watchConsole } from '../support/browser';
import type { Requester } from '../support/http';
import { PASSWORD } from '../support/world';

const WEB = fileURLToPath(new URL('../../web', import.meta.url));
/** The world's enterprises: A in supervisor-a's county, B in the other one. */
const ENTERPRISE_A = '甲化工有限公司';
const ENTERPRISE_B = '乙机械制造厂';
const OVERDUE_TITLE = '危化品仓库超量储存';
const OUT_OF_REACH_TITLE = '乙厂消防通道堵塞';
const TITLE = '配电室未配备绝缘垫';
const EXTENSION_TITLE = '储罐区防火堤破损';
/** SAMPLE_JPEG's EXIF capture time, Shanghai wall clock. */
const SAMPLE_TAKEN = '2026-11-20 10:30';

let h: ApiHarness;
let sup: Requester;
let w: BrowserWorld;
let hazardId: string;
let overdueId: string;
/** One browser context per person: their own storage, so their own sign-in. */
const people: Record<'supervisor' | 'enterprise' | 'leader', { context: BrowserContext; page: Page }> = {} as never;
/** Script errors in any page; a refused request (4xx) is logged by Chromium and expected here. */
const consoleErrors: string[] = [];
const today = () => shanghaiDate(Date.now());

/** How the pages must show an instant: Shanghai wall-clock time, whatever the browser's zone. */
function shanghaiDateTime(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const heading = (p: Page, name: string) => p.getByRole('heading', { level: 1, name });
const text = async (p: Page, selector: string) => ((await p.locator(selector).first().textContent()) ?? '').trim();
async function events(p: Page): Promise<Array<string | null>> {
  const items = await p.locator('.events .event').all();
  return Promise.all(items.map((e) => e.getAttribute('data-event')));
}
const storedSession = (p: Page) => p.evaluate<string | null>("localStorage.getItem('duban.session')");
/** Change the stored session the way a stale or tampered one would look (the next load reads it). */
const alterSession = (p: Page, change: { token?: string; expiresAt?: string }) =>
  p.evaluate(`(() => {
    const s = JSON.parse(localStorage.getItem('duban.session'));
    localStorage.setItem('duban.session', JSON.stringify({ ...s, ...${JSON.stringify(change)} }));
  })()`);

function watch(p: Page) {
  p.on('pageerror', (e) => consoleErrors.push(e.message));
  return watchConsole(p, consoleErrors);
}

async function newPerson(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.b.browser.newContext({
    baseURL: h.http.baseUrl,
    // Deliberately not the bureau's reader: the pages must not lean on the browser's language or zone.
    ...readerContext(FAR_READER),
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  return { context, page: watch(await context.newPage()) };
}

/** Sign in on the sign-in page, which must be showing. */
async function signIn(p: Page, username: string, password = PASSWORD) {
  await heading(p, '登录').waitFor();
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录', exact: true }).click();
}

/** Polls outside a test (expect.poll belongs to tests). */
async function until(check: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fetchHazard(id: string) {
  return (await sup('GET', `/api/hazards/${id}`)).body;
}

function startImported(hazardId: string, enterpriseId: string, title: string, deadline: string, grade: 'general' | 'major') {
  return h.gateway.start({
    hazard: { hazardId, enterpriseId, grade, policy: DEFAULT_POLICIES[grade], deadline },
    registration: { title, description: '', category: '危险化学品', source: 'inspection', location: '3 号仓库', legalBasis: '', requiredMeasures: '清理超量储存物品', createdBy: 'supervisor-a' },
  });
}

beforeAll(async () => {
  w = await startBrowserWorld('e2e', { browser: { errors: consoleErrors, console: true, reader: FAR_READER } });
  h = w.h;
  sup = await h.as('supervisor-a');
  // Imported stock: a major hazard 5 days past its deadline (the ladder catches up at once), and
  // one in the other county, out of reach of supervisor-a and leader-a.
  overdueId = randomUUID();
  await startImported(overdueId, h.world.enterpriseA, OVERDUE_TITLE, addDays(today(), -5), 'major');
  await startImported(randomUUID(), h.world.enterpriseB, OUT_OF_REACH_TITLE, addDays(today(), 10), 'general');
  await until(async () => (await fetchHazard(overdueId)).escalationLevel === 2, 15_000);
  people.supervisor = await newPerson();
  people.enterprise = await newPerson();
  people.leader = await newPerson();
}, 120_000);

afterAll(() => w?.stop());

describe('the words on the pages', () => {
  it('come from one dictionary with the same keys in Chinese and English', async () => {
    const { DICTIONARY } = await import(pathToFileURL(join(WEB, 'i18n.js')).href);
    const zh = Object.keys(DICTIONARY.zh).sort();
    expect(Object.keys(DICTIONARY.en).sort()).toEqual(zh);
    for (const lang of ['zh', 'en']) for (const key of zh) expect(DICTIONARY[lang][key], `${lang} ${key}`).toMatch(/\S/);
  });

  it('are not written into any other module (no Chinese outside the dictionary, comments aside)', async () => {
    // The dictionary is i18n.js and the parts it merges (i18n-problems.js, i18n-labels.js, …).
    const files = (await readdir(WEB, { recursive: true })).filter((f) => /\.(js|html)$/.test(f) && !/(^|\/)i18n(-[a-z]+)?\.js$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const code = (await readFile(join(WEB, file), 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');
      expect(code.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g), file).toBeNull();
    }
  });
});

describe('the pages', () => {
  it('serves the app at / with a revalidating cache and a strict content policy, and the API docs', async () => {
    const res = await fetch(`${h.http.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const js = await fetch(`${h.http.baseUrl}/i18n.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    // The API keeps its own answers, and asks for a sign-in.
    const api = await fetch(`${h.http.baseUrl}/api/nothing`);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${h.http.baseUrl}/api/hazards`)).status).toBe(401);
    const docs = await fetch(`${h.http.baseUrl}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('asks for a sign-in, refuses a wrong password without saying which part was wrong, then signs in', async () => {
    const { page } = people.supervisor;
    await page.goto('/');
    await heading(page, '登录').waitFor();
    expect(new URL(page.url()).hash).toBe('#/login');
    // An English browser in New York, and the page speaks Chinese all the same.
    expect(await page.evaluate('[navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]')).toEqual(['en-US', 'America/New_York']);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('navigation', { name: '主导航' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API 接口文档' }).getAttribute('href')).toBe('/api/docs/');
    await page.screenshot({ path: '/tmp/duban-login.png', fullPage: true });

    // Nothing typed: said before anything is sent.
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const problem = page.locator('form[data-form="login"] .problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('用户名：此项为必填项');

    await signIn(page, 'supervisor-a', 'not the password');
    await problem.getByText('用户名或密码不正确').waitFor();
    const wrongPassword = await problem.textContent();
    expect(wrongPassword).toContain('HTTP 401');
    expect(await page.getByLabel('密码').inputValue()).toBe('');
    // An unknown name gets the very same answer.
    await signIn(page, 'nobody-here', 'whatever');
    await page.locator('form[data-form="login"] button[type="submit"]:not([disabled])').waitFor();
    expect(await problem.textContent()).toBe(wrongPassword);
    expect(await storedSession(page)).toBeNull();
    await page.screenshot({ path: '/tmp/duban-login-refused.png', fullPage: true });

    await signIn(page, 'supervisor-a');
    await heading(page, '隐患台账').waitFor();
    expect(await text(page, '.user-name')).toBe('supervisor-a');
    expect(await text(page, '.user-role')).toBe('执法人员');
    await page.getByRole('button', { name: '退出' }).waitFor();
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['督办看板', '隐患台账', '登记隐患', '执法检查', '停产整顿', '督办通知', '待我处理的升级', '专项行动']);
    const kept = JSON.parse((await storedSession(page))!);
    expect(kept).toMatchObject({ token: expect.any(String), user: { username: 'supervisor-a', role: 'supervisor' } });
    expect(Date.parse(kept.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('shows the ledger in Chinese within the supervisor’s reach: filters, overdue badge, escalation level, next step', async () => {
    const { page } = people.supervisor;
    const row = page.locator('tr', { hasText: OVERDUE_TITLE });
    await row.waitFor();
    expect(await row.locator('.col-enterprise').textContent()).toBe(ENTERPRISE_A);
    expect(await row.locator('.col-grade').textContent()).toBe('重大');
    expect(await row.locator('.col-status').textContent()).toBe('整改中');
    expect(await row.locator('.col-deadline').textContent()).toBe(addDays(today(), -5));
    expect(await row.locator('.col-overdue').textContent()).toBe('逾期 5 天');
    expect(await row.locator('.col-escalation').textContent()).toBe('2 级');
    const overdue = await fetchHazard(overdueId);
    expect(await row.locator('.col-next').textContent()).toBe(`升级督办${shanghaiDateTime(overdue.next.at)}`);
    // The other county's hazard is not within reach.
    expect(await text(page, '.total')).toContain('共 1 条');
    expect(await page.getByText(OUT_OF_REACH_TITLE).count()).toBe(0);

    await page.getByLabel('状态').selectOption({ label: '已销号' });
    await page.getByText('没有符合条件的隐患。').waitFor();
    expect(await text(page, '.total')).toContain('共 0 条');
    await page.getByRole('link', { name: '清除筛选' }).click();
    await row.waitFor();
  });

  it('registers a hazard through the form (supervisor) and shows it', async () => {
    const { page } = people.supervisor;
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '登记隐患' }).click();
    await heading(page, '登记隐患').waitFor();
    // Only enterprises within reach are offered.
    const options = await page.getByLabel('企业').locator('option').allTextContents();
    expect(options).toContain(ENTERPRISE_A);
    expect(options).not.toContain(ENTERPRISE_B);

    // Required fields left empty: said next to the form before anything is sent.
    await page.getByRole('button', { name: '登记', exact: true }).click();
    const problem = page.locator('form .problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('隐患名称：此项为必填项');
    expect(await page.getByLabel('隐患名称').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('企业').selectOption({ label: ENTERPRISE_A });
    await page.getByLabel('隐患名称').fill(TITLE);
    await page.getByLabel('隐患类别').fill('电气安全');
    await page.getByLabel('隐患来源').selectOption({ label: '网格巡查' });
    await page.getByLabel('隐患等级').selectOption({ label: '一般隐患' });
    await page.getByLabel('整改期限').fill(addDays(today(), 15));
    await page.getByLabel('具体位置').fill('1 号厂房配电室');
    await page.getByLabel('整改要求').fill('配备绝缘垫并张贴警示标识');
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await heading(page, TITLE).waitFor();
    hazardId = decodeURIComponent(new URL(page.url()).hash.replace('#/hazards/', ''));
    expect(hazardId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await text(page, '.notice-success')).toBe('隐患已登记。');
    expect(await text(page, '.detail-head .badges')).toContain('整改中');
    expect(await text(page, '.detail-sub')).toBe(`${ENTERPRISE_A} · 电气安全`);
    expect(await events(page)).toEqual(['registered']);
    // The supervisor does not submit: no upload, no submission form; it is the enterprise's move.
    // (The supervisor's own commands on the hazard sit in their own card.)
    expect(await page.locator('.actions form[data-form]').count()).toBe(0);
    expect(await page.locator('form[data-form="submission"]').count()).toBe(0);
    expect(await text(page, '.actions')).toContain('等待企业上传整改证据并提交');
    expect(await text(page, '.evidence')).toContain('尚未上传整改证据。');
    expect(await page.locator('main').textContent()).not.toMatch(/null|undefined|NaN/);

    const saved = await fetchHazard(hazardId);
    expect(saved).toMatchObject({ title: TITLE, source: 'grid_patrol', grade: 'general', deadline: addDays(today(), 15), createdBy: 'supervisor-a' });
    const registered = page.locator('.event-registered');
    expect(await registered.locator('.event-time').textContent()).toBe(shanghaiDateTime(saved.timeline[0].occurredAt));
    expect(await registered.locator('.event-actor').textContent()).toBe('办理人：supervisor-a');
    expect(await text(page, '.record')).toContain(`提醒${shanghaiDateTime(saved.next.at)}`);
  });

  it('drives the hazard through uploads, a rejection and a second round to closure', async () => {
    const { page: ent } = people.enterprise;
    const { page: svr, context: svrContext } = people.supervisor;

    // The enterprise follows a link to the hazard, signs in, and is taken back to it.
    await ent.goto(`/#/hazards/${hazardId}`);
    await signIn(ent, 'enterprise-a');
    await heading(ent, TITLE).waitFor();
    expect(await text(ent, '.user-role')).toBe('企业');
    expect(await ent.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents()).toEqual(['隐患台账', '停产整顿', '督办通知']);

    // A file that only claims to be a photo: previewed, then refused by the API (415), said in words under the picker.
    const picker = ent.getByLabel('选择照片或文件');
    expect(await picker.getAttribute('accept')).toBe('image/jpeg,image/png,image/webp,application/pdf');
    expect(await picker.getAttribute('multiple')).not.toBeNull();
    await picker.setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a photo') });
    await ent.getByRole('button', { name: '上传 1 个文件' }).click();
    const uploadProblem = ent.locator('.upload-part .problem');
    await uploadProblem.waitFor();
    expect(await uploadProblem.textContent()).toContain('HTTP 415');
    expect(await uploadProblem.textContent()).toContain('fake.jpg：文件未通过检查');
    expect(await uploadProblem.textContent()).not.toContain('not an accepted type');
    await ent.getByRole('button', { name: '移除 fake.jpg' }).click();

    // Nothing uploaded yet: nothing to submit.
    await ent.getByRole('button', { name: '提交整改' }).click();
    const submitProblem = ent.locator('form[data-form="submission"] > .problem');
    await submitProblem.getByText('请至少勾选一个证据文件').waitFor();

    // A photo and a report; only the photo goes into this round.
    await picker.setInputFiles([
      { name: '整改前.jpg', mimeType: 'image/jpeg', buffer: SAMPLE_JPEG },
      { name: '检测报告.pdf', mimeType: 'application/pdf', buffer: SAMPLE_PDF },
    ]);
    await ent.getByRole('button', { name: '上传 2 个文件' }).click();
    await ent.getByText('已上传 2 个文件。').waitFor();
    expect(await uploadProblem.isHidden()).toBe(true);
    const photo = ent.getByRole('checkbox', { name: /整改前\.jpg/ });
    const report = ent.getByRole('checkbox', { name: /检测报告\.pdf/ });
    expect(await photo.isChecked()).toBe(true);
    expect(await report.isChecked()).toBe(true);
    const photoRow = ent.locator('.evidence tr', { hasText: '整改前.jpg' });
    expect(await photoRow.locator('.col-type').textContent()).toBe('JPEG 图片');
    expect(await photoRow.locator('.col-size').textContent()).toBe(`${SAMPLE_JPEG.length} B`);
    expect(await photoRow.locator('.col-captured').textContent()).toBe(SAMPLE_TAKEN);
    expect(await photoRow.locator('.col-round').textContent()).toBe('未提交');
    expect(await ent.locator('.evidence tr', { hasText: '检测报告.pdf' }).locator('.col-type').textContent()).toBe('PDF 文件');
    await report.uncheck();
    await ent.getByLabel('整改说明').fill('已配备绝缘垫');
    await ent.screenshot({ path: '/tmp/duban-submit.png', fullPage: true });
    await ent.getByRole('button', { name: '提交整改' }).click();
    await ent.getByText('整改已提交，等待复查。').waitFor();
    expect(await text(ent, '.detail-head .badges')).toContain('待复查');
    expect(await ent.locator('form[data-form]').count()).toBe(0);
    expect(await photoRow.locator('.col-round').textContent()).toBe('第 1 轮');
    expect(await ent.locator('.evidence tr', { hasText: '检测报告.pdf' }).locator('.col-round').textContent()).toBe('未提交');
    expect(await text(ent, '.actions')).toContain('等待执法人员复查');

    // The supervisor sees the submitted photo and downloads it (fetched with the token, saved as a blob).
    await svr.reload();
    await svr.getByRole('button', { name: '提交复查意见' }).waitFor();
    const submission = svr.locator('.submission');
    expect(await submission.textContent()).toContain('整改前.jpg');
    expect(await submission.textContent()).not.toContain('检测报告.pdf');
    expect(await submission.textContent()).toContain('已配备绝缘垫');
    const [download] = await Promise.all([svr.waitForEvent('download'), submission.getByRole('button', { name: '下载 整改前.jpg' }).click()]);
    expect(download.suggestedFilename()).toBe('整改前.jpg');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(SAMPLE_JPEG)).toBe(true);
    expect(await svr.locator('.event-rectification_submitted').textContent()).toContain('整改前.jpg');
    await svr.screenshot({ path: '/tmp/duban-review.png', fullPage: true });

    // Rejected: first with a deadline already past (refused by the workflow, 422) ...
    await svr.getByLabel('驳回（重新整改）').check();
    await svr.getByLabel('驳回理由第 1 条').fill('未张贴警示标识');
    await svr.getByLabel('新整改期限').fill(addDays(today(), -3));
    await svr.getByRole('button', { name: '提交复查意见' }).click();
    const problem = svr.locator('form[data-form="review"] .problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('HTTP 422');
    expect(await problem.textContent()).toContain('新整改期限：日期不能早于今天。');
    expect(await svr.getByLabel('新整改期限').getAttribute('aria-invalid')).toBe('true');

    // ... then with a proper one: round 2 begins.
    const newDeadline = addDays(today(), 7);
    await svr.getByLabel('新整改期限').fill(newDeadline);
    await svr.getByRole('button', { name: '提交复查意见' }).click();
    await svr.getByText('已驳回，进入第 2 轮整改。').waitFor();
    expect(await text(svr, '.detail-head .badges')).toMatch(/整改中.*第 2 轮/);
    const rejected = svr.locator('.event-review_rejected');
    expect(await rejected.textContent()).toContain('未张贴警示标识');
    expect(await rejected.textContent()).toContain(`新整改期限${newDeadline}`);
    expect(await rejected.locator('.event-actor').textContent()).toBe('办理人：supervisor-a');

    // Round 2: the photo of round 1 is frozen; the report left over and a new photo go in.
    await ent.reload();
    await ent.getByRole('button', { name: '提交整改' }).waitFor();
    expect(await ent.getByRole('checkbox', { name: /整改前\.jpg/ }).count()).toBe(0);
    expect(await report.isChecked()).toBe(true);
    await ent.getByLabel('选择照片或文件').setInputFiles({ name: '整改后.jpg', mimeType: 'image/jpeg', buffer: SAMPLE_JPEG });
    await ent.getByRole('button', { name: '上传 1 个文件' }).click();
    await ent.getByText('已上传 1 个文件。').waitFor();
    expect(await ent.getByRole('checkbox', { name: /整改后\.jpg/ }).isChecked()).toBe(true);
    expect(await report.isChecked()).toBe(true);
    await ent.getByRole('button', { name: '提交整改' }).click();
    await ent.getByText('整改已提交，等待复查。').waitFor();

    // A second tab of the supervisor opens the hazard while it waits for review.
    const stale = watch(await svrContext.newPage());
    await stale.goto(`/#/hazards/${hazardId}`);
    await stale.getByRole('button', { name: '提交复查意见' }).waitFor();

    // Accepted: closed (销号). (A tab in the background gets no animation frames: front it first.)
    await svr.bringToFront();
    await svr.reload();
    await svr.getByLabel('通过（销号）').check();
    await svr.getByLabel('复查意见', { exact: true }).fill('整改到位');
    await svr.getByRole('button', { name: '提交复查意见' }).click();
    await svr.getByText('复查通过，隐患已销号。').waitFor();
    expect(await text(svr, '.detail-head .badges')).toContain('已销号');
    expect(await text(svr, '.actions')).toContain('该隐患已销号，无需进一步办理。');
    expect(await svr.locator('main').textContent()).not.toMatch(/null|undefined|NaN/);
    expect(await events(svr)).toEqual(['registered', 'rectification_submitted', 'review_rejected', 'rectification_submitted', 'review_accepted']);
    const rounds = Object.fromEntries(
      await Promise.all(
        ['整改前.jpg', '检测报告.pdf', '整改后.jpg'].map(async (name) => [name, await svr.locator('.evidence tr', { hasText: name }).locator('.col-round').textContent()]),
      ),
    );
    expect(rounds).toEqual({ '整改前.jpg': '第 1 轮', '检测报告.pdf': '第 2 轮', '整改后.jpg': '第 2 轮' });
    expect((await fetchHazard(hazardId)).timeline.map((e: { actor: string }) => e.actor)).toEqual([
      'supervisor-a',
      'enterprise-a',
      'supervisor-a',
      'enterprise-a',
      'supervisor-a',
    ]);
    const files = (await sup('GET', `/api/hazards/${hazardId}/evidence`)).body.items;
    // Files uploaded together share their upload time: their order among themselves is not fixed.
    expect(files.map((f: { originalName: string; submittedRound: number }) => [f.originalName, f.submittedRound]).sort()).toEqual([
      ['整改前.jpg', 1],
      ['整改后.jpg', 2],
      ['检测报告.pdf', 2],
    ].sort());
    await svr.screenshot({ path: '/tmp/duban-detail.png', fullPage: true });

    // The refused action: the second tab still offers a review; the API says no (409).
    await stale.bringToFront();
    await stale.getByLabel('驳回（重新整改）').check();
    await stale.getByLabel('驳回理由第 1 条').fill('再查一次');
    await stale.getByLabel('新整改期限').fill(addDays(today(), 3));
    await stale.getByRole('button', { name: '提交复查意见' }).click();
    const refused = stale.locator('form[data-form="review"] .problem');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('HTTP 409');
    expect(await refused.textContent()).toContain('该隐患已销号或已作废');
    expect(await refused.textContent()).not.toContain('the hazard is closed');
    await refused.getByRole('button', { name: '重新加载' }).click();
    await stale.locator('.detail-head .badges', { hasText: '已销号' }).waitFor();
    await stale.close();

    // The ledger lists it as closed.
    await svr.goto('/#/?status=closed');
    await svr.locator('tr', { hasText: TITLE }).locator('.col-status', { hasText: '已销号' }).waitFor();
  });

  it('pages through the ledger with the cursor', async () => {
    const { page } = people.supervisor;
    await page.goto('/#/?limit=1');
    await page.getByText('共 2 条').waitFor();
    // Counted with the first page: no as-of; the next page states the first page's total as of its count.
    expect(await page.locator('.total .total-as-of').count()).toBe(0);
    const first = await page.locator('tbody tr').getAttribute('data-hazard-id');
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByText('第 2 页').waitFor();
    expect(await text(page, '.total .total-as-of')).toMatch(/^（首页统计于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}）$/);
    const second = await page.locator('tbody tr').getAttribute('data-hazard-id');
    expect(second).not.toBe(first);
    expect(await page.getByRole('button', { name: '下一页' }).count()).toBe(0);
    await page.getByRole('button', { name: '上一页' }).click();
    await page.getByText('第 1 页').waitFor();
    expect(await page.locator('tbody tr').getAttribute('data-hazard-id')).toBe(first);

    await page.goto('/');
    await page.locator('tbody tr').nth(1).waitFor();
    await page.screenshot({ path: '/tmp/duban-ledger.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/duban-ledger-narrow.png', fullPage: true });
    await page.goto(`/#/hazards/${hazardId}`);
    await heading(page, TITLE).waitFor();
    await page.screenshot({ path: '/tmp/duban-detail-narrow.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lets a leader read the ledger and the records, urge (催办) an open hazard and find it among their urges', async () => {
    const { page } = people.leader;
    await page.goto('/');
    await signIn(page, 'leader-a');
    // A leader lands on the figures of their jurisdiction; the ledger is one link away.
    await page.locator('.page.dashboard').waitFor();
    expect(await text(page, '.user-role')).toBe('领导');
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['督办看板', '隐患台账', '执法检查', '停产整顿', '督办通知', '我的催办', '待我处理的升级', '专项行动', '督办会材料']);
    await nav.getByRole('link', { name: '隐患台账' }).click();
    await heading(page, '隐患台账').waitFor();
    await page.getByText('共 2 条').waitFor();
    expect(await page.getByText(OUT_OF_REACH_TITLE).count()).toBe(0);
    expect(await page.getByRole('link', { name: '登记隐患' }).count()).toBe(0);

    await page.locator('tr', { hasText: OVERDUE_TITLE }).getByRole('link').click();
    await heading(page, OVERDUE_TITLE).waitFor();
    expect(await text(page, '.actions')).toContain('等待企业上传整改证据并提交');
    // Besides the commands a leader gives (issue a notice, reassign, delegate, change the policy version, void), urge it, with words of their own.
    expect(await page.locator('form[data-form]:not(.command-form), input[type="file"]').count()).toBe(1);
    expect(await page.locator('.commands [data-command]').evaluateAll((els) => els.map((e) => e.getAttribute('data-command')))).toEqual(['issue-notice', 'reassign', 'delegate', 'change-policy', 'void']);
    const urge = page.locator('form[data-form="urge"]');
    await urge.getByLabel('催办意见').fill('本周内完成整改');
    await urge.getByRole('button', { name: '催办' }).click();
    await page.getByText('已催办，企业和监管人员已收到通知。').waitFor();
    expect((await events(page)).at(-1)).toBe('urged');
    const urged = page.locator('.events .event').last();
    expect(await urged.locator('.event-type').textContent()).toBe('领导催办');
    expect(await urged.textContent()).toContain('本周内完成整改');
    expect(await urged.textContent()).toContain('leader-a');
    await page.screenshot({ path: '/tmp/duban-urged-hazard.png', fullPage: true });
    // Urged again the same day: refused, with the reason beside the button.
    await page.locator('form[data-form="urge"]').getByRole('button', { name: '催办' }).click();
    await page.locator('form[data-form="urge"] .problem').waitFor();
    expect(await text(page, 'form[data-form="urge"] .problem')).toContain('该事项刚催办过');
    expect((await events(page)).filter((e) => e === 'urged')).toHaveLength(1);

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的催办' }).click();
    await heading(page, '我的催办').waitFor();
    const row = page.locator(`tr[data-item-id="${overdueId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('本周内完成整改');
    expect(await row.textContent()).toContain('未推进');
    await page.screenshot({ path: '/tmp/duban-urges.png', fullPage: true });
    // leader-a answers for enterprise A (包联): the overdue hazard's escalation to its 包联 leader is theirs.
    await h.database.db.update(enterprises).set({ responsibleLeaderId: h.world.users['leader-a'] }).where(eq(enterprises.id, h.world.enterpriseA));
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待我处理的升级' }).click();
    await heading(page, '待我处理的升级').waitFor();
    const escalated = page.locator(`tr[data-item-id="${overdueId}"]`);
    await escalated.first().waitFor();
    expect(await escalated.first().textContent()).toContain('包联领导');
    await page.screenshot({ path: '/tmp/duban-escalations.png', fullPage: true });

    await page.goto(`/#/hazards/${hazardId}`);
    await heading(page, TITLE).waitFor();
    // Nothing of the enterprise's or the reviewer's to do; the leader's own commands sit in their card.
    expect(await page.locator('form[data-form]').evaluateAll((els) => els.filter((e) => !e.closest('.commands')).map((e) => e.getAttribute('data-form')))).toEqual([]);
    // Reading includes the evidence: downloads only, nothing else to press; the printed documents
    // and the case file have their own download buttons.
    const buttons = await page
      .locator('main button')
      .evaluateAll((els) => els.filter((e) => !e.closest('.commands, .documents, .case-file')).map((e) => e.getAttribute('aria-label') ?? e.textContent));
    expect(buttons.length).toBe(3);
    for (const b of buttons) expect(b).toMatch(/^下载 /);
    expect(await page.locator('.case-file button.pdf-button').count()).toBe(2);

    await page.goto('/#/hazards/new');
    await page.getByText('只有执法人员可以登记隐患。').waitFor();
    expect(await page.locator('form').count()).toBe(0);
  });

  it('lets a leader assemble a review pack for the period so far and read its tables, each count opening its list', async () => {
    const { page } = people.leader;
    await page.goto('/#/review-packs');
    await heading(page, '双月督办会材料').waitFor();
    await page.getByRole('button', { name: '生成本期至今的材料' }).click();
    // The workflow stores the pack within moments; the page says so until then.
    const packHeading = page.getByRole('heading', { level: 1, name: /督办会材料$/ }).filter({ hasNotText: '双月' });
    await until(async () => {
      try {
        await packHeading.waitFor({ timeout: 2_000 });
        return true;
      } catch {
        await page.reload();
        return false;
      }
    }, 20_000);
    const overdue = page.locator('section.pack-overdue');
    await overdue.getByText(OVERDUE_TITLE).waitFor();
    expect(await overdue.getByText(OUT_OF_REACH_TITLE).count()).toBe(0);
    const links = await page.locator('section.pack-overview a.figure-link').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect(href).toMatch(/^#\/hazards\?.*region=/);
    await page.getByRole('link', { name: '督办会材料' }).click();
    await heading(page, '双月督办会材料').waitFor();
    await page.locator('table.review-packs tbody tr a.pack-link').first().waitFor();
  });

  it('sends the person to the sign-in page when the token is refused or expired, and back afterwards', async () => {
    const { page } = people.leader;
    // A token the API refuses (401): the sign-in page, then back where they were.
    await page.goto(`/#/hazards/${hazardId}`);
    await heading(page, TITLE).waitFor();
    await alterSession(page, { token: 'not-a-token' });
    await page.reload();
    await page.getByText('登录已失效，请重新登录。').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/login?next=${encodeURIComponent(`#/hazards/${hazardId}`)}`);
    expect(await storedSession(page)).toBeNull();
    await signIn(page, 'leader-a');
    await heading(page, TITLE).waitFor();

    // A session past its expiry is never sent: straight to the sign-in page.
    await alterSession(page, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) sent.push(r.url());
    });
    await page.reload();
    await heading(page, '登录').waitFor();
    expect(sent).toEqual([]);
    await until(async () => (await storedSession(page)) === null, 5_000);
  });

  it('switches to English and keeps the choice', async () => {
    const { page } = people.supervisor;
    await page.goto(`/#/hazards/${hazardId}`);
    await heading(page, TITLE).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Timeline' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await text(page, '.detail-head .badges')).toContain('Closed');
    expect(await text(page, '.event-review_rejected .event-type')).toBe('Review rejected');
    expect(await text(page, '.event-review_accepted .event-actor')).toBe('By: supervisor-a');
    expect(await text(page, '.user-role')).toBe('Supervisor');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    const photoRow = page.locator('.evidence tr', { hasText: '整改前.jpg' });
    expect(await photoRow.locator('.col-type').textContent()).toBe('JPEG');
    expect(await photoRow.locator('.col-round').textContent()).toBe('Round 1');
    expect(await photoRow.locator('.col-captured').textContent()).toBe(SAMPLE_TAKEN);
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: '/tmp/duban-detail-en.png', fullPage: true });

    await page.reload();
    await page.getByRole('link', { name: 'Hazard ledger' }).click();
    await heading(page, 'Hazard ledger').waitFor();
    const row = page.locator('tr', { hasText: OVERDUE_TITLE });
    expect(await row.locator('.col-overdue').textContent()).toBe('5 d overdue');
    expect(await row.locator('.col-escalation').textContent()).toBe('Level 2');
    expect(await row.locator('.col-grade').textContent()).toBe('Major');
    expect(await page.locator('thead').textContent()).toContain('Next step');
    expect(await page.title()).toContain('Hazard ledger');

    await page.getByRole('button', { name: '中文' }).click();
    await heading(page, '隐患台账').waitFor();
  });

  it('lets the enterprise ask for an extension and a supervisor approve an earlier date; a request over the limit is refused naming it', async () => {
    const { page: ent } = people.enterprise;
    const { page: svr } = people.supervisor;
    const deadline = addDays(today(), 15);
    const extId = randomUUID();
    await startImported(extId, h.world.enterpriseA, EXTENSION_TITLE, deadline, 'general');
    await until(async () => (await sup('GET', `/api/hazards/${extId}`)).status === 200, 15_000);

    // The enterprise: the request form, with where the hazard stands against the policy's limits.
    await ent.bringToFront();
    await ent.goto(`/#/hazards/${extId}`);
    await heading(ent, EXTENSION_TITLE).waitFor();
    const requestForm = ent.locator('form[data-form="extension-request"]');
    await requestForm.waitFor();
    expect(await ent.getByRole('heading', { level: 2, name: '申请延期' }).count()).toBe(1);
    const limits = requestForm.locator('.extension-limits');
    expect(await limits.locator('[data-limit="maxCount"]').textContent()).toBe('2 次（每轮最多 2 次）');
    expect(await limits.locator('[data-limit="maxTotalDays"]').textContent()).toBe(`30 天（最晚延至 ${addDays(deadline, 30)}）`);
    expect(await limits.locator('[data-limit="minLeadDays"]').textContent()).toBe(`须在整改期限前至少 1 天申请，最晚 ${addDays(deadline, -1)} 当日`);
    expect(await ent.getByLabel('申请延期至').getAttribute('min')).toBe(addDays(deadline, 1));

    // Nothing typed: said before anything is sent.
    await ent.getByRole('button', { name: '申请延期' }).click();
    const requestProblem = requestForm.locator('.problem');
    await requestProblem.waitFor();
    expect(await requestProblem.textContent()).toContain('申请延期至：此项为必填项');
    expect(await requestProblem.textContent()).toContain('理由：此项为必填项');

    const asked = addDays(deadline, 10);
    await ent.getByLabel('申请延期至').fill(asked);
    await ent.getByLabel('延期理由').fill('防火堤修复需等待混凝土养护');
    await ent.getByRole('button', { name: '申请延期' }).click();
    await ent.getByText('延期申请已提交，等待执法人员审批。').waitFor();
    expect(await text(ent, '.detail-head .badges')).toContain('延期待批');
    expect(await requestForm.count()).toBe(0);
    const entPending = ent.locator('.extension');
    expect(await text(ent, '.extension h2')).toBe('待审批的延期申请');
    expect(await text(ent, '.extension .requested-deadline')).toBe(asked);
    expect(await text(ent, '.extension .extension-reason')).toBe('防火堤修复需等待混凝土养护');
    expect(await entPending.textContent()).toContain('等待执法人员审批');
    expect(await ent.locator('form[data-form="extension-decision"]').count()).toBe(0);
    // The evidence can still be submitted meanwhile.
    expect(await ent.locator('form[data-form="submission"]').count()).toBe(1);
    const requestedEvent = ent.locator('.event-extension_requested');
    expect(await requestedEvent.locator('.event-type').textContent()).toBe('申请延期');
    expect(await requestedEvent.textContent()).toContain(`申请延期至${asked}`);
    expect(await requestedEvent.textContent()).toContain(`当时整改期限${deadline}`);
    expect(await requestedEvent.textContent()).toContain('延期理由防火堤修复需等待混凝土养护');

    // The supervisor: the ledger marks it; the record shows the request and the decision form.
    await svr.bringToFront();
    await svr.goto('/');
    const row = svr.locator('tr', { hasText: EXTENSION_TITLE });
    await row.locator('.col-status .badge-extension-pending', { hasText: '延期待批' }).waitFor();
    expect(await svr.locator('tr', { hasText: OVERDUE_TITLE }).locator('.badge-extension-pending').count()).toBe(0);
    await svr.screenshot({ path: '/tmp/duban-extension-ledger.png', fullPage: true });
    await row.getByRole('link').click();
    await heading(svr, EXTENSION_TITLE).waitFor();
    const pendingApi = (await fetchHazard(extId)).extension.pending;
    const svrPending = svr.locator('.extension');
    expect(await text(svr, '.extension .requested-deadline')).toBe(asked);
    expect(await text(svr, '.extension .requested-by')).toBe('enterprise-a');
    expect(await svrPending.locator('.extension-request time').nth(2).textContent()).toBe(shanghaiDateTime(pendingApi.requestedAt));
    expect(await svrPending.textContent()).toContain('防火堤修复需等待混凝土养护');
    expect(await svr.locator('form[data-form="extension-request"]').count()).toBe(0);
    await svr.getByLabel('批准延期', { exact: true }).check();
    const approveUntil = svr.getByLabel('批准延期至');
    expect(await approveUntil.inputValue()).toBe(asked);
    expect(await approveUntil.getAttribute('max')).toBe(asked);
    await svr.screenshot({ path: '/tmp/duban-extension-pending.png', fullPage: true });

    // Later than asked: refused by the workflow (422), said next to the form.
    await approveUntil.fill(addDays(asked, 2));
    await svr.getByRole('button', { name: '提交审批' }).click();
    const decisionProblem = svr.locator('form[data-form="extension-decision"] .problem');
    await decisionProblem.waitFor();
    expect(await decisionProblem.textContent()).toContain('HTTP 422');
    expect(await decisionProblem.textContent()).toContain('批准的日期不能晚于企业申请的日期。');
    expect(await approveUntil.getAttribute('aria-invalid')).toBe('true');

    // An earlier date than asked: the deadline moves there.
    const granted = addDays(deadline, 7);
    await approveUntil.fill(granted);
    await svr.getByRole('button', { name: '提交审批' }).click();
    await svr.getByText(`已批准延期，整改期限改为 ${granted}。`).waitFor();
    expect(await text(svr, '.record .deadline')).toBe(granted);
    expect(await text(svr, '.record .original-deadline')).toBe(deadline);
    expect(await text(svr, '.record')).toContain('本轮已延期1 次，共 7 天');
    expect(await text(svr, '.detail-head .badges')).not.toContain('延期待批');
    expect(await svr.locator('.extension').count()).toBe(0);
    expect(await events(svr)).toEqual(['registered', 'extension_requested', 'extension_approved']);
    const approvedEvent = svr.locator('.event-extension_approved');
    expect(await approvedEvent.locator('.event-type').textContent()).toBe('批准延期');
    expect(await approvedEvent.locator('.event-actor').textContent()).toBe('办理人：supervisor-a');
    for (const said of [`原整改期限${deadline}`, `新整改期限${granted}`, `申请延期至${asked}`, '延长7 天（本轮累计 7 天）', '延期次数本轮第 1 次', '申请人enterprise-a']) {
      expect(await approvedEvent.textContent()).toContain(said);
    }
    const extended = await fetchHazard(extId);
    expect(extended).toMatchObject({ deadline: granted, extension: { pending: null, grantedThisRound: 1, originalDeadline: deadline } });
    expect(await text(svr, '.record')).toContain(`提醒${shanghaiDateTime(extended.next.at)}`);

    // The enterprise again: one extension left, 23 days; a date not later than the deadline, then
    // one past the policy's 30 days, are refused (422), the second naming the limit.
    await ent.bringToFront();
    await ent.reload();
    await requestForm.waitFor();
    expect(await text(ent, '.record .deadline')).toBe(granted);
    expect(await limits.locator('[data-limit="maxCount"]').textContent()).toBe('1 次（每轮最多 2 次）');
    expect(await limits.locator('[data-limit="maxTotalDays"]').textContent()).toBe(`23 天（最晚延至 ${addDays(deadline, 30)}）`);
    expect(await limits.textContent()).toContain(`原定整改期限${deadline}`);
    await ent.getByLabel('申请延期至').fill(granted);
    await ent.getByLabel('延期理由').fill('混凝土养护期延长');
    await ent.getByRole('button', { name: '申请延期' }).click();
    await requestProblem.getByText('申请的日期须晚于当前整改期限。').first().waitFor();
    expect(await requestProblem.textContent()).toContain('HTTP 422');
    expect(await requestProblem.locator('.problem-limit').count()).toBe(0);

    await ent.getByLabel('申请延期至').fill(addDays(deadline, 31));
    await ent.getByRole('button', { name: '申请延期' }).click();
    const limitChip = requestProblem.locator('.problem-limit[data-limit="extension.maxTotalDays"]');
    await limitChip.waitFor();
    expect(await limitChip.textContent()).toBe('政策限制：每轮累计最多延长 30 天');
    expect(await requestProblem.textContent()).toContain('HTTP 422');
    expect(await requestProblem.textContent()).toContain('申请的日期超过了本轮可延长的天数。');
    expect(await ent.getByLabel('申请延期至').getAttribute('aria-invalid')).toBe('true');
    expect(await ent.getByLabel('申请延期至').inputValue()).toBe(addDays(deadline, 31));
    expect((await fetchHazard(extId)).extension.pending).toBeNull();
    await ent.screenshot({ path: '/tmp/duban-extension.png', fullPage: true });

    // A request within the limits, denied with a reason: the deadline stays.
    await ent.getByLabel('申请延期至').fill(addDays(deadline, 12));
    await ent.getByRole('button', { name: '申请延期' }).click();
    await ent.getByText('延期申请已提交，等待执法人员审批。').waitFor();
    await svr.bringToFront();
    await svr.reload();
    await svr.getByRole('button', { name: '提交审批' }).waitFor();
    await svr.getByLabel('不予延期', { exact: true }).check();
    await svr.getByRole('button', { name: '提交审批' }).click();
    await decisionProblem.getByText('理由：此项为必填项').waitFor();
    await svr.getByLabel('不予延期的理由').fill('已延期一次，剩余工作量期限内可完成');
    await svr.getByRole('button', { name: '提交审批' }).click();
    await svr.getByText('已不予延期，整改期限不变。').waitFor();
    expect(await text(svr, '.record .deadline')).toBe(granted);
    expect(await events(svr)).toEqual(['registered', 'extension_requested', 'extension_approved', 'extension_requested', 'extension_denied']);
    const deniedEvent = svr.locator('.event-extension_denied');
    expect(await deniedEvent.textContent()).toContain(`申请延期至${addDays(deadline, 12)}`);
    expect(await deniedEvent.textContent()).toContain('不予延期的理由已延期一次，剩余工作量期限内可完成');
    expect(await svr.locator('main').textContent()).not.toMatch(/null|undefined|NaN/);

    // The same in English.
    await svr.getByRole('button', { name: 'English' }).click();
    await svr.getByRole('heading', { level: 2, name: 'Timeline' }).waitFor();
    expect(await text(svr, '.event-extension_requested .event-type')).toBe('Extension requested');
    expect(await text(svr, '.event-extension_approved .event-type')).toBe('Extension approved');
    expect(await text(svr, '.event-extension_denied .event-type')).toBe('Extension denied');
    expect(await svr.locator('.event-extension_approved').textContent()).toContain(`New deadline${granted}`);
    expect(await svr.locator('.event-extension_approved').textContent()).toContain('Added7 d (7 d this round)');
    expect(await svr.locator('.event-extension_denied').textContent()).toContain('Reason for the denial已延期一次');
    expect(await text(svr, '.record')).toContain(`Deadline as ordered${deadline}`);
    await svr.screenshot({ path: '/tmp/duban-extension-en.png', fullPage: true });
    await svr.getByRole('button', { name: '中文' }).click();
    await heading(svr, EXTENSION_TITLE).waitFor();
    await svr.getByRole('heading', { level: 2, name: '办理过程' }).waitFor();

    // Decided: the ledger no longer marks it.
    await svr.goto('/');
    await row.waitFor();
    expect(await row.locator('.badge-extension-pending').count()).toBe(0);
  });

  it('signs out, in every tab at once', async () => {
    const { page, context } = people.supervisor;
    const other = watch(await context.newPage());
    await other.goto(`/#/hazards/${hazardId}`);
    await heading(other, TITLE).waitFor();

    await page.bringToFront();
    await page.getByRole('button', { name: '退出' }).click();
    await heading(page, '登录').waitFor();
    await page.getByText('已退出登录。').waitFor();
    expect(await storedSession(page)).toBeNull();
    await heading(other, '登录').waitFor();
    await other.getByText('已在其他窗口退出登录。').waitFor();
    await other.close();

    // Back is no way in.
    await page.goto('/#/');
    await heading(page, '登录').waitFor();
    expect(consoleErrors).toEqual([]);
  });

  // Last, so the hazards it registers change no count the tests above read.
  it('marks a repeat hazard (重复隐患) and links it to the hazard closed before', async () => {
    const ent = await h.as('enterprise-a');
    const register = async (title: string) => {
      const res = await sup('POST', '/api/hazards', {
        body: { enterpriseId: h.world.enterpriseA, title, category: '有限空间作业', source: 'grid_patrol', grade: 'general', deadline: addDays(today(), 10) },
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; isRepeat: boolean; repeatOf: string | null };
    };
    const first = await register('污水池有限空间未设警示标识');
    const up = await ent('POST', `/api/hazards/${first.id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
    expect((await ent('POST', `/api/hazards/${first.id}/submissions`, { body: { evidence: [up.body.items[0].id] } })).status).toBe(200);
    expect((await sup('POST', `/api/hazards/${first.id}/reviews`, { body: { decision: 'accept' } })).status).toBe(200);
    const repeat = await register('污水池有限空间作业无审批');
    expect(repeat).toMatchObject({ isRepeat: true, repeatOf: first.id });

    const { page, context } = await newPerson();
    await page.goto('/');
    await signIn(page, 'supervisor-a');
    await heading(page, '隐患台账').waitFor();
    const row = page.locator('tr', { hasText: '污水池有限空间作业无审批' });
    expect(await row.locator('.badge-repeat').textContent()).toBe('重复隐患');
    expect(await page.locator('tr', { hasText: '污水池有限空间未设警示标识' }).locator('.badge-repeat').count()).toBe(0);
    await row.getByRole('link').click();
    await heading(page, '污水池有限空间作业无审批').waitFor();
    const badge = page.locator('.badges .badge-repeat');
    expect(await badge.textContent()).toBe('重复隐患');
    expect(await badge.getAttribute('href')).toBe(`#/hazards/${first.id}`);
    await badge.click();
    await heading(page, '污水池有限空间未设警示标识').waitFor();
    expect(await page.locator('.badge-repeat').count()).toBe(0);
    await context.close();
    expect(consoleErrors).toEqual([]);
  });

  it('shows an inspection and registers a failed finding as a hazard from it, linked both ways', async () => {
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const recorded = await sup('POST', '/api/inspections', {
      body: {
        enterpriseId: h.world.enterpriseA,
        location: '二号仓库',
        startedAt: at(80),
        endedAt: at(20),
        findings: [
          { item: '安全出口畅通', result: 'pass' },
          { item: '仓库内电线私拉乱接', result: 'fail', category: '电气安全', grade: 'general', legalBasis: '《安全生产法》第四十一条' },
        ],
      },
    });
    expect(recorded.status).toBe(201);
    const id = recorded.body.id as string;
    const deadline = addDays(today(), 9);

    const { page, context } = await newPerson();
    await page.goto(`/#/inspections/${id}`);
    await signIn(page, 'supervisor-a');
    await heading(page, `执法检查：${ENTERPRISE_A}`).waitFor();
    expect(await text(page, '.record')).toContain('共 2 项，不合格 1 项，已登记隐患 0 项');
    expect(await page.locator('[data-finding="1"] form').count()).toBe(0);
    const finding = page.locator('[data-finding="2"]');
    expect(await finding.locator('.finding-result').textContent()).toBe('不合格');
    await page.screenshot({ path: '/tmp/duban-inspection.png', fullPage: true });
    await finding.getByLabel('整改期限').fill(deadline);
    await finding.getByRole('button', { name: '登记为隐患' }).click();

    await heading(page, '仓库内电线私拉乱接').waitFor();
    await page.getByText('已由检查发现登记为隐患。').waitFor();
    const link = page.locator('.inspection-link');
    expect(await link.textContent()).toBe('检查第 2 项发现');
    await link.click();
    await heading(page, `执法检查：${ENTERPRISE_A}`).waitFor();
    expect(await finding.locator('.hazard-link').textContent()).toBe('仓库内电线私拉乱接');
    expect(await finding.locator('.badge-status-rectifying').textContent()).toBe('整改中');
    expect(await finding.locator('form').count()).toBe(0);
    expect(await text(page, '.record')).toContain('已登记隐患 1 项');

    // A leader reads the same page with nothing to press.
    const leader = await newPerson();
    await leader.page.goto(`/#/inspections/${id}`);
    await signIn(leader.page, 'leader-a');
    await heading(leader.page, `执法检查：${ENTERPRISE_A}`).waitFor();
    expect(await leader.page.locator('main form, main button').count()).toBe(0);
    await leader.context.close();
    await context.close();
    expect(consoleErrors).toEqual([]);
  });

  it('marks 期限待定 only when the deadline itself is provisional, and notes provisional later steps quietly', async () => {
    const years = (await sup('GET', '/api/calendars')).body.items as Array<{ year: number }>;
    let year = Number(today().slice(0, 4));
    while (years.some((y) => y.year === year)) year++;
    // A policy (public reports only) counting the deadline into the year without data, and a date
    // given just before that year, whose escalations only count into it.
    const target = [`${year}-01-15`, addDays(today(), 14)].sort()[1]!;
    const admin = await h.as('admin');
    const days = Math.max(1, Math.round((Date.parse(target) - Date.parse(today())) / 86_400_000 * 5 / 7));
    const saved = await admin('POST', '/api/policies', {
      body: { grade: 'general', source: 'public_report', policy: { ...DEFAULT_POLICIES.general, deadline: { days, unit: 'working', legalBasis: '《安全生产事故隐患排查治理暂行规定》第二十条' } }, note: '页面测试' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const counted = await sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: '群众举报：仓库堆放杂物', category: '消防安全', source: 'public_report', grade: 'general' } });
    expect(counted.status, JSON.stringify(counted.body)).toBe(201);
    const lastDay = `${year - 1}-12-31`;
    const given = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '年末期限的隐患', category: '消防安全', source: 'inspection', grade: 'general', deadline: lastDay > today() && lastDay <= addDays(today(), 60) ? lastDay : addDays(today(), 5) },
    });
    expect(given.status, JSON.stringify(given.body)).toBe(201);

    const { page } = await newPerson();
    await page.goto(`/#/hazards/${counted.body.id}`);
    await signIn(page, 'supervisor-a');
    for (const hz of [counted.body, given.body]) {
      await page.goto(`/#/hazards/${hz.id}`);
      await heading(page, hz.title).waitFor();
      const deadline = await text(page, '.record');
      expect(deadline.includes('期限待定'), `${hz.title}: badge`).toBe(hz.deadlineProvisional);
      expect(deadline.includes('后续督办时间待日历公布'), `${hz.title}: note`).toBe(!hz.deadlineProvisional && hz.laterStepsProvisional);
    }
    // The counted one runs into the year without data; the given one's deadline stands.
    expect(counted.body).toMatchObject({ deadlineProvisional: true, provisional: true });
    expect(given.body.deadlineProvisional).toBe(false);
    expect(await page.locator('.record .badge-provisional').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('lists a supervision notice (督办通知) and shows it with its hazard; the enterprise signs for it on the page', async () => {
    const hazard = await sup('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '消防通道堆放杂物', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 10) },
    });
    expect(hazard.status).toBe(201);
    const issued = await sup('POST', '/api/notices', {
      body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazard.body.id], title: '督促整改消防隐患', requirements: '清理消防通道' },
    });
    expect(issued.status).toBe(201);
    const notice = issued.body as { id: string; code: string; deadline: string; provisional: boolean; deadlineProvisional: boolean; laterStepsProvisional: boolean };
    expect(notice.code).toMatch(/〔\d{4}〕\d+号$/);

    // A supervisor reads the list and the notice: nothing to sign.
    const svr = await newPerson();
    await svr.page.goto('/#/notices');
    await signIn(svr.page, 'supervisor-a');
    await heading(svr.page, '督办通知').waitFor();
    expect(await svr.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '督办通知' }).getAttribute('aria-current')).toBe('page');
    const row = svr.page.locator(`tr[data-notice-id="${notice.id}"]`);
    expect(await row.locator('.col-code').textContent()).toBe(notice.code);
    expect(await row.locator('.col-title').textContent()).toBe('督促整改消防隐患');
    expect(await row.locator('.col-enterprise').textContent()).toBe(ENTERPRISE_A);
    // The list marks only a provisional deadline; provisional later steps are noted on the record.
    expect(await row.locator('.col-deadline').textContent()).toBe(notice.deadlineProvisional ? `${notice.deadline} 期限待定` : notice.deadline);
    expect(await row.locator('.col-status').textContent()).toBe('已下达');
    expect(await row.locator('.col-openHazards').textContent()).toBe('1');
    await row.getByRole('link', { name: notice.code }).click();
    await heading(svr.page, `督办通知 ${notice.code}`).waitFor();
    const hazardLink = svr.page.locator('.notice-hazards .hazard-link');
    expect(await hazardLink.textContent()).toBe('消防通道堆放杂物');
    expect(await hazardLink.getAttribute('href')).toBe(`#/hazards/${hazard.body.id}`);
    expect(await svr.page.locator('.notice-hazards .badge-status-rectifying').textContent()).toBe('整改中');
    expect(await text(svr.page, '.record')).toContain('尚未签收');
    const record = await text(svr.page, '.record');
    expect(record.includes('期限待定')).toBe(notice.deadlineProvisional);
    expect(record.includes('后续督办时间待日历公布')).toBe(!notice.deadlineProvisional && notice.laterStepsProvisional);
    expect(await events(svr.page)).toEqual(['issued']);
    expect(await svr.page.getByRole('button', { name: '签收' }).count()).toBe(0);
    await svr.page.screenshot({ path: '/tmp/duban-notice.png', fullPage: true });
    await svr.context.close();

    // The enterprise addressed signs for it (签收) on the page.
    const ent = await newPerson();
    await ent.page.goto(`/#/notices/${notice.id}`);
    await signIn(ent.page, 'enterprise-a');
    await heading(ent.page, `督办通知 ${notice.code}`).waitFor();
    expect(await text(ent.page, '.detail-head .badges')).toBe('已下达');
    await ent.page.getByRole('button', { name: '签收' }).click();
    await ent.page.getByText('已签收。').waitFor();
    expect(await text(ent.page, '.detail-head .badges')).toBe('已签收');
    expect(await text(ent.page, '.record')).toContain('enterprise-a');
    expect(await events(ent.page)).toEqual(['issued', 'signed']);
    expect(await ent.page.getByRole('button', { name: '签收' }).count()).toBe(0);
    expect((await sup('GET', `/api/notices/${notice.id}`)).body).toMatchObject({ status: 'signed', signedBy: 'enterprise-a' });

    // The same page in English.
    await ent.page.getByRole('button', { name: 'English' }).click();
    await heading(ent.page, `Notice ${notice.code}`).waitFor();
    expect(await text(ent.page, '.detail-head .badges')).toBe('Signed for');
    expect(await text(ent.page, '.notice-hazards h2')).toBe('Hazards');
    expect(await text(ent.page, '.event-signed .event-type')).toBe('Signed for by the enterprise');
    await ent.context.close();
    expect(consoleErrors).toEqual([]);
  });
});
