/**
 * Accessibility of every page in a real headless Chromium against the real API: each demo role
 * (enterprise, section chief, grid worker, leader, admin) signs in, visits every page its main
 * navigation reaches and the detail pages of its records (hazard and its audit trail, notice,
 * suspension, inspection, campaign, review pack, the inbox, the admin's forms and a person's
 * panels on the users page), and axe-core, injected into the page, finds no serious
 * or critical violation. In Chinese, then a pass in English.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import type { WorldUser } from '../support/world';

let h: ApiHarness;
let w: BrowserWorld;
let axeSource: string;
const errors: string[] = [];
const ids = { major: '', general: '', notice: '', suspension: '', inspection: '', campaign: '', enterprise: '', pack: '' };
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  w = await startBrowserWorld('accessibility-pages', { browser: { errors, context: { bypassCSP: true } } });
  h = w.h;
  const sup = await h.as('supervisor-a');
  const created = async (path: string, body: Record<string, unknown>) => {
    const res = await sup('POST', path, { body });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    return res.body.id as string;
  };
  const hazard = (over: Record<string, unknown>) =>
    created('/api/hazards', { enterpriseId: h.world.enterpriseA, category: '安全设施', source: 'inspection', deadline: addDays(today(), 20), title: '消防通道堵塞', ...over });
  ids.major = await hazard({ title: '储罐区可燃气体报警器失效', grade: 'major', listingLevel: 'county' });
  ids.general = await hazard({ grade: 'general' });
  ids.notice = await created('/api/notices', { enterpriseId: h.world.enterpriseA, hazardIds: [ids.general], title: '督促整改消防隐患', requirements: '清理消防通道' });
  ids.suspension = await created('/api/suspensions', {
    enterpriseId: h.world.enterpriseA, documentNumber: '甲县应急停〔2026〕9号', reason: '重大事故隐患未整改', scope: 'partial', scopeNote: '罐区', startsOn: today(), plannedEnd: addDays(today(), 30),
  });
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  ids.inspection = await created('/api/inspections', {
    enterpriseId: h.world.enterpriseA, location: '二号仓库', startedAt: at(80), endedAt: at(20),
    findings: [{ item: '安全出口畅通', result: 'pass' }, { item: '电线私拉乱接', result: 'fail', category: '电气安全', grade: 'general', legalBasis: '《安全生产法》第四十一条' }],
  });
  const admin = await h.as('admin');
  const campaign = await admin('POST', '/api/campaigns', { body: { name: '甲县隐患清零行动', regionId: h.world.a.county.id, cutoff: addDays(today(), -3), target: addDays(today(), 30) } });
  expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
  ids.campaign = campaign.body.id as string;
  ids.enterprise = h.world.enterpriseA;
  // A review pack of county A, read by its leader and the admin.
  const pack = await admin('POST', '/api/review-packs', { body: { regionId: h.world.a.county.id } });
  expect(pack.status, JSON.stringify(pack.body)).toBe(202);
  await h.env.client.workflow.getHandle(pack.body.workflowId).result();
  ids.pack = pack.body.id as string;
}, 180_000);

afterAll(() => w?.stop());

/** The detail pages each role reaches from its records, beside its navigation. */
function detailPages(user: WorldUser): string[] {
  const common = [`#/hazards/${ids.major}`, `#/hazards/${ids.general}`, `#/notices/${ids.notice}`, `#/suspensions/${ids.suspension}`, '#/inbox'];
  if (user.startsWith('enterprise')) return common;
  // A hazard's audit trail is reached from its page by the bureau's people.
  const supervision = [...common, `#/inspections/${ids.inspection}`, `#/campaigns/${ids.campaign}`, `#/hazards/${ids.general}/audit`];
  // The forms a supervisor opens from a list rather than the navigation: a notice for a ticked hazard, a new inspection.
  if (user === 'supervisor-a') return [...supervision, `#/notices/new?hazards=${ids.general}`, '#/inspections/new'];
  if (user === 'admin') {
    return [`#/campaigns/${ids.campaign}`, '#/inbox', '#/admin/enterprises/new', `#/admin/enterprises/${ids.enterprise}`, '#/admin/policies/edit?grade=general', `#/hazards/${ids.general}/audit`, `#/review-packs/${ids.pack}`];
  }
  if (user === 'leader-a') return [...supervision, `#/review-packs/${ids.pack}`];
  return supervision;
}

interface Violation { page: string; id: string; impact: string; help: string; targets: string[] }

/** axe-core over the page as shown (injected as a script: the context bypasses the pages' CSP): its serious and critical violations. */
async function audit(page: Page, at: string): Promise<Violation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.addScriptTag({ content: axeSource });
  // Folded sections (<details>) are opened first: the forms inside them are audited too.
  const { passes, violations } = await page.evaluate<{ passes: number; violations: Array<Omit<Violation, 'page'>> }>(`(async () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return {
      passes: result.passes.length,
      violations: result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })),
    };
  })()`);
  // A run that checked nothing would pass vacuously.
  expect(passes, at).toBeGreaterThan(10);
  return violations.map((v) => ({ page: at, ...v }));
}

