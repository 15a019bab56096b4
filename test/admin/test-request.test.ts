import assert from 'node:assert/strict';
import { createHarness, createListener, type Harness } from '../helpers/harness';

const WHSEC = 'whsec_' + Buffer.from('test-request standard webhooks key').toString('base64');

/** One listener per verifier type the test-request endpoint must be able to sign for. */
const VERIFIERS: Array<{ name: string; verification: Record<string, unknown>; secret: string; input?: Record<string, unknown> }> = [
  { name: 'github', verification: { type: 'preset', provider: 'github', secrets: ['gh-secret-0001'] }, secret: 'gh-secret-0001' },
  { name: 'stripe', verification: { type: 'preset', provider: 'stripe', secrets: ['whsec_stripe0001'] }, secret: 'whsec_stripe0001' },
  { name: 'slack', verification: { type: 'preset', provider: 'slack', secrets: ['slack-secret-0001'] }, secret: 'slack-secret-0001' },
  { name: 'shopify', verification: { type: 'preset', provider: 'shopify', secrets: ['shpss-secret-0001'] }, secret: 'shpss-secret-0001' },
  { name: 'standard-webhooks', verification: { type: 'preset', provider: 'standard-webhooks', secrets: [WHSEC] }, secret: WHSEC },
  { name: 'svix', verification: { type: 'preset', provider: 'svix', secrets: [WHSEC] }, secret: WHSEC },
  {
    name: 'twilio (form)',
    verification: { type: 'preset', provider: 'twilio', secrets: ['twilio-token-0001'] },
    secret: 'twilio-token-0001',
    input: { contentType: 'application/x-www-form-urlencoded', body: { CallSid: 'CA0001', From: '+15551234567' } },
  },
  { name: 'twilio (JSON)', verification: { type: 'preset', provider: 'twilio', secrets: ['twilio-token-0002'] }, secret: 'twilio-token-0002' },
  { name: 'zoom', verification: { type: 'preset', provider: 'zoom', secrets: ['zoom-secret-0001'] }, secret: 'zoom-secret-0001' },
  {
    name: 'square',
    verification: { type: 'preset', provider: 'square', secrets: ['square-key-0001'], publicUrl: 'https://square-facing.example/hooks/orders' },
    secret: 'square-key-0001',
  },
  { name: 'meta', verification: { type: 'preset', provider: 'meta', secrets: ['meta-secret-0001'], verifyToken: 'meta-verify-0001' }, secret: 'meta-secret-0001' },
  { name: 'basic', verification: { type: 'basic', username: 'partner', passwords: ['pass:with:colons-0001'] }, secret: 'pass:with:colons-0001' },
  {
    name: 'hmac with signedContent',
    verification: {
      type: 'hmac', algorithm: 'sha512', encoding: 'base64url', header: 'X-Signature', keys: ['hmac-key-0001'],
      signedContent: '{timestamp}.{url}.{body}', timestampHeader: 'X-Timestamp',
    },
    secret: 'hmac-key-0001',
  },
  { name: 'secret_url', verification: { type: 'secret_url', secrets: ['secreturlsegment0001'] }, secret: 'secreturlsegment0001' },
  { name: 'token in the body', verification: { type: 'token', tokens: ['body-token-0001'], location: { in: 'body', path: 'myAuth.token' } }, secret: 'body-token-0001' },
  { name: 'token in a header', verification: { type: 'token', tokens: ['header-token-0001'], location: { in: 'header', name: 'X-Api-Token' } }, secret: 'header-token-0001' },
  { name: 'token in the query', verification: { type: 'token', tokens: ['query-token-0001'], location: { in: 'query', name: 'token' } }, secret: 'query-token-0001' },
];

