/**
 * `npm run screenshots`: the README's walk through the pages, as pictures. Starts duban as
 * `npm start` does (embedded Postgres, Temporal dev server, demo data) in a throwaway data folder
 * on ports of its own, signs in as each demo person in headless Chromium, and writes PNGs to
 * docs/screenshots/: phone-sized for the enterprise, desktop for everyone else. Each PNG is
 * re-encoded with a palette (sharp) to stay small. Nothing is changed in the demo data except
 * what a page shows by being opened.
 *
 * DUBAN_SCREENSHOTS_URL=http://127.0.0.1:3000 uses a running duban (with the demo data) instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_PASSWORD } from './seed-demo';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.DUBAN_CHROMIUM ?? '/usr/bin/chromium';
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 } };
/** Ports away from `npm start`'s own, so a running duban is left alone. */
const PORTS = { DUBAN_PG_PORT: '54399', DUBAN_TEMPORAL_PORT: '7299', DUBAN_TEMPORAL_UI_PORT: '8299', API_PORT: '3099' };

const say = (msg: string) => console.log(`[screenshots] ${msg}`);

/** duban as `npm start` runs it, in a data folder of its own; resolves with its pages' URL once the demo is loaded. */
async function startDuban(): Promise<{ url: string; stop: () => Promise<void> }> {
  const data = await mkdtemp(join(tmpdir(), 'duban-screenshots-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...PORTS, DUBAN_DATA_DIR: data, DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
    await rm(data, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
      const pages = /duban is running[\s\S]*?Pages\s+(http\S+)/.exec(out);
      if (pages) resolve(pages[1]!.replace(/\/$/, ''));
    });
    void exited.then((code) => reject(new Error(`duban exited (${code}) before it was running`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url, stop };
}

interface Shot {
  file: string;
  user: string;
  at: string;
  device: 'phone' | 'desktop';
  /** What to do on the page before the picture (open a form, scroll to it…). */
  then?: (page: Page) => Promise<void>;
}

const h1 = (page: Page, name?: string) => page.locator('main#main:not([aria-busy]) h1', name ? { hasText: name } : {}).first().waitFor();
/** The ledger, once its rows are in. */
const ledger = async (page: Page) => {
  await h1(page);
  await page.locator('main a[href^="#/hazards/"]').first().waitFor();
};
/** Opens the hazard of this title from the ledger. */
const openHazard = (title: string) => async (page: Page) => {
  await page.getByRole('link', { name: title }).first().click();
  await h1(page, title);
};
/** Opens a collapsed command (<details data-command>) and brings it to the top of the screen. */
const openCommand = async (page: Page, name: string) => {
  const details = page.locator(`details[data-command="${name}"]`).first();
  await details.locator('summary').click();
  await details.evaluate((el) => el.scrollIntoView({ block: 'start' }));
};
/** Brings the card holding `selector` to the top of the screen. */
const scrollTo = async (page: Page, selector: string) => {
  const el = page.locator(selector).first();
  await el.waitFor();
  await el.evaluate((e) => (e.closest('section, .card, details') ?? e).scrollIntoView({ block: 'start' }));
};

const SHOTS: Shot[] = [
  // The enterprise, on a phone.
  { file: 'enterprise-1-hazards.png', user: 'jiangbei-chem', at: '#/hazards', device: 'phone', then: ledger },
  { file: 'enterprise-2-sign-notice.png', user: 'jiangbei-chem', at: '#/notices', device: 'phone', then: async (p) => {
    await p.locator('main a.notice-link').first().click();
    await scrollTo(p, 'form[data-form="sign"]');
  } },
  { file: 'enterprise-3-five-point-plan.png', user: 'jiangbei-chem', at: '#/hazards', device: 'phone', then: async (p) => {
    await openHazard('储罐区可燃气体报警器失效')(p);
    await scrollTo(p, 'form[data-form="plan"]');
  } },
  { file: 'enterprise-4-evidence.png', user: 'chengnan-mall', at: '#/hazards', device: 'phone', then: async (p) => {
    await openHazard('消防通道被商品堵塞')(p);
    await scrollTo(p, 'form[data-form="submission"]');
  } },
  { file: 'enterprise-5-extension.png', user: 'chengnan-mall', at: '#/hazards', device: 'phone', then: async (p) => {
    await openHazard('消防通道被商品堵塞')(p);
    await scrollTo(p, 'form[data-form="extension-request"]');
  } },
  // The inspector and the section chief, at a desk.
  { file: 'supervisor-1-queue.png', user: 'jiangbei-inspector', at: '#/hazards', device: 'desktop', then: ledger },
  { file: 'supervisor-2-register.png', user: 'jiangbei-inspector', at: '#/hazards/new', device: 'desktop', then: (p) => h1(p) },
  { file: 'supervisor-3-issue-notice.png', user: 'jiangbei-inspector', at: '#/hazards', device: 'desktop', then: async (p) => {
    await openHazard('装卸区静电接地装置缺失')(p);
    await p.locator('a[data-command="issue-notice"]').click();
    await scrollTo(p, '.deadline-preview[data-preview="ready"]');
  } },
  { file: 'supervisor-4-review.png', user: 'chengnan-inspector', at: '#/hazards', device: 'desktop', then: async (p) => {
    await openHazard('配电箱未上锁且无警示标识')(p);
    await scrollTo(p, '.photo-column');
    await p.waitForFunction(`[...document.querySelectorAll('img.photo-thumb')].every((img) => img.complete)`);
  } },
  { file: 'supervisor-5-inspection.png', user: 'jiangbei-inspector', at: '#/inspections/new', device: 'desktop', then: (p) => h1(p) },
  { file: 'supervisor-6-suspension-order.png', user: 'jiangbei-chief', at: '#/hazards', device: 'desktop', then: async (p) => {
    await openHazard('储罐区可燃气体报警器失效')(p);
    await openCommand(p, 'suspension');
  } },
  { file: 'supervisor-7-notice-ladder.png', user: 'jiangbei-chief', at: '#/notices', device: 'desktop', then: async (p) => {
    await p.locator('main a.notice-link').first().click();
    await scrollTo(p, 'li.decision');
  } },
  // The leaders.
  { file: 'leader-1-dashboard.png', user: 'city-leader', at: '#/dashboard', device: 'desktop', then: async (p) => {
    await h1(p);
    await p.locator('[data-kpi]').first().waitFor();
    await p.waitForTimeout(1500); // the charts' entry animation
  } },
  { file: 'leader-2-drill-down.png', user: 'city-leader', at: '#/hazards?overdue=true', device: 'desktop', then: ledger },
  { file: 'leader-3-urge.png', user: 'jiangbei-leader', at: '#/hazards', device: 'desktop', then: async (p) => {
    await openHazard('储罐区可燃气体报警器失效')(p);
    await scrollTo(p, 'form[data-form="urge"]');
  } },
  { file: 'leader-4-review-pack.png', user: 'city-leader', at: '#/review-packs', device: 'desktop', then: (p) => h1(p) },
  { file: 'leader-5-burn-down.png', user: 'city-leader', at: '#/campaigns', device: 'desktop', then: async (p) => {
    await p.locator('main a[href^="#/campaigns/"]').first().click();
    await h1(p);
    await p.waitForTimeout(1500);
  } },
  // The admin.
  { file: 'admin-1-regions.png', user: 'admin', at: '#/admin/regions', device: 'desktop', then: (p) => h1(p) },
  { file: 'admin-2-users.png', user: 'admin', at: '#/admin/users', device: 'desktop', then: (p) => h1(p) },
  { file: 'admin-3-posts.png', user: 'admin', at: '#/posts', device: 'desktop', then: (p) => h1(p) },
  { file: 'admin-4-policies.png', user: 'admin', at: '#/admin/policies', device: 'desktop', then: (p) => h1(p) },
  { file: 'admin-5-calendars.png', user: 'admin', at: '#/admin/calendars', device: 'desktop', then: (p) => h1(p) },
  { file: 'admin-6-stock-import.png', user: 'admin', at: '#/admin/stock-import', device: 'desktop', then: (p) => h1(p) },
];

async function take(browser: Browser, url: string, shot: Shot): Promise<number> {
  const context = await browser.newContext({ ...(shot.device === 'phone' ? PHONE : DESKTOP), baseURL: url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(20_000);
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/${shot.at}`);
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    await page.getByLabel('用户名').fill(shot.user);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    // The login page's own heading would do for h1(): the picture waits until it is gone.
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor({ state: 'detached' });
    await h1(page);
    await shot.then?.(page);
    await page.locator('main#main:not([aria-busy])').waitFor();
    await page.getByText('正在加载').first().waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    const shown = await page.locator('.error-panel, [role="alert"]:visible').allInnerTexts();
    if (errors.length || shown.some((s) => s.trim())) throw new Error(`${shot.file}: the page shows an error: ${[...errors, ...shown].join(' | ')}`);
    const png = await sharp(await page.screenshot()).png({ palette: true, colours: 128, effort: 10 }).toBuffer();
    await writeFile(join(OUT, shot.file), png);
    return png.length;
  } finally {
    await context.close();
  }
}

async function main() {
  const only = process.argv.slice(2);
  await mkdir(OUT, { recursive: true });
  const given = process.env.DUBAN_SCREENSHOTS_URL?.replace(/\/$/, '');
  const duban = given ? { url: given, stop: async () => undefined } : await startDuban();
  // A Chinese Chromium, as the bureau's people have: its date inputs ask for 年/月/日. On Linux it
  // takes its own language from LANGUAGE (not --lang), and needs Debian's chromium-l10n for it.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    env: { ...process.env, LANGUAGE: 'zh_CN' },
  });
  let failed = 0;
  try {
    for (const shot of SHOTS.filter((s) => !only.length || only.some((o) => s.file.includes(o)))) {
      try {
        const bytes = await take(browser, duban.url, shot);
        say(`${shot.file} ${(bytes / 1024).toFixed(0)} KB`);
      } catch (error) {
        failed++;
        say(`${shot.file} FAILED: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser.close();
    await duban.stop();
  }
  if (failed) {
    say(`${failed} screenshot(s) failed`);
    process.exitCode = 1;
  }
}

await main();
