/**
 * The browser tests' Chromium (Debian's package; DUBAN_CHROMIUM names another) and signing in
 * through the login page as a person would. Every browser reads as the people duban serves do: a
 * Chinese browser in Shanghai, whose date inputs ask for 年/月/日 (Debian's chromium-l10n carries
 * the Chinese; Chromium on Linux takes its own language from LANGUAGE, not from --lang). A test
 * proving the pages do not depend on that starts its browser as FAR_READER.
 */
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.DUBAN_CHROMIUM ?? '/usr/bin/chromium';

/** Who reads: the browser's language (its own, and what pages are told) and its clock. */
export interface Reader {
  locale: string;
  timezoneId: string;
}

/** Every browser's reader unless a test says otherwise: the bureau's people, in China. */
export const CITY_READER: Reader = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
/** A reader far away (English browser, New York clock): the pages must still speak Chinese and show Shanghai's dates. */
export const FAR_READER: Reader = { locale: 'en-US', timezoneId: 'America/New_York' };

/** Chromium speaking the reader's language in its own controls (date inputs, file pickers). */
export function launchChromium(reader: Reader = CITY_READER): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, LANGUAGE: reader.locale.replace('-', '_') },
  });
}

/** The context options that make a context the reader's (beside the browser's own language). */
export const readerContext = (reader: Reader): BrowserContextOptions => ({ locale: reader.locale, timezoneId: reader.timezoneId });

export interface SignIn {
  baseUrl: string;
  username: string;
  password: string;
  /** Where to go (e.g. `/#/hazards`): the login page shows first, and signing in leads back there. */
  at: string;
  /** Errors thrown in the page are collected here, for the test to find none. */
  errors: string[];
  /** The context's options beside the reader's (CITY_READER's unless given). */
  context?: BrowserContextOptions;
  /** Console errors go to `errors` too (but not the browser's own line for a 4xx answer the page handles). */
  console?: boolean;
}

/** A page of its own context, signed in through the login form, on its way to `at`. */
export async function signInPage(browser: Browser, s: SignIn): Promise<Page> {
  const context = await browser.newContext({ baseURL: s.baseUrl, ...readerContext(CITY_READER), ...s.context });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => s.errors.push(e.message));
  if (s.console) watchConsole(page, s.errors);
  await page.goto(s.at);
  await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill(s.username);
  await page.getByLabel('密码').fill(s.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  return page;
}

/** Console errors into `errors`, but not the browser's own line for a 4xx answer the page handles. */
export function watchConsole(page: Page, errors: string[]): Page {
  page.on('console', (m) => {
    if (m.type() === 'error' && !/the server responded with a status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  return page;
}

export interface BrowserHarness {
  browser: Browser;
  /** Errors thrown in any of its pages (the test expects none). */
  errors: string[];
  /** A page of its own context, signed in as `username` on its way to `at`; `context` beside the harness's own options. */
  signedIn(username: string, at: string, context?: BrowserContextOptions): Promise<Page>;
  /** Closes every context it opened, then the browser. */
  close(): Promise<void>;
}

export interface BrowserHarnessOptions {
  baseUrl: string;
  password: string;
  /** Whose browser: CITY_READER unless a test proves the pages against another (FAR_READER). */
  reader?: Reader;
  /** Every context's options (viewport, locale, acceptDownloads…); each sign-in may add its own. */
  context?: BrowserContextOptions;
  /** Where page errors go (a fresh list unless given). */
  errors?: string[];
  /** Console errors go there too. */
  console?: boolean;
  /** A Chromium already launched for the reader (launchChromium), to start meanwhile with the servers. */
  launched?: Browser;
}

/** Chromium for one test file, and people signed in through the login page, each in a context of their own. */
export async function startBrowserHarness(opts: BrowserHarnessOptions): Promise<BrowserHarness> {
  const reader = opts.reader ?? CITY_READER;
  const browser = opts.launched ?? (await launchChromium(reader));
  const errors = opts.errors ?? [];
  const pages: Page[] = [];
  return {
    browser,
    errors,
    async signedIn(username, at, context) {
      const page = await signInPage(browser, { baseUrl: opts.baseUrl, username, password: opts.password, at, errors, console: opts.console, context: { ...readerContext(reader), ...opts.context, ...context } });
      pages.push(page);
      return page;
    },
    async close() {
      for (const page of pages) await page.context().close().catch(() => undefined);
      await browser.close();
    },
  };
}
