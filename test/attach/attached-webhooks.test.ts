import assert from 'node:assert/strict';
import { createHarness, hookPath, type Harness } from '../helpers/harness';
import { signStripe } from '../plugins/verifiers/fixtures';
import { fakeGitHub, fakeStripe, type FakePartner } from './fake-partners';

const GITHUB_TOKEN = 'ghp_fakeTokenForTests0001';
const STRIPE_KEY = 'sk_test_fakeKeyForTests0002';

/** The documented GitHub example (docs/integrations.md), aimed at the fake. */
function githubAttach(connectionId: string) {
  return {
    connectionId,
    register: {
      method: 'POST', path: '/repos/acme/shop/hooks',
      body: { name: 'web', active: true, events: ['push', 'pull_request'], config: { url: '{{listener.url}}', content_type: 'json', secret: '{{listener.secret}}', insecure_ssl: '0' } },
    },
    unregister: { method: 'DELETE', path: '/repos/acme/shop/hooks/{{externalId}}' },
    externalIdPath: '$.id',
  };
}

describe('attached webhooks', function () {
  this.timeout(30_000);
  let h: Harness;
  let github: FakePartner;
  let stripe: FakePartner;
  let githubConnection: string;
  let stripeConnection: string;
  beforeEach(async () => {
    h = await createHarness();
    [github, stripe] = await Promise.all([fakeGitHub(GITHUB_TOKEN), fakeStripe(STRIPE_KEY)]);
    githubConnection = (await h.api().post('/connections', {
      name: 'GitHub', baseUrl: github.url,
      headers: [
        { name: 'Authorization', value: `Bearer ${GITHUB_TOKEN}`, private: true },
        { name: 'Accept', value: 'application/vnd.github+json' },
        { name: 'X-GitHub-Api-Version', value: '2022-11-28' },
      ],
    }).expect(201)).body.id;
    stripeConnection = (await h.api().post('/connections', {
      name: 'Stripe', baseUrl: stripe.url, headers: [{ name: 'Authorization', value: `Bearer ${STRIPE_KEY}`, private: true }],
    }).expect(201)).body.id;
  });
  afterEach(async () => {
    await Promise.all([github.close(), stripe.close()]);
    await h.close();
  });

  it('registers a GitHub repository webhook on creation with the listener’s URL and secret, and unregisters it on delete', async () => {
    const created = await h.api().post('/listeners', {
      name: 'GitHub pushes', verification: { type: 'preset', provider: 'github', secrets: ['gh-webhook-secret-1'] }, attach: githubAttach(githubConnection),
    }).expect(201);
    assert.equal(created.body.attachment.status, 'attached');
    const hookId = created.body.attachment.externalId;
    const registered = github.hooks.get(hookId) as any;
    assert.equal(registered.config.url, `https://hooks.example.com/hooks/${created.body.id}`);
    assert.equal(registered.secret, 'gh-webhook-secret-1', 'GitHub signs with the secret the listener verifies');
    assert.deepEqual(registered.events, ['push', 'pull_request']);
    const call = github.requests[0]!;
    assert.equal(call.headers['x-github-api-version'], '2022-11-28');
    assert.equal(call.headers['content-type'], 'application/json');
    assert.ok(!JSON.stringify(created.body).includes(GITHUB_TOKEN));
    const status = (await h.api().get(`/listeners/${created.body.id}/status`).expect(200)).body;
    assert.equal(status.attach.status, 'attached');

    await h.api().delete(`/listeners/${created.body.id}`).expect(204);
    assert.equal(github.hooks.size, 0, 'the webhook was unregistered');
    assert.equal(github.requests.at(-1)!.path, `/repos/acme/shop/hooks/${hookId}`);
    assert.equal(github.requests.at(-1)!.method, 'DELETE');
  });

  it('registers a Stripe webhook endpoint with a form-encoded body, keeps its id, and verifies with the signing secret Stripe answered', async () => {
    const created = await h.api().post('/listeners', {
      name: 'Stripe payments',
      verification: { type: 'preset', provider: 'stripe', secrets: ['whsec_placeholder'] },
      attach: {
        connectionId: stripeConnection,
        register: { method: 'POST', path: '/v1/webhook_endpoints', type: 'form', body: { url: '{{listener.url}}', enabled_events: ['payment_intent.succeeded', 'charge.refunded'] } },
        unregister: { method: 'DELETE', path: '/v1/webhook_endpoints/{{externalId}}' },
        externalIdPath: '$.id',
        secretPath: '$.secret',
      },
    }).expect(201);
    const endpointId = created.body.attachment.externalId;
    assert.match(endpointId, /^we_/);
    const form = new URLSearchParams(stripe.requests[0]!.body);
    assert.equal(form.get('url'), `https://hooks.example.com/hooks/${created.body.id}`);
    assert.deepEqual(form.getAll('enabled_events[]'), ['payment_intent.succeeded', 'charge.refunded']);
    assert.equal(stripe.requests[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
    const whsec = (stripe.hooks.get(endpointId) as any).secret as string;
    assert.ok(!JSON.stringify(created.body).includes(whsec), 'the adopted secret is masked like every other');
    const event = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded' });
    const timestamp = Math.floor(h.clock.now() / 1000);
    await h.request().post(hookPath(created.body)).set('Content-Type', 'application/json')
      .set(signStripe({ secret: whsec, body: event, timestamp })).send(event).expect(204);
    await h.request().post(hookPath(created.body)).set('Content-Type', 'application/json')
      .set(signStripe({ secret: 'whsec_placeholder', body: event, timestamp })).send(event).expect(401);
    await h.api().delete(`/listeners/${created.body.id}`).expect(204);
    assert.equal(stripe.hooks.size, 0);
  });

  it('keeps a listener whose registration fails, shows the partner’s answer in its status, and registers on POST .../attach', async () => {
    github.failNext(1, 422, { message: 'Validation Failed', errors: [{ message: 'Hook already exists on this repository' }] });
    const created = await h.api().post('/listeners', {
      name: 'GitHub pushes', verification: { type: 'preset', provider: 'github', secrets: ['gh-webhook-secret-2'] }, attach: githubAttach(githubConnection),
    }).expect(201);
    assert.equal(created.body.attachment.status, 'failed');
    assert.equal(created.body.attachment.error.status, 422);
    assert.match(created.body.attachment.error.body, /Hook already exists/);
    const status = (await h.api().get(`/listeners/${created.body.id}/status`).expect(200)).body;
    assert.equal(status.attach.status, 'failed');
    assert.match(status.attach.error.body, /Hook already exists/);
    await h.api().get(`/listeners/${created.body.id}`).expect(200);

    github.failNext(1, 503, { message: 'Service unavailable' });
    const again = await h.api().post(`/listeners/${created.body.id}/attach`);
    assert.equal(again.status, 502);
    assert.equal(again.body.code, 'ERR_ATTACH_FAILED');
    assert.equal(again.body.attachment.error.status, 503);

    const retried = await h.api().post(`/listeners/${created.body.id}/attach`).expect(200);
    assert.equal(retried.body.attachment.status, 'attached');
    assert.equal(github.hooks.size, 1);
    // attached already: a second call registers nothing more
    await h.api().post(`/listeners/${created.body.id}/attach`).expect(200);
    assert.equal(github.hooks.size, 1);
  });

  it('fails the attachment when the answer has no id at externalIdPath, or the partner cannot be reached', async () => {
    const noId = await h.api().post('/listeners', {
      name: 'x', attach: { ...githubAttach(githubConnection), externalIdPath: '$.hook.identifier' },
    }).expect(201);
    assert.equal(noId.body.attachment.status, 'failed');
    assert.match(noId.body.attachment.error.message, /externalIdPath/);
    assert.match(noId.body.attachment.error.message, /it has: type, id, name, active, events, config/);
    assert.equal(noId.body.attachment.error.body, null, 'a successful answer is not kept: it may hold credentials');
    await github.close();
    const unreachable = await h.api().post(`/listeners/${noId.body.id}/attach`);
    assert.equal(unreachable.status, 502);
    assert.match(unreachable.body.attachment.error.message, /could not be reached/);
    github = await fakeGitHub(GITHUB_TOKEN);
  });

  it('names what is wrong with attach settings, refuses to attach a listener without them, and keeps a connection attached listeners use', async () => {
    const unknown = await h.api().post('/listeners', { name: 'x', attach: { ...githubAttach('a'.repeat(32)) } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].path, '/attach/connectionId');
    const badTemplate = await h.api().post('/listeners', { name: 'x', attach: { ...githubAttach(githubConnection), unregister: { path: '/{{#if}}' } } });
    assert.equal(badTemplate.status, 400);
    assert.equal(badTemplate.body.errors[0].path, '/attach/unregister/path');
    const plain = (await h.api().post('/listeners', { name: 'plain' }).expect(201)).body;
    const refused = await h.api().post(`/listeners/${plain.id}/attach`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'ERR_ATTACH_NOT_CONFIGURED');
    const attached = (await h.api().post('/listeners', { name: 'gh', attach: githubAttach(githubConnection) }).expect(201)).body;
    const inUse = await h.api().delete(`/connections/${githubConnection}`);
    assert.equal(inUse.status, 409);
    assert.deepEqual(inUse.body.listeners, [{ id: attached.id, name: 'gh' }]);
  });
});
