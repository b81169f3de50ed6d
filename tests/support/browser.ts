/**
 * The browser tests' Chromium (Debian's package; DUBAN_CHROMIUM names another) and signing in
 * through the login page as a person would.
 */
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.DUBAN_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface SignIn {
  baseUrl: string;
  username: string;
  password: string;
  /** Where to go (e.g. `/#/hazards`): the login page shows first, and signing in leads back there. */
  at: string;
  /** Errors thrown in the page are collected here, for the test to find none. */
  errors: string[];
  /** The context's options beside the defaults (a reader in New York, English browser, Shanghai dates shown anyway). */
  context?: BrowserContextOptions;
}

/** A page of its own context, signed in through the login form, on its way to `at`. */
export async function signInPage(browser: Browser, s: SignIn): Promise<Page> {
  const context = await browser.newContext({ baseURL: s.baseUrl, timezoneId: 'America/New_York', locale: 'en-US', ...s.context });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => s.errors.push(e.message));
  await page.goto(s.at);
  await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill(s.username);
  await page.getByLabel('密码').fill(s.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  return page;
}
