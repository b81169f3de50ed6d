/**
 * What every browser test file starts with: the API on real servers (api-harness.ts), Chromium
 * (browser.ts) launched meanwhile, and people signed in through the login page; stopped in the
 * reverse order. A file keeps only what is its own (its data, its screen size).
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startApiHarness, type ApiHarness, type HarnessOptions } from './api-harness';
import { CITY_READER, launchChromium, startBrowserHarness, type BrowserHarness, type BrowserHarnessOptions } from './browser';
import { PASSWORD } from './world';

export interface BrowserWorld {
  h: ApiHarness;
  b: BrowserHarness;
  /** Errors thrown in any page (and console errors where asked): the tests expect none. */
  errors: string[];
  /** A page of its own context, signed in as `username` on its way to `at` (`#/hazards` or `/#/hazards`); `context` beside the world's. */
  signedIn(username: string, at: string, context?: BrowserContextOptions): Promise<Page>;
  /** Closes the browser's contexts and the browser, then the API and its servers. */
  stop(): Promise<void>;
}

export interface BrowserWorldOptions {
  api?: HarnessOptions;
  /** The browser's reader (CITY_READER unless given), every context's options, where errors go (a fresh list unless given), whether console errors count. */
  browser?: Pick<BrowserHarnessOptions, 'reader' | 'context' | 'errors' | 'console'>;
}

export async function startBrowserWorld(name: string, opts: BrowserWorldOptions = {}): Promise<BrowserWorld> {
  const errors = opts.browser?.errors ?? [];
  const [api, chromium] = await Promise.allSettled([startApiHarness(name, opts.api), launchChromium(opts.browser?.reader ?? CITY_READER)]);
  if (api.status === 'rejected' || chromium.status === 'rejected') {
    if (api.status === 'fulfilled') await api.value.stop();
    if (chromium.status === 'fulfilled') await chromium.value.close();
    throw api.status === 'rejected' ? api.reason : (chromium as PromiseRejectedResult).reason;
  }
  const h = api.value;
  const b = await startBrowserHarness({ baseUrl: h.http.baseUrl, password: PASSWORD, errors, ...opts.browser, launched: chromium.value });
  return {
    h,
    b,
    errors,
    signedIn: (username, at, context) => b.signedIn(username, at.startsWith('#') ? `/${at}` : at, context),
    async stop() {
      await b.close();
      await h.stop();
    },
  };
}