describe('POST /api/v1/listeners/{id}/test-request', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const jobs = (listenerId: string) => h.services.store.readJobs(listenerId, 0, 100);
  const testRequest = (listenerId: string, input: Record<string, unknown> = {}) => h.api().post(`/listeners/${listenerId}/test-request`, input);

  describe('signs as the partner would, for every verifier', () => {
    for (const { name, verification, secret, input } of VERIFIERS) {
      it(`gets a request signed for ${name} accepted, and shows no secret`, async () => {
        const listener = await createListener(h, { verification });
        const reply = await testRequest(listener.id, input);
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body.response.status, 204, JSON.stringify(reply.body.response.body));
        assert.equal((await jobs(listener.id)).length, 1, 'the test request is a real, accepted request');
        assert.equal(JSON.stringify(reply.body).includes(secret), false, 'the reply shows the secret');
      });
    }
  });

  it('sends the caller’s body, headers and query, and masks the signature header', async () => {
    const listener = await createListener(h, { verification: { type: 'preset', provider: 'github', secrets: ['gh-secret-0002'] } });
    const reply = await testRequest(listener.id, { body: { zen: 'Design for failure.' }, headers: { 'X-GitHub-Event': 'ping' }, query: 'source=console' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.request.method, 'POST');
    assert.equal(reply.body.request.url, `${listener.url}?source=console`);
    assert.equal(reply.body.request.body, '{"zen":"Design for failure."}');
    assert.equal(reply.body.request.headers['content-type'], 'application/json');
    assert.equal(reply.body.request.headers['x-github-event'], 'ping');
    assert.equal(reply.body.request.headers['x-hub-signature-256'], '****');
    const [job] = await jobs(listener.id);
    assert.deepEqual(JSON.parse(job!.pages[0]!.recordsJson), [{ zen: 'Design for failure.' }]);
  });

  it('sends {"test":true} by default, and the listener’s sample once there is one', async () => {
    const listener = await createListener(h, {});
    await testRequest(listener.id).expect(200);
    await h.services.store.saveSample(listener.id, {
      body: { order: 1001 }, headers: {}, receivedAt: new Date(h.clock.now()).toISOString(), contentType: 'application/json',
    });
    const reply = await testRequest(listener.id).expect(200);
    assert.equal(reply.body.request.body, '{"order":1001}');
    const records = (await jobs(listener.id)).map((job) => JSON.parse(job.pages[0]!.recordsJson)[0]);
    assert.deepEqual(records, [{ test: true }, { order: 1001 }]);
  });

  it('sends a string body byte for byte with the given content type', async () => {
    const listener = await createListener(h, { verification: { type: 'preset', provider: 'shopify', secrets: ['shpss-secret-0002'] } });
    const xml = '<order><id>01234</id></order>';
    const reply = await testRequest(listener.id, { body: xml, contentType: 'application/xml' }).expect(200);
    assert.equal(reply.body.response.status, 204);
    assert.equal(reply.body.request.body, xml);
    const [job] = await jobs(listener.id);
    assert.deepEqual(JSON.parse(job!.pages[0]!.recordsJson), [{ order: { id: '01234' } }]);
  });

  it('returns the listener’s answer with a JSON body parsed', async () => {
    const listener = await createListener(h, { response: { status: 200, body: { received: '{{body.n}}' }, headers: { 'X-Count': '{{recordCount}}' } } });
    const reply = await testRequest(listener.id, { body: { n: 7 } }).expect(200);
    assert.equal(reply.body.response.status, 200);
    assert.deepEqual(reply.body.response.body, { received: '7' });
    assert.equal(reply.body.response.headers['x-count'], '1');
    assert.match(reply.body.response.headers['content-type'], /^application\/json/);
  });

  it('reports a refusal as the listener gave it: 401 problem+json for an address outside allowIps', async () => {
    const listener = await createListener(h, {
      allowIps: ['203.0.113.0/24'],
      verification: { type: 'preset', provider: 'github', secrets: ['gh-secret-0003'] },
    });
    const reply = await testRequest(listener.id).expect(200);
    assert.equal(reply.body.response.status, 401);
    assert.match(reply.body.response.headers['content-type'], /^application\/problem\+json/);
    assert.equal(reply.body.response.body.title, 'Unauthorized');
    assert.equal((await jobs(listener.id)).length, 0);
  });

  it('masks a secret URL segment and a token in the query in the URL it shows', async () => {
    const secretUrl = await createListener(h, { verification: { type: 'secret_url', secrets: ['secreturlsegment0002'] } });
    const first = await testRequest(secretUrl.id, { query: 'a=1' }).expect(200);
    assert.equal(first.body.request.url, `https://hooks.example.com/hooks/${secretUrl.id}/****?a=1`);
    assert.equal(first.body.response.status, 204);

    const inQuery = await createListener(h, { verification: { type: 'token', tokens: ['query-token-0002'], location: { in: 'query', name: 'token' } } });
    const second = await testRequest(inQuery.id, { query: 'a=1' }).expect(200);
    assert.equal(second.body.request.url, `https://hooks.example.com/hooks/${inQuery.id}?a=1&token=****`);
    assert.equal(second.body.response.status, 204);
  });

  it('masks a token it put into the body', async () => {
    const listener = await createListener(h, { verification: { type: 'token', tokens: ['body-token-0002'], location: { in: 'body', path: 'myAuth.token' } } });
    const reply = await testRequest(listener.id, { body: { order: 5 } }).expect(200);
    assert.equal(reply.body.response.status, 204);
    assert.deepEqual(JSON.parse(reply.body.request.body), { order: 5, myAuth: { token: '****' } });
  });

  it('sends a GET with the query, as Meta checks a subscription, and gets the challenge back', async () => {
    const listener = await createListener(h, { verification: { type: 'preset', provider: 'meta', secrets: ['meta-secret-0002'], verifyToken: 'meta-verify-0002' } });
    const reply = await testRequest(listener.id, { method: 'GET', query: 'hub.mode=subscribe&hub.verify_token=meta-verify-0002&hub.challenge=1158201444' }).expect(200);
    assert.equal(reply.body.response.status, 200);
    assert.equal(reply.body.response.body, '1158201444');
    assert.equal(reply.body.request.body, '');
    assert.equal(reply.body.request.url, `${listener.url}?hub.mode=subscribe&hub.verify_token=****&hub.challenge=1158201444`);
  });

  it('answers 422 when every secret of the listener has expired, and sends nothing', async () => {
    const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
    const listener = await createListener(h, { verification: { type: 'preset', provider: 'github', secrets: [{ value: 'gh-secret-0004', expiresAt }] } });
    const now = h.clock.now();
    h.clock.advanceSeconds(61);
    try {
      const reply = await testRequest(listener.id);
      assert.equal(reply.status, 422);
      assert.match(reply.body.detail, /cannot sign this request: No active secret/);
      assert.equal((await jobs(listener.id)).length, 0);
    } finally {
      h.clock.set(now);
    }
  });

  it('names a bad field: a body with GET, a framing header', async () => {
    const listener = await createListener(h, {});
    const get = await testRequest(listener.id, { method: 'GET', body: { a: 1 } });
    assert.equal(get.status, 400);
    assert.deepEqual(get.body.errors.map((e: { path: string }) => e.path), ['/body']);
    const framing = await testRequest(listener.id, { headers: { 'Content-Length': '5' } });
    assert.equal(framing.status, 400);
    assert.deepEqual(framing.body.errors.map((e: { path: string }) => e.path), ['/headers/Content-Length']);
    const unknown = await testRequest(listener.id, { bogus: true });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.errors.map((e: { path: string }) => e.path), ['/bogus']);
    assert.equal((await jobs(listener.id)).length, 0);
  });

  it('is for admins and integrators, not support; 404 for an unknown listener', async () => {
    const listener = await createListener(h, {});
    await h.keyFor('support');
    await h.keyFor('integrator');
    assert.equal((await h.api('support').post(`/listeners/${listener.id}/test-request`, {})).status, 403);
    assert.equal((await h.api('integrator').post(`/listeners/${listener.id}/test-request`, {})).status, 200);
    assert.equal((await testRequest('a'.repeat(32))).status, 404);
  });

  it('is in the OpenAPI document with its body and reply', async () => {
    const document = (await h.request().get('/api/v1/openapi.json')).body;
    const operation = document.paths['/api/v1/listeners/{id}/test-request']?.post;
    assert.ok(operation, 'not documented');
    assert.deepEqual(operation['x-roles'], ['admin', 'integrator']);
    assert.deepEqual(Object.keys(operation.requestBody.content['application/json'].schema.properties).sort(), ['body', 'contentType', 'headers', 'method', 'query']);
    assert.deepEqual(Object.keys(operation.responses['200'].content['application/json'].schema.properties), ['request', 'response']);
  });

  it('reaches the listener when the server listens on a real port', async () => {
    const listener = await createListener(h, { verification: { type: 'preset', provider: 'stripe', secrets: ['whsec_stripe0002'] } });
    const base = await h.listen();
    const response = await fetch(`${base}/api/v1/listeners/${listener.id}/test-request`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: { id: 'evt_1', type: 'charge.succeeded' } }),
    });
    assert.equal(response.status, 200);
    const reply = (await response.json()) as any;
    assert.equal(reply.response.status, 204);
    assert.equal(reply.request.headers['stripe-signature'], '****');
    assert.equal((await jobs(listener.id)).length, 1);
  });
});
