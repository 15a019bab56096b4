import assert from 'node:assert/strict';
import { screenshot, signIn } from './browser';
import { browserSuite } from './suite';

describe('console listener pages in Chromium', function () {
  const suite = browserSuite();

  it('shows a listener named <img src=x onerror=alert(1)> as text, on the list and its page', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const created = await suite.server.services.listeners.create({ name, verification: { type: 'none' } });
    const { page } = suite.guarded;
    await signIn(page, suite.server.baseUrl, await suite.server.keyFor('admin'));
    const link = page.getByRole('link', { name });
    assert.equal(await link.textContent(), name);
    assert.equal(await page.locator('main img').count(), 0, 'no img element was injected');
    await link.click();
    assert.equal(await page.getByTestId('listener-name').textContent(), name);
    assert.equal(await page.locator('main img').count(), 0);
    await suite.server.services.listeners.delete(created.id);
    suite.guarded.assertClean();
  });

  it('creates an HMAC listener through the form, showing the API\'s error next to the field first', async () => {
    const { page } = suite.guarded;
    await signIn(page, suite.server.baseUrl, await suite.server.keyFor('integrator'));
    await page.getByRole('link', { name: 'New listener' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Orders from the shop');
    await page.getByLabel('Verifier').selectOption('hmac');
    await page.locator('#hmac-header').fill('X-Signature');
    suite.guarded.expectStatus(400);
    await page.getByRole('button', { name: 'Create listener' }).click();
    const keysError = page.locator('#hmac-keys-error');
    assert.match((await keysError.textContent()) ?? '', /is required|fewer than 1 items/i);
    assert.equal(await page.locator('#hmac-keys').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'listener-form-error');
    await page.locator('#hmac-keys').fill('it-is-a-secret');
    await page.getByRole('button', { name: 'Create listener' }).click();
    await page.waitForURL(/\/console\/listeners\/[a-z0-9]{32}$/);
    assert.equal(await page.getByTestId('listener-name').textContent(), 'Orders from the shop');
    assert.match((await page.getByTestId('listener-url').textContent()) ?? '', /\/hooks\/[a-z0-9]{32}$/);
    await screenshot(page, 'listener-detail-new');
    suite.guarded.assertClean();
  });
});
