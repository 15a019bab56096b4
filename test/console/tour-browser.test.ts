/**
 * Every console page in Chromium as an admin: a screenshot of each (at
 * 1280×800, and the listener page at 390 px wide), the accessibility basics
 * (a label on every control, keyboard focus visible, nothing wider than the
 * screen), and the first page's load time and size, printed for docs/console.md
 * (a measurement, not an assertion).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { guardedPage, screenshot, SCREENSHOT_DIR, signIn } from './browser';
import { browserSuite } from './suite';

/** Controls without a label, by id or name (run in the page). */
function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    return [...doc.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
      .filter((el: any) => !el.closest('[hidden]') && el.labels.length === 0 && !el.getAttribute('aria-label'))
      .map((el: any) => el.id || el.name);
  });
}

function overflowsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    return doc.documentElement.scrollWidth > doc.documentElement.clientWidth;
  });
}

describe('console pages in Chromium: screenshots, accessibility basics, load', function () {
  this.timeout(90_000);
  const pages: Record<string, string> = {};
  const suite = browserSuite(async (server) => {
    const { services } = server;
    const listener = await services.listeners.create({
      name: 'GitHub pushes', verification: { type: 'preset', provider: 'github', secrets: ['tour-secret'] },
    });
    const other = await services.listeners.create({ name: 'Shop orders', verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['k'] } });
    const item = await services.imports.create({ name: 'ERP orders', url: 'https://erp.example/api/orders', headers: [{ name: 'Authorization', value: 'Bearer abc123456', private: true }] });
    const connection = await services.connections.create({ name: 'ERP API', baseUrl: 'https://erp.example/api', headers: [{ name: 'X-Api-Key', value: 'erp-key-123456', private: true }] });
    const flow = await services.flows.create({ name: 'Pushes to ERP', listenerId: listener.id, imports: [item.id], enabled: false });
    await services.observability.debug.start(listener.id, 10);
    const body = JSON.stringify({ ref: 'refs/heads/main', commits: [{ id: 'a1b2c3', message: 'Fix the build' }] });
    const signature = `sha256=${crypto.createHmac('sha256', 'tour-secret').update(body).digest('hex')}`;
    const headers = { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': crypto.randomUUID() };
    await fetch(`${server.baseUrl}/hooks/${listener.id}`, { method: 'POST', headers: { ...headers, 'X-Hub-Signature-256': signature }, body });
    await fetch(`${server.baseUrl}/hooks/${listener.id}`, { method: 'POST', headers, body });
    Object.assign(pages, {
      listeners: '/listeners', 'listener-detail': `/listeners/${listener.id}`, 'listener-edit': `/listeners/${other.id}/edit`,
      flows: '/flows', 'flow-detail': `/flows/${flow.id}`, imports: '/imports', 'import-edit': `/imports/${item.id}/edit`, 'api-keys': '/api-keys',
      connections: '/connections', connection: `/connections/${connection.id}`,
    });
  });

  it('measures the first page: load time and bytes transferred, cold cache', async () => {
    const { page } = suite.guarded;
    const started = Date.now();
    await page.goto(`${suite.server.baseUrl}/`, { waitUntil: 'load' });
    const wall = Date.now() - started;
    const figures = await page.evaluate(() => {
      const perf = (globalThis as any).performance;
      const nav = perf.getEntriesByType('navigation')[0];
      const resources = perf.getEntriesByType('resource');
      return {
        url: nav.name, loadEventEndMs: Math.round(nav.loadEventEnd), domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
        requests: 1 + resources.length,
        files: resources.map((r: any) => new URL(r.name).pathname.split('/').pop()),
        transferBytes: nav.transferSize + resources.reduce((sum: number, r: any) => sum + r.transferSize, 0),
        bodyBytes: nav.decodedBodySize + resources.reduce((sum: number, r: any) => sum + r.decodedBodySize, 0),
      };
    });
    await signIn(page, suite.server.baseUrl, await suite.server.keyFor('admin'));
    const listeners = await page.evaluate(() => {
      const perf = (globalThis as any).performance;
      const nav = perf.getEntriesByType('navigation')[0];
      return { loadEventEndMs: Math.round(nav.loadEventEnd), transferBytes: nav.transferSize, requests: 1 + perf.getEntriesByType('resource').length };
    });
    const report = { signInPage: { ...figures, wallMs: wall }, listenersPageAfterSignIn: listeners };
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    fs.writeFileSync(path.join(SCREENSHOT_DIR, 'load.json'), JSON.stringify(report, null, 2));
    console.log(`      first page: ${JSON.stringify(report)}`);
    // The page, one stylesheet, one script (and the icon, when the browser has fetched it by then).
    assert.deepEqual(figures.files.filter((file: string) => file !== 'icon.svg').sort(), ['console.css', 'console.js']);
    suite.guarded.assertClean();
  });

  it('shows every page with a label on each control, at 1280×800', async () => {
    const { page } = suite.guarded;
    await page.goto(`${suite.server.baseUrl}/console/sign-in`);
    assert.deepEqual(await unlabelled(page), []);
    await screenshot(page, 'sign-in');
    await signIn(page, suite.server.baseUrl, await suite.server.keyFor('admin'));
    for (const [name, url] of Object.entries(pages)) {
      await page.goto(`${suite.server.baseUrl}/console${url}`);
      assert.deepEqual(await unlabelled(page), [], `${name} has controls without a label`);
      assert.equal(await overflowsWidth(page), false, `${name} is wider than the window`);
      if (name === 'listener-detail') await page.getByTestId('debug-entry').first().locator('summary').first().click();
      await screenshot(page, name);
    }
    suite.guarded.assertClean();
  });

  it('is usable from the keyboard, with a visible focus ring', async () => {
    const { page } = suite.guarded;
    await signIn(page, suite.server.baseUrl, await suite.server.keyFor('admin'));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = (globalThis as any).document.activeElement;
      const style = (globalThis as any).getComputedStyle(el);
      return { text: el.textContent, outline: style.outlineStyle, width: style.outlineWidth };
    });
    assert.equal(focused.text, 'Listeners');
    assert.equal(focused.outline, 'solid');
    assert.equal(focused.width, '3px');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/listeners$/);
    suite.guarded.assertClean();
  });

  it('fits a 390 px wide screen', async () => {
    const narrow = await guardedPage(suite.browser, { width: 390, height: 844 });
    try {
      await signIn(narrow.page, suite.server.baseUrl, await suite.server.keyFor('admin'));
      for (const [name, url] of Object.entries(pages)) {
        await narrow.page.goto(`${suite.server.baseUrl}/console${url}`);
        assert.equal(await overflowsWidth(narrow.page), false, `${name} is wider than 390 px`);
      }
      await narrow.page.goto(`${suite.server.baseUrl}/console${pages['listener-detail']}`);
      await screenshot(narrow.page, 'listener-detail-390px');
      narrow.assertClean();
    } finally {
      await narrow.close();
    }
  });
});
