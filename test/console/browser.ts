/**
 * The browser side of the console tests: Debian's Chromium driven by
 * playwright-core (never a downloaded browser), and a page guard that fails a
 * test on any console error, uncaught exception, failed request, unexpected
 * 4xx/5xx, CSP violation or dialog (an `alert` would mean injected script ran).
 *
 * Without /usr/bin/chromium the browser suites skip with a notice, unless
 * HOOKPORT_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Where tests save screenshots; docs/console.md shows copies of them. */
export const SCREENSHOT_DIR = process.env.HOOKPORT_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'hookport-console-screenshots');

let noticePrinted = false;

/** Call from a `before` hook: skips the suite (with a notice) when Chromium is missing, or fails in CI. */
export function requireChromium(context: Mocha.Context): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.env.HOOKPORT_REQUIRE_BROWSER === '1') {
    throw new Error(`${CHROMIUM} is missing but HOOKPORT_REQUIRE_BROWSER=1: install it with apt-get install -y chromium`);
  }
  if (!noticePrinted) {
    console.log(`\n  NOTICE: browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n`);
    noticePrinted = true;
  }
  context.skip();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

export interface GuardedPage {
  page: Page;
  context: BrowserContext;
  /** What went wrong in the page so far. */
  problems: string[];
  /** Lets the next response with this status through (a test that expects a 403 page). */
  expectStatus(status: number): void;
  /** Throws when anything went wrong in the page; call at the end of every test. */
  assertClean(): void;
  close(): Promise<void>;
}

export async function guardedPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  const expected: number[] = [];
  // Chromium also logs "Failed to load resource: … status of 403" for an expected error page.
  const expectedInConsole: number[] = [];
  // Runs in the page (injected by the browser tool, so the CSP does not apply to it).
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI);
    });`,
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = Number(/the server responded with a status of (\d{3})/.exec(message.text())?.[1]);
    const index = expectedInConsole.indexOf(status);
    if (index >= 0) expectedInConsole.splice(index, 1);
    else problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog opened: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // Cancelled by the browser itself because the test moved on to the next page
    // (a poll in flight, the icon of a page left at once): not a failure of the page.
    if (failure === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const index = expected.indexOf(status);
    if (index >= 0) expected.splice(index, 1);
    else problems.push(`HTTP ${status}: ${response.request().method()} ${response.url()}`);
  });
  return {
    page, context, problems,
    expectStatus(status) {
      expected.push(status);
      expectedInConsole.push(status);
    },
    assertClean() {
      if (problems.length > 0) throw new Error(`the page had problems:\n  ${problems.join('\n  ')}`);
    },
    close: () => context.close(),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/console/listeners`);
}
