/**
 * The hooks every browser suite shares: one server and one Chromium for the
 * suite (skipped with a notice when Chromium is missing), a fresh guarded page
 * for each test. The returned object is filled in by the hooks.
 */
import type { Browser } from 'playwright-core';
import { guardedPage, launchChromium, requireChromium, type GuardedPage } from './browser';
import { startConsoleServer, type ConsoleServer } from './server';

export interface BrowserSuite {
  server: ConsoleServer;
  browser: Browser;
  guarded: GuardedPage;
}

/** `setUp` runs once, after the server has started (data every test of the suite reads). */
export function browserSuite(setUp?: (server: ConsoleServer) => Promise<void>): BrowserSuite {
  const suite = {} as BrowserSuite;
  before(async function () {
    requireChromium(this);
    suite.server = await startConsoleServer();
    suite.browser = await launchChromium();
    await setUp?.(suite.server);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  beforeEach(async () => {
    suite.guarded = await guardedPage(suite.browser);
  });
  afterEach(async () => {
    await suite.guarded?.close();
  });
  return suite;
}
