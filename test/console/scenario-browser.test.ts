/**
 * The console end to end (issue 17), in Chromium against a real server on
 * 127.0.0.1: an integrator sets up an HMAC listener, debugs it live, connects a
 * flow to a sink, recovers from a failed delivery; support finds it read-only.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Browser } from 'playwright-core';
import { guardedPage, launchChromium, requireChromium, screenshot, signIn, type GuardedPage } from './browser';
import { startConsoleServer, type ConsoleServer } from './server';
import { startSink, type Sink } from './sink';

const SECRET = 'e2e-shared-secret';

/** Signs as the partner does: hex HMAC-SHA256 of the raw body (independent of hookport's code). */
function sign(body: string): string {
  return crypto.createHmac('sha256', SECRET).update(body).digest('hex');
}

/** Waits for a server-side condition, checking every 50 ms for at most `ms`. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('console end to end in Chromium', function () {
  this.timeout(90_000);
  let server: ConsoleServer;
  let browser: Browser;
  let sink: Sink;
  const guards: GuardedPage[] = [];

  before(async function () {
    requireChromium(this);
    server = await startConsoleServer();
    sink = await startSink();
    browser = await launchChromium();
  });
  after(async () => {
    for (const guard of guards) await guard.close();
    await browser?.close();
    await sink?.close();
    await server?.close();
  });

  it('runs the integrator and support scenario', async () => {
    const integrator = await guardedPage(browser);
    guards.push(integrator);
    const { page, context } = integrator;
    const base = server.baseUrl;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });

    // Sign in and create an HMAC listener.
    await signIn(page, base, await server.keyFor('integrator'));
    await page.getByRole('link', { name: 'New listener' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Shop orders');
    await page.getByLabel('Verifier').selectOption('hmac');
    await page.locator('#hmac-algorithm').selectOption('sha256');
    await page.locator('#hmac-encoding').selectOption('hex');
    await page.locator('#hmac-header').fill('X-Signature');
    await page.locator('#hmac-keys').fill(SECRET);
    await page.getByRole('button', { name: 'Create listener' }).click();
    await page.waitForURL(/\/console\/listeners\/[a-z0-9]{32}$/);
    const listenerId = page.url().split('/').pop()!;

    // Copy its URL.
    await page.getByRole('button', { name: 'Copy URL' }).click();
    await page.getByText('Copied.').waitFor();
    const url = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.equal(url, `${base}/hooks/${listenerId}`);

    // Start a one-minute debug session: a live countdown.
    await page.getByLabel('Minutes', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Start debug session' }).click();
    const countdown = page.getByTestId('countdown');
    assert.match((await countdown.textContent()) ?? '', /^(1:00|0:5\d) left$/);
    const first = await countdown.textContent();
    // A function, not a string: the page's CSP forbids evaluating strings.
    await page.waitForFunction(
      (before) => (globalThis as any).document.querySelector('[data-testid=countdown]').textContent !== before,
      first,
    );

    // A signed and an unsigned request, sent as a partner would.
    const signedBody = JSON.stringify({ order: { id: 1001, total: '12.50' } });
    const signed = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Signature': sign(signedBody) }, body: signedBody });
    assert.equal(signed.status, 204);
    const unsigned = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"order":{"id":1002}}' });
    assert.equal(unsigned.status, 401);

    // Both appear without a reload, newest first, with their verification results.
    const entries = page.getByTestId('debug-entry');
    await entries.nth(1).waitFor({ timeout: 15_000 });
    assert.equal(await entries.count(), 2);
    assert.match((await entries.nth(0).getByTestId('verification').textContent()) ?? '', /not verified: .+/);
    assert.equal((await entries.nth(1).getByTestId('verification').textContent())?.trim(), 'verified');

    // Expand one: headers (signature masked), pretty-printed body, the answer.
    await entries.nth(1).locator('summary').first().click();
    const pretty = entries.nth(1).getByTestId('body-pretty');
    await pretty.waitFor();
    assert.equal(await pretty.textContent(), JSON.stringify(JSON.parse(signedBody), null, 2));
    assert.match((await entries.nth(1).textContent()) ?? '', /"x-signature": "\*\*\*\*"/);
    await screenshot(page, 'listener-debug-log');

    // An import to the local sink (no automatic retries) and a flow from the listener to it.
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('link', { name: 'New import' }).click();
    await page.getByLabel('Name', { exact: true }).fill('ERP orders');
    await page.getByLabel('URL').fill(sink.url);
    await page.getByLabel('Header 0 name').fill('Authorization');
    await page.getByLabel('Header 0 value').fill('Bearer erp-private-token');
    await page.locator('#h0-private').check();
    await page.getByLabel('Retries', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Create import' }).click();
    await page.getByRole('link', { name: 'ERP orders' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    assert.equal(await page.getByLabel('Header 0 value').inputValue(), '', 'a private value never comes back to the browser');
    assert.ok(!(await page.content()).includes('erp-private-token'));
    await screenshot(page, 'import-form');

    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('link', { name: 'New flow' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Orders to ERP');
    await page.getByLabel('Listener').selectOption({ label: 'Shop orders' });
    await page.getByLabel('ERP orders').check();
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.waitForURL(/\/console\/flows\/[a-z0-9]{32}$/);
    const flowId = page.url().split('/').pop()!;

    // Disable and enable it.
    await page.getByRole('button', { name: 'Disable flow' }).click();
    assert.equal(await page.getByTestId('flow-state').textContent(), 'disabled');
    await page.getByRole('button', { name: 'Enable flow' }).click();
    assert.equal(await page.getByTestId('flow-state').textContent(), 'enabled');

    // The job accepted before the flow existed is delivered to it (unattached jobs wait for a flow).
    await eventually('the earlier signed order reaches the sink', async () => sink.received.length === 1);
    assert.deepEqual(sink.received[0], [{ order: { id: 1001, total: '12.50' } }]);

    // The sink fails: the error shows; after it recovers, a retry delivers.
    sink.failing = true;
    const body = JSON.stringify({ order: { id: 1003 } });
    assert.equal((await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Signature': sign(body) }, body })).status, 204);
    const openErrors = async () => (await server.services.delivery.errors.list(flowId, { limit: 10, status: 'open' })).items.length;
    await eventually('the failed delivery is an open error', async () => (await openErrors()) === 1);
    await page.reload();
    const errorRow = page.getByTestId('error-row');
    assert.equal(await errorRow.count(), 1);
    assert.match((await errorRow.textContent()) ?? '', /500/);
    await screenshot(page, 'flow-detail-error');
    sink.failing = false;
    await errorRow.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Error resubmitted').waitFor();
    await eventually('the retried error is delivered', async () => sink.received.length === 2);
    await eventually('no open error is left', async () => (await openErrors()) === 0);
    await page.reload();
    await page.getByTestId('no-errors').waitFor();
    assert.deepEqual(sink.received[1], [{ order: { id: 1003 } }]);
    await screenshot(page, 'flow-detail');
    integrator.assertClean();

    // Support: no edit controls, and the edit URLs answer 403.
    const support = await guardedPage(browser);
    guards.push(support);
    await signIn(support.page, base, await server.keyFor('support'));
    await support.page.goto(`${base}/console/listeners/${listenerId}`);
    assert.equal(await support.page.getByRole('link', { name: 'Edit' }).count(), 0);
    assert.equal(await support.page.getByRole('button', { name: 'Add secret' }).count(), 0);
    assert.equal(await support.page.getByRole('button', { name: 'Send test request' }).count(), 0);
    assert.equal(await support.page.getByRole('button', { name: 'Stop debugging' }).count(), 1, 'support may stop the debug session');
    await support.page.goto(`${base}/console/flows/${flowId}`);
    assert.equal(await support.page.getByRole('button', { name: /Disable flow|Enable flow|Retry/ }).count(), 0);
    for (const path of [`/listeners/${listenerId}/edit`, '/listeners/new', '/flows/new', '/imports/new', '/connections/new']) {
      support.expectStatus(403);
      const response = await support.page.goto(`${base}/console${path}`);
      assert.equal(response?.status(), 403, path);
    }
    support.expectStatus(403);
    assert.equal((await support.page.goto(`${base}/console/api-keys`))?.status(), 403, 'only admin manages keys');
    support.assertClean();
  });
});
