import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { consoleAgent, type ConsoleAgent } from './agent';

const SECRET = 'first-shared-secret';

function signedPost(h: Harness, listener: { id: string }, body: string, secret = SECRET) {
  const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
  return h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set('X-Signature', signature).send(body);
}

describe('console listener page', () => {
  let h: Harness;
  let integrator: ConsoleAgent;
  let listener: { id: string; url: string };

  beforeEach(async () => {
    h = await createHarness();
    integrator = await consoleAgent(h.app, await h.keyFor('integrator'));
    listener = await createListener(h, {
      name: 'Orders', verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: [SECRET] },
    });
  });
  afterEach(() => h.close());

  it('shows the status panel from the status endpoint', async () => {
    assert.equal((await signedPost(h, listener, '{"id":1}')).status, 204);
    assert.equal((await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{}')).status, 401);
    // Request history is written after the answer, in the next batch: wait (bounded) until both are stored.
    for (let turn = 0; turn < 100 && (await h.api().get(`/listeners/${listener.id}/requests`)).body.items.length < 2; turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const page = await integrator.page(`/console/listeners/${listener.id}`);
    assert.equal(page.status, 200);
    const panel = /<dl class="panel" data-testid="status-panel">([\s\S]*?)<\/dl>/.exec(page.text)![1]!;
    assert.match(panel, /Requests, last hour<\/dt><dd>2 <span class="hint">204: 1<\/span> <span class="hint">401: 1<\/span>/);
    assert.match(panel, /Last accepted<\/dt><dd>2026-11-01 12:00:00 UTC/);
    const requests = /<table data-testid="requests">([\s\S]*?)<\/table>/.exec(page.text)![1]!;
    assert.match(requests, /<td class="bad">401<\/td><td>ERR_UNAUTHORIZED<\/td><td>[^<]*signature/);
    assert.match(requests, /<td class="ok">204<\/td><td>accepted<\/td>/);
  });

  it('adds a generated secret shown once and rotates the old one out with an expiry', async () => {
    const rotate = await integrator.submit(`/console/listeners/${listener.id}/secrets`, { value: '', expireOldInMinutes: '60' });
    assert.equal(rotate.status, 303);
    const shown = await integrator.page(`/console/listeners/${listener.id}`);
    const secret = /data-testid="shown-once">([^<]+)</.exec(shown.text)![1]!;
    assert.match(secret, /^[\w-]{32}$/);
    const again = await integrator.page(`/console/listeners/${listener.id}`);
    assert.ok(!again.text.includes(secret), 'the generated secret is shown once');
    const keys = (await h.api().get(`/listeners/${listener.id}`)).body.verification.keys;
    assert.equal(keys.length, 2);
    assert.equal(keys[0], `****${secret.slice(-4)}`);
    assert.equal(keys[1].expiresAt, '2026-11-01T13:00:00.000Z');
    assert.equal((await signedPost(h, listener, '{"id":2}', secret)).status, 204, 'the new secret verifies');
    assert.equal((await signedPost(h, listener, '{"id":3}')).status, 204, 'the old one still does, until it expires');
    h.clock.advance(61 * 60_000);
    assert.equal((await signedPost(h, listener, '{"id":4}')).status, 401);
  });

  it('sends a test request signed as the partner and shows what came back', async () => {
    const response = await integrator.submit(`/console/listeners/${listener.id}/test-request`, { body: '{"hello":"partner"}', contentType: '' });
    assert.equal(response.status, 200);
    const result = /data-testid="test-result">([\s\S]*?)<\/div>/.exec(response.text)![1]!;
    assert.match(result, /Answer 204/);
    assert.match(result, /&quot;x-signature&quot;: &quot;\*\*\*\*&quot;/);
    assert.match(result, /\{&quot;hello&quot;:&quot;partner&quot;\}/);
  });

  it('derives a structure from the sample, and applies it as the validation schema', async () => {
    assert.equal((await signedPost(h, listener, '{"order":{"id":7,"total":"9.90"}}')).status, 204);
    const page = await integrator.page(`/console/listeners/${listener.id}`);
    assert.match(page.text, /data-testid="sample">\{\n {2}&quot;order&quot;/);
    const derived = await integrator.submit(`/console/listeners/${listener.id}/structure`, { apply: 'false' });
    assert.equal(derived.status, 200);
    assert.match(/data-testid="structure">([\s\S]*?)<\/pre>/.exec(derived.text)![1]!, /&quot;total&quot;/);
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.validation.schema, null, 'deriving alone stores nothing');
    const applied = await integrator.submit(`/console/listeners/${listener.id}/structure`, { apply: 'true' });
    assert.equal(applied.status, 303);
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.validation.schema.type, 'object');
  });

  it('starts and stops a debug session, and serves new log entries as escaped rows', async () => {
    assert.equal((await integrator.submit(`/console/listeners/${listener.id}/debug/start`, { minutes: '2' })).status, 303);
    const page = await integrator.page(`/console/listeners/${listener.id}`);
    assert.match(page.text, /data-testid="countdown" data-seconds-left="120"/);
    assert.match(page.text, /data-active="true"/);
    await signedPost(h, listener, '{"name":"<script>alert(1)</script>"}');
    const first = await integrator.agent.get(`/console/listeners/${listener.id}/debug/entries`).set('Accept', 'application/json');
    assert.equal(first.status, 200);
    assert.equal(first.body.active, true);
    assert.match(first.body.html, /verified/);
    assert.ok(!first.body.html.includes('<script>'), 'partner data is escaped');
    assert.match(first.body.html, /&lt;script&gt;/);
    const none = await integrator.agent.get(`/console/listeners/${listener.id}/debug/entries?since=${first.body.newest}`).set('Accept', 'application/json');
    assert.equal(none.body.html, '');
    assert.equal((await integrator.submit(`/console/listeners/${listener.id}/debug/stop`)).status, 303);
    assert.equal((await h.api().get(`/listeners/${listener.id}/status`)).body.debug.active, false);
  });

  it('lets support start a debug session but not test-request, apply a structure or add a secret', async () => {
    const support = await consoleAgent(h.app, await h.keyFor('support'));
    assert.equal((await support.submit(`/console/listeners/${listener.id}/debug/start`, { minutes: '1' })).status, 303);
    assert.equal((await h.api().get(`/listeners/${listener.id}/status`)).body.debug.active, true);
    assert.equal((await support.submit(`/console/listeners/${listener.id}/test-request`, { body: '' })).status, 403);
    assert.equal((await support.submit(`/console/listeners/${listener.id}/secrets`, { value: 'x' })).status, 403);
    await signedPost(h, listener, '{"a":1}');
    assert.equal((await support.submit(`/console/listeners/${listener.id}/structure`, { apply: 'true' })).status, 403);
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.verification.keys.length, 1);
  });
});
