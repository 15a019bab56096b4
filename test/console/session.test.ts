import assert from 'node:assert/strict';
import { createHarness, createListener, type Harness } from '../helpers/harness';
import { consoleAgent } from './agent';

describe('console sign-in, sessions and page security', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('redirects / and /console to the sign-in page when nobody is signed in', async () => {
    const root = await h.request().get('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/console');
    const console = await h.request().get('/console');
    assert.equal(console.status, 303);
    assert.equal(console.headers.location, '/console/sign-in');
  });

  it('signs in with an API key into an httpOnly SameSite=Strict cookie that holds a session id, not the key', async () => {
    const visitor = await consoleAgent(h.app);
    const response = await visitor.submit('/console/sign-in', { key: h.adminKey });
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/console/listeners');
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^hookport_console=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    assert.ok(!cookie.includes(h.adminKey) && !cookie.includes(h.adminKey.slice(4, 20)));
    const page = await visitor.page('/console/listeners');
    assert.equal(page.status, 200);
    assert.match(page.text, /test admin/);
  });

  it('marks the cookie Secure when the console is reached under an https public URL', async () => {
    const visitor = await consoleAgent(h.app);
    const response = await visitor.agent.post('/console/sign-in').set('Host', 'hooks.example.com').type('form')
      .send({ _csrf: visitor.csrf, key: h.adminKey });
    assert.equal(response.status, 303);
    assert.match(String(response.headers['set-cookie']), /; Secure;/);
  });

  it('refuses a wrong key with 401 and no session', async () => {
    const visitor = await consoleAgent(h.app);
    const response = await visitor.submit('/console/sign-in', { key: 'hpk_not-a-key' });
    assert.equal(response.status, 401);
    assert.match(response.text, /not a valid API key/);
    assert.equal((await visitor.page('/console/listeners')).status, 303);
  });

  it('counts wrong keys at sign-in against the API\'s failed-authentication limit', async () => {
    const visitor = await consoleAgent(h.app);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      assert.equal((await visitor.submit('/console/sign-in', { key: `hpk_guess-${attempt}` })).status, 401);
    }
    const held = await visitor.submit('/console/sign-in', { key: h.adminKey });
    assert.equal(held.status, 429);
    assert.ok(Number(held.headers['retry-after']) > 0);
    assert.equal((await h.request().get('/api/v1/listeners').set('Authorization', `Bearer ${h.adminKey}`)).status, 429, 'one limit for the API and the console');
    h.clock.advance(61_000);
    assert.equal((await visitor.submit('/console/sign-in', { key: h.adminKey })).status, 303);
  });

  it('sends a strict CSP, X-Frame-Options DENY, a Referrer-Policy and no-store on pages', async () => {
    const response = await h.request().get('/console/sign-in');
    assert.match(response.headers['content-security-policy'], /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.doesNotMatch(response.headers['content-security-policy'], /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.equal(response.headers['referrer-policy'], 'same-origin');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.doesNotMatch(response.text, /<script>|<script [^>]*>[^<]|\son\w+=/, 'no inline script or handler');
  });

  it('serves static files under a content-hash URL with a year of caching', async () => {
    const page = await h.request().get('/console/sign-in');
    const css = /href="(\/console\/static\/[0-9a-f]{12}\/console\.css)"/.exec(page.text)![1]!;
    const response = await h.request().get(css);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /text\/css/);
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    const again = await h.request().get(css).set('If-None-Match', response.headers.etag);
    assert.equal(again.status, 304);
  });

  it('refuses a form posted without its CSRF token with 403, and changes nothing', async () => {
    const admin = await consoleAgent(h.app, h.adminKey);
    const response = await admin.agent.post('/console/listeners/new').type('form').send({ name: 'forged', 'verification.type': 'none' });
    assert.equal(response.status, 403);
    assert.match(response.text, /Form token missing or wrong/);
    const wrong = await admin.submit('/console/listeners/new', { _csrf: 'x'.repeat(43), name: 'forged', 'verification.type': 'none' });
    assert.equal(wrong.status, 403);
    assert.equal((await h.api().get('/listeners')).body.items.length, 0);
  });

  it('signs out: the old session cookie no longer opens pages', async () => {
    const admin = await consoleAgent(h.app, h.adminKey);
    const out = await admin.submit('/console/sign-out');
    assert.equal(out.status, 303);
    assert.equal((await admin.page('/console/listeners')).headers.location, '/console/sign-in');
  });

  it('ends a session after 30 idle minutes', async () => {
    const admin = await consoleAgent(h.app, h.adminKey);
    h.clock.advance(29 * 60_000);
    assert.equal((await admin.page('/console/listeners')).status, 200);
    h.clock.advance(31 * 60_000);
    assert.equal((await admin.page('/console/listeners')).status, 303);
  });

  it('ends the sessions of a revoked key at once', async () => {
    const key = await h.keyFor('integrator');
    const integrator = await consoleAgent(h.app, key);
    const keys = await h.api().get('/api-keys');
    const id = keys.body.items.find((k: { role: string }) => k.role === 'integrator').id;
    assert.equal((await h.api().delete(`/api-keys/${id}`)).status, 204);
    assert.equal((await integrator.page('/console/listeners')).status, 303);
  });

  it('refuses the edit pages and forms of a support key with 403 (the API role rule)', async () => {
    const listener = await createListener(h, { verification: { type: 'none' } });
    const support = await consoleAgent(h.app, await h.keyFor('support'));
    const list = await support.page('/console/listeners');
    assert.doesNotMatch(list.text, /New listener/);
    const detail = await support.page(`/console/listeners/${listener.id}`);
    assert.equal(detail.status, 200);
    assert.doesNotMatch(detail.text, /\/edit"|Delete…|Add secret|Send test request/);
    assert.match(detail.text, /Start debug session/);
    assert.equal((await support.page(`/console/listeners/${listener.id}/edit`)).status, 403);
    assert.equal((await support.page('/console/listeners/new')).status, 403);
    const post = await support.submit(`/console/listeners/${listener.id}/edit`, { name: 'changed', 'verification.type': 'none' });
    assert.equal(post.status, 403);
    const deleted = await support.submit(`/console/listeners/${listener.id}/delete`);
    assert.equal(deleted.status, 403);
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.name, 'test listener');
  });
});