/** Go to a hash route and wait until the page has rendered (its heading shown, nothing loading). */
async function show(page: Page, hash: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator('main#main:not([aria-busy]) h1').first().waitFor({ timeout: 45_000 });
  await page.waitForTimeout(300);
  await page.locator('main#main:not([aria-busy]) h1').first().waitFor({ timeout: 45_000 });
}

async function auditRole(user: WorldUser, language: 'zh' | 'en'): Promise<Violation[]> {
  const locale = language === 'zh' ? 'zh-CN' : 'en-US';
  const page = await w.signedIn(user, '/#/', { locale });
  try {
    await page.locator('nav.main-nav, nav').first().waitFor();
    const found: Violation[] = [];
    found.push(...(await audit(page, `${user} ${language} login→#/`)));
    if (language === 'en') {
      await page.evaluate(`localStorage.setItem('duban.lang', 'en')`);
      await page.reload();
    }
    await page.locator('main#main:not([aria-busy]) h1').first().waitFor({ timeout: 45_000 });
    const nav = page.getByRole('navigation', { name: language === 'zh' ? '主导航' : 'Main navigation' });
    const links = await nav.getByRole('link').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(2);
    for (const hash of [...new Set([...links, ...detailPages(user)])]) {
      await show(page, hash);
      found.push(...(await audit(page, `${user} ${language} ${hash}`)));
    }
    if (user === 'admin') {
      // A policy version (its diff against the one before), reached from the policies page.
      await show(page, '#/admin/policies');
      const version = await page.locator('a[href^="#/admin/policies/"]').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? '').find((href) => /\/\d+$/.test(href)) ?? '');
      expect(version).not.toBe('');
      await show(page, version);
      found.push(...(await audit(page, `${user} ${language} ${version}`)));
      // Each person's row opens in place: a new name, a new password, how they are notified (read only).
      await show(page, '#/admin/users');
      const rows = page.locator('table.users-table tbody tr');
      await rows.nth(0).locator('button[data-action="preferences"]').click();
      await rows.nth(0).locator('dl.prefs-facts').waitFor();
      await rows.nth(1).locator('.row-actions button').nth(0).click();
      await rows.nth(2).locator('.row-actions button').nth(1).click();
      await rows.nth(2).locator('form[data-form="password"]').waitFor();
      found.push(...(await audit(page, `${user} ${language} #/admin/users (a person's panels)`)));
    }
    return found;
  } finally {
    await page.context().close();
  }
}

/** The login page itself, before anyone signs in. */
async function auditLogin(language: 'zh' | 'en'): Promise<Violation[]> {
  const context = await w.b.browser.newContext({ baseURL: h.http.baseUrl, bypassCSP: true, locale: language === 'zh' ? 'zh-CN' : 'en-US' });
  const page = await context.newPage();
  try {
    if (language === 'en') await page.addInitScript(`localStorage.setItem('duban.lang', 'en')`);
    await page.goto('/#/login');
    await page.locator('form[data-form="login"]').waitFor();
    return await audit(page, `login ${language}`);
  } finally {
    await context.close();
  }
}

const report = (violations: Violation[]) => violations.map((v) => `${v.page}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(' | ')}`);

describe('accessibility (axe-core): no serious or critical violations', () => {
  const roles: WorldUser[] = ['enterprise-a', 'supervisor-a', 'grid-a', 'leader-a', 'admin'];

  it('finds a violation planted in a page (the audit can fail)', async () => {
    const context = await w.b.browser.newContext({ baseURL: h.http.baseUrl, bypassCSP: true });
    const page = await context.newPage();
    await page.goto('/#/login');
    await page.locator('form[data-form="login"]').waitFor();
    await page.evaluate(`document.querySelector('form[data-form="login"] button[type="submit"]').replaceChildren()`);
    expect((await audit(page, 'planted')).map((v) => v.id)).toContain('button-name');
    await context.close();
  }, 60_000);

  it('on the sign-in page', async () => {
    expect(report([...(await auditLogin('zh')), ...(await auditLogin('en'))])).toEqual([]);
  }, 60_000);

  for (const user of roles) {
    it(`on every page ${user} reaches, in Chinese`, async () => {
      expect(report(await auditRole(user, 'zh'))).toEqual([]);
      expect(errors).toEqual([]);
    }, 240_000);
  }

  for (const user of ['enterprise-a', 'supervisor-a', 'leader-a', 'admin'] as WorldUser[]) {
    it(`on every page ${user} reaches, in English`, async () => {
      expect(report(await auditRole(user, 'en'))).toEqual([]);
      expect(errors).toEqual([]);
    }, 240_000);
  }
});
