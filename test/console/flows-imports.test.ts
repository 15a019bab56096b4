import assert from 'node:assert/strict';
import { createHarness, createListener, type Harness } from '../helpers/harness';
import { consoleAgent, type ConsoleAgent } from './agent';

describe('console imports, flows, API keys and listener edit', () => {
  let h: Harness;
  let integrator: ConsoleAgent;

  beforeEach(async () => {
    h = await createHarness();
    integrator = await consoleAgent(h.app, await h.keyFor('integrator'));
  });
  afterEach(() => h.close());

  const importForm = (extra: Record<string, string> = {}) => ({
    name: 'ERP', url: 'https://erp.example/orders', method: 'POST', mode: 'page', timeoutSeconds: '30', 'retry.attempts': '3',
    'retry.maxSeconds': '360', idempotencyHeader: 'Idempotency-Key', 'rateLimit.perSecond': '', bodyTemplate: '',
    'headers.0.name': 'Authorization', 'headers.0.value': 'Bearer top-secret-token', 'headers.0.private': 'true',
    'headers.1.name': 'X-Tenant', 'headers.1.value': 'acme', ...extra,
  });

  it('never sends a private header value to the browser, and keeps it when the box is left empty', async () => {
    assert.equal((await integrator.submit('/console/imports/new', importForm())).status, 303);
    const [item] = (await h.api().get('/imports')).body.items;
    const edit = await integrator.page(`/console/imports/${item.id}/edit`);
    assert.equal(edit.status, 200);
    assert.ok(!edit.text.includes('top-secret-token'));
    assert.match(edit.text, /placeholder="\*\*\*\*oken \(kept when empty\)"/);
    const saved = await integrator.submit(`/console/imports/${item.id}/edit`, importForm({ name: 'ERP renamed', 'headers.0.value': '' }));
    assert.equal(saved.status, 303);
    const stored = await h.services.imports.getState(item.id);
    assert.equal(stored.settings.name, 'ERP renamed');
    assert.deepEqual(stored.settings.headers.map((x) => x.value), ['Bearer top-secret-token', 'acme']);
  });

  it('keeps a connection\'s private header, and lets an import name the connection instead of a URL', async () => {
    const created = await integrator.submit('/console/connections/new', {
      name: 'ERP', baseUrl: 'https://erp.example/api', uid: '', 'rateLimit.perSecond': '',
      'headers.0.name': 'Authorization', 'headers.0.value': 'Bearer connection-secret', 'headers.0.private': 'true', 'headers.0.inherit': 'true',
    });
    assert.equal(created.status, 303);
    const [connection] = (await h.api().get('/connections')).body.items;
    const page = await integrator.page(`/console/connections/${connection.id}/edit`);
    assert.ok(!page.text.includes('connection-secret'));
    const saved = await integrator.submit(`/console/connections/${connection.id}/edit`, {
      name: 'ERP', baseUrl: 'https://erp.example/v2', uid: '', 'rateLimit.perSecond': '5',
      'headers.0.name': 'Authorization', 'headers.0.value': '', 'headers.0.private': 'true', 'headers.0.inherit': 'true',
    });
    assert.equal(saved.status, 303);
    const stored = (await h.api().get(`/connections/${connection.id}`)).body;
    assert.equal(stored.baseUrl, 'https://erp.example/v2');
    assert.equal(stored.headers[0].value, `****${'secret'.slice(-4)}`, 'the stored private value was kept');
    const item = await integrator.submit('/console/imports/new', importForm({ url: '', connectionId: connection.id, path: '/orders' }));
    assert.equal(item.status, 303);
    const [imported] = (await h.api().get('/imports')).body.items;
    assert.equal(imported.connectionId, connection.id);
    assert.equal(imported.path, '/orders');
  });

  it('refuses support the import and connection edit pages, and shows them read-only', async () => {
    await integrator.submit('/console/imports/new', importForm());
    const [item] = (await h.api().get('/imports')).body.items;
    const support = await consoleAgent(h.app, await h.keyFor('support'));
    const read = await support.page(`/console/imports/${item.id}`);
    assert.equal(read.status, 200);
    assert.doesNotMatch(read.text, /\/edit"|Delete…/);
    assert.ok(!read.text.includes('top-secret-token'));
    assert.equal((await support.page(`/console/imports/${item.id}/edit`)).status, 403);
    assert.equal((await support.page('/console/connections/new')).status, 403);
    assert.equal((await support.submit(`/console/imports/${item.id}/delete`)).status, 403);
  });

  it('shows the API\'s error next to the import field it names', async () => {
    const response = await integrator.submit('/console/imports/new', importForm({ url: 'ftp://nope' }));
    assert.equal(response.status, 400);
    assert.match(response.text, /<p class="field-error" id="import-url-error">must match pattern/);
    assert.equal((await h.api().get('/imports')).body.items.length, 0);
  });

  it('creates a flow, toggles it, and runs its test on the listener\'s mock output', async () => {
    const listener = await createListener(h, { name: 'Shop', verification: { type: 'none' }, mockOutput: [{ id: 1 }] });
    await integrator.submit('/console/imports/new', importForm({ url: 'http://127.0.0.1:9/unreachable', 'retry.attempts': '0' }));
    const [item] = (await h.api().get('/imports')).body.items;
    const created = await integrator.submit('/console/flows/new', { name: 'Shop to ERP', listenerId: listener.id, imports: item.id, enabled: 'true' });
    assert.equal(created.status, 303);
    const flowId = created.headers.location.split('/').pop();
    assert.equal((await integrator.submit(`/console/flows/${flowId}/enabled`, { enabled: 'false' })).status, 303);
    assert.equal((await h.api().get(`/flows/${flowId}`)).body.enabled, false);
    const page = await integrator.page(`/console/flows/${flowId}`);
    assert.match(page.text, /data-testid="flow-state">disabled/);
    assert.match(page.text, /data-testid="queue-depth">0/);
    const test = await integrator.submit(`/console/flows/${flowId}/test`);
    assert.equal(test.status, 200);
    assert.match(test.text, /1 record\(s\) from the mockOutput/);
    assert.match(test.text, /ERP: <span class="bad">failed<\/span>/);
  });

  it('replays a job from the flow page', async () => {
    const listener = await createListener(h, { name: 'Shop', verification: { type: 'none' } });
    await integrator.submit('/console/imports/new', importForm({ url: 'http://127.0.0.1:9/unreachable', 'retry.attempts': '0' }));
    const [item] = (await h.api().get('/imports')).body.items;
    const flow = (await h.api().post('/flows', { name: 'f', listenerId: listener.id, imports: [item.id], enabled: false })).body;
    assert.equal((await h.request().post(`/hooks/${listener.id}`).set('Content-Type', 'application/json').send('{"id":1}')).status, 204);
    const page = await integrator.page(`/console/flows/${flow.id}`);
    const jobId = /name="jobId" value="([^"]+)"/.exec(page.text)![1]!;
    const replayed = await integrator.submit(`/console/flows/${flow.id}/replay`, { jobId });
    assert.equal(replayed.status, 303);
    assert.match((await integrator.page(`/console/flows/${flow.id}`)).text, /Replaying job #1\./);
    const support = await consoleAgent(h.app, await h.keyFor('support'));
    assert.doesNotMatch((await support.page(`/console/flows/${flow.id}`)).text, /name="jobId"/);
    assert.equal((await support.submit(`/console/flows/${flow.id}/replay`, { jobId })).status, 403);
  });

  it('names each preset provider with its display name and says which secret to paste', async () => {
    const form = await integrator.page('/console/listeners/new');
    assert.match(form.text, /<option value="github" >GitHub \(github\)<\/option>/);
    assert.match(form.text, /<dt>GitHub <code>github<\/code><\/dt><dd>[^<]+Paste /);
  });

  it('names a flow form\'s missing listener next to the field', async () => {
    const response = await integrator.submit('/console/flows/new', { name: 'no listener', listenerId: '', enabled: 'true' });
    assert.equal(response.status, 400);
    assert.match(response.text, /id="flow-listener-error">/);
  });

  it('creates a flow with parallel delivery, and names an ordering key that does not compile next to its field', async () => {
    const listener = await createListener(h, { name: 'Shop', verification: { type: 'none' } });
    await integrator.submit('/console/imports/new', importForm({ url: 'http://127.0.0.1:9/unreachable' }));
    const [item] = (await h.api().get('/imports')).body.items;
    const form = { name: 'Orders', listenerId: listener.id, imports: item.id, 'delivery.concurrency': '8' };
    const refused = await integrator.submit('/console/flows/new', { ...form, 'delivery.orderingKey': '{{#if record}}' });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /id="flow-ordering-key-error">does not compile/);
    const created = await integrator.submit('/console/flows/new', { ...form, 'delivery.orderingKey': '{{record.order.id}}' });
    assert.equal(created.status, 303);
    const flowId = created.headers.location.split('/').pop();
    assert.deepEqual((await h.api().get(`/flows/${flowId}`)).body.delivery, { concurrency: 8, orderingKey: '{{record.order.id}}' });
  });

  it('lets an admin create a key shown once and revoke it; an integrator gets 403 on the page', async () => {
    assert.equal((await integrator.page('/console/api-keys')).status, 403);
    const admin = await consoleAgent(h.app, h.adminKey);
    assert.equal((await admin.submit('/console/api-keys', { name: 'desk', role: 'support' })).status, 303);
    const page = await admin.page('/console/api-keys');
    const key = /data-testid="shown-once">(hpk_[\w-]+)</.exec(page.text)![1]!;
    assert.ok(await h.services.apiKeys.authenticate(key));
    assert.ok(!(await admin.page('/console/api-keys')).text.includes(key));
    const id = (await h.api().get('/api-keys')).body.items.find((k: { name: string }) => k.name === 'desk').id;
    assert.equal((await admin.submit(`/console/api-keys/${id}/delete`)).status, 303);
    assert.equal((await h.api().get(`/api-keys/${id}`)).status, 404);
  });

  it('edits a listener, keeping its secrets when the secrets box is left empty', async () => {
    const listener = await createListener(h, {
      name: 'Before', verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['keep-this-secret'], prefix: 'sha256=' },
    });
    const form = await integrator.page(`/console/listeners/${listener.id}/edit`);
    assert.ok(!form.text.includes('keep-this-secret'));
    const saved = await integrator.submit(`/console/listeners/${listener.id}/edit`, {
      name: 'After', 'verification.type': 'hmac', 'verification.algorithm': 'sha256', 'verification.encoding': 'hex',
      'verification.header': 'X-Signature', 'verification.keys': '', 'verification.prefix': '', settings: '{"response":{"status":202}}',
    });
    assert.equal(saved.status, 303);
    const state = await h.services.listeners.getState(listener.id);
    assert.equal(state.settings.name, 'After');
    assert.equal(state.settings.response.status, 202);
    assert.deepEqual((state.settings.verification as any).keys.map((key: { value: string }) => key.value), ['keep-this-secret']);
    assert.equal((state.settings.verification as any).prefix, undefined, 'an emptied optional field is removed');
  });

  it('shows a bad settings box as an error on that box', async () => {
    const response = await integrator.submit('/console/listeners/new', { name: 'x', 'verification.type': 'none', settings: '{"response":{"status":99}}' });
    assert.equal(response.status, 400);
    assert.match(response.text, /id="settings-error">\/response\/status must be &gt;&#x3D; 200/);
  });
});
