/**
 * Verification over HTTP (SPEC §3, §4), beyond the presets: published test
 * vectors, what a refusal tells the sender and the debug log, and the generic
 * verifiers (basic, hmac with signedContent, secret_url, token) through the real
 * app. The presets are in verification-presets.test.ts, allowIps in allow-ips.test.ts.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createListener, hookPath, type Harness } from '../helpers/harness';
import { eventJson, expectAccepted, expectUnauthorized, recordExchanges, verificationSuite } from '../helpers/verification';
import { basicAuthorization, signGitHub, signStripe, SLACK_DOC_VECTOR, STANDARD_WEBHOOKS_VECTOR } from '../plugins/verifiers/fixtures';

describe('verification over HTTP', () => {
  const suite = verificationSuite();
  const { seconds, send } = suite;
  let h: Harness;
  let n = 0;
  before(() => (h = suite.harness()));

  describe('published test vectors over HTTP', () => {
    it('accepts GitHub’s “Hello, World!” signed with “It’s a Secret to Everybody”', async () => {
      const listener = await createListener(h, {
        verification: { type: 'preset', provider: 'github', secrets: ["It's a Secret to Everybody"] },
        parsing: { passThrough: true },
      });
      await expectAccepted(h, listener.id, () =>
        h.request().post(hookPath(listener)).set('Content-Type', 'text/plain')
          .set('X-Hub-Signature-256', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17').send('Hello, World!'),
      );
      const [job] = await h.services.store.readJobs(listener.id, 0, 10);
      assert.deepEqual(JSON.parse(job!.pages[0]!.recordsJson), ['Hello, World!']);
    });

    const SLACK = SLACK_DOC_VECTOR;
    const slackExample = (listener: { id: string }) => () =>
      h.request().post(hookPath(listener)).set('Content-Type', 'application/x-www-form-urlencoded')
        .set('X-Slack-Request-Timestamp', String(SLACK.timestamp)).set('X-Slack-Signature', SLACK.signature).send(SLACK.body);

    it('accepts Slack’s worked example at the time it was signed, and refuses it 5 minutes and 1 second later', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'slack', secrets: [SLACK.secret] } });
      h.clock.set(SLACK.timestamp * 1000 + 30_000);
      await expectAccepted(h, listener.id, slackExample(listener));
      const [job] = await h.services.store.readJobs(listener.id, 0, 10);
      assert.equal(JSON.parse(job!.pages[0]!.recordsJson)[0].command, '/webhook-collect');
      h.clock.set((SLACK.timestamp + 301) * 1000);
      await expectUnauthorized(h, listener.id, slackExample(listener));
    });

    const VECTOR = STANDARD_WEBHOOKS_VECTOR;

    for (const [provider, prefix] of [['standard-webhooks', 'webhook'], ['standard-webhooks', 'svix'], ['svix', 'svix']] as const) {
      it(`accepts the Standard Webhooks vector with ${prefix}-* headers on a ${provider} listener, and not 301 s later`, async () => {
        const listener = await createListener(h, { verification: { type: 'preset', provider, secrets: [VECTOR.secret] } });
        const vector = () =>
          h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
            .set(`${prefix}-id`, VECTOR.id).set(`${prefix}-timestamp`, String(VECTOR.timestamp)).set(`${prefix}-signature`, VECTOR.signature)
            .send(VECTOR.body);
        h.clock.set(VECTOR.timestamp * 1000);
        await expectAccepted(h, listener.id, vector);
        h.clock.set((VECTOR.timestamp + 301) * 1000);
        await expectUnauthorized(h, listener.id, vector);
      });
    }

    it('accepts a Standard Webhooks request carrying several signatures when one matches', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'standard-webhooks', secrets: [VECTOR.secret] } });
      h.clock.set(VECTOR.timestamp * 1000);
      await expectAccepted(h, listener.id, () =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
          .set('webhook-id', VECTOR.id).set('webhook-timestamp', String(VECTOR.timestamp))
          .set('webhook-signature', `v1,bm90IHRoaXMgb25l ${VECTOR.signature} v1a,aWdub3JlZA==`).send(VECTOR.body),
      );
    });

    it('accepts a Stripe-Signature with several v1 entries while Stripe rolls the secret', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'stripe', secrets: ['whsec_rolled_in'] } });
      const body = eventJson(++n);
      const headers = signStripe({ secret: 'whsec_rolled_in', body, timestamp: seconds(), extraV1: ['0'.repeat(64)] });
      await expectAccepted(h, listener.id, send(listener, { contentType: 'application/json', body, headers }));
    });
  });

  describe('refusals say nothing to the sender and everything to the debug log', () => {
    it('keeps the precise reason in the exchange the observers see, and not in the 401', async () => {
      const recorder = recordExchanges(h);
      try {
        const listener = await createListener(h, { verification: { type: 'preset', provider: 'github', secrets: ['the-real-secret'] } });
        const body = eventJson(++n);
        const response = await expectUnauthorized(h, listener.id, send(listener, { contentType: 'application/json', body, headers: signGitHub({ secret: 'a-guess', body }) }));
        assert.doesNotMatch(response.text, /signature|mismatch|secret|key|x-hub/i);
        const exchange = recorder.of(response);
        assert.equal(exchange.outcome, 'ERR_UNAUTHORIZED');
        assert.equal(exchange.verification?.ok, false);
        assert.match(exchange.verification?.reason ?? '', /^signature mismatch/);
      } finally {
        recorder.stop();
      }
    });

    it('records “secret expired” for a secret past its expiresAt, and a stale timestamp as such', async () => {
      const recorder = recordExchanges(h);
      try {
        const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
        const listener = await createListener(h, { verification: { type: 'preset', provider: 'stripe', secrets: ['whsec_new', { value: 'whsec_old', expiresAt }] } });
        const body = eventJson(++n);
        const stale = await expectUnauthorized(h, listener.id, send(listener, { contentType: 'application/json', body, headers: signStripe({ secret: 'whsec_new', body, timestamp: seconds() - 360 }) }));
        assert.equal(recorder.of(stale).verification?.reason, 'timestamp is 360 s old, outside the 300 s tolerance');
        h.clock.advanceSeconds(61);
        const expired = await expectUnauthorized(h, listener.id, send(listener, { contentType: 'application/json', body, headers: signStripe({ secret: 'whsec_old', body, timestamp: seconds() }) }));
        assert.equal(recorder.of(expired).verification?.reason, 'secret expired');
        assert.doesNotMatch(expired.text, /expired|timestamp/);
      } finally {
        recorder.stop();
      }
    });
  });

  describe('basic verifier over HTTP', () => {
    const config = { type: 'basic', username: 'partner', passwords: ['pa:ss:word'] };

    it('accepts the right user and a password containing colons (RFC 7617)', async () => {
      const listener = await createListener(h, { verification: config });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).set(basicAuthorization('partner', 'pa:ss:word')).send({ a: 1 }));
    });

    it('refuses a wrong password, a wrong user and no credentials with WWW-Authenticate: Basic realm="hookport"', async () => {
      const listener = await createListener(h, { verification: config });
      for (const headers of [basicAuthorization('partner', 'pa:ss'), basicAuthorization('Partner', 'pa:ss:word'), basicAuthorization('other', 'pa:ss:word'), {}]) {
        const response = await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set(headers).send({ a: 1 }));
        assert.equal(response.headers['www-authenticate'], 'Basic realm="hookport"');
      }
    });

    it('accepts an old password until its expiresAt', async () => {
      const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
      const listener = await createListener(h, { verification: { ...config, passwords: ['new-password', { value: 'old-password', expiresAt }] } });
      const withPassword = (password: string) => () => h.request().post(hookPath(listener)).set(basicAuthorization('partner', password)).send({});
      await expectAccepted(h, listener.id, withPassword('old-password'));
      h.clock.advanceSeconds(61);
      await expectUnauthorized(h, listener.id, withPassword('old-password'));
      await expectAccepted(h, listener.id, withPassword('new-password'));
    });
  });

  describe('hmac verifier with signedContent over HTTP', () => {
    const key = 'generic-hmac-key';
    const sign = (content: string) => 'v1=' + createHmac('sha256', key).update(content).digest('hex');
    const settings = {
      type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', prefix: 'v1=', keys: [key],
      signedContent: '{timestamp}.{body}', timestampHeader: 'X-Timestamp',
    };
    const post = (listener: { id: string }, body: string, headers: Record<string, string>) => () =>
      h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(headers).send(body);

    it('accepts a signature over "{timestamp}.{body}" with a fresh timestamp', async () => {
      const listener = await createListener(h, { verification: settings });
      const body = '{"order":1}';
      const t = String(seconds());
      await expectAccepted(h, listener.id, post(listener, body, { 'X-Timestamp': t, 'X-Signature': sign(`${t}.${body}`) }));
    });

    it('refuses a signature of the body alone, a changed timestamp and a stale one', async () => {
      const listener = await createListener(h, { verification: settings });
      const body = '{"order":1}';
      const t = String(seconds());
      await expectUnauthorized(h, listener.id, post(listener, body, { 'X-Timestamp': t, 'X-Signature': sign(body) }));
      await expectUnauthorized(h, listener.id, post(listener, body, { 'X-Timestamp': String(seconds() + 1), 'X-Signature': sign(`${t}.${body}`) }));
      const old = String(seconds() - 301);
      await expectUnauthorized(h, listener.id, post(listener, body, { 'X-Timestamp': old, 'X-Signature': sign(`${old}.${body}`) }));
    });

    it('refuses to save a timestampHeader that signedContent does not sign, so a fresh timestamp cannot carry an old signature', async () => {
      const { signedContent: _signed, ...unsigned } = settings;
      const response = await h.api().post('/listeners', { name: 'unsigned timestamp', verification: unsigned });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.errors.map((error: { path: string }) => error.path), ['/verification/signedContent']);
    });

    it('reads only headers and query parameters the request carries, never members every object inherits', async () => {
      const recorder = recordExchanges(h);
      try {
        for (const [placeholder, reason] of [
          ['{headers.constructor}', 'signedContent uses header constructor, which is missing'],
          ['{query.constructor}', 'signedContent uses query parameter constructor, which is missing'],
          ['{query.toString}', 'signedContent uses query parameter toString, which is missing'],
        ] as const) {
          const listener = await createListener(h, {
            verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', prefix: 'v1=', keys: [key], signedContent: `${placeholder}.{body}` },
          });
          const body = '{"order":3}';
          const response = await expectUnauthorized(h, listener.id, post(listener, body, { 'X-Signature': sign(body) }));
          assert.equal(recorder.of(response).verification?.reason, reason, placeholder);
        }
      } finally {
        recorder.stop();
      }
    });

    it('signs the URL partners call (on HOOKPORT_PUBLIC_URL), a header and a query parameter when asked', async () => {
      const listener = await createListener(h, {
        verification: { type: 'hmac', algorithm: 'sha1', encoding: 'base64', header: 'X-Signature', keys: [key], signedContent: '{url}|{headers.x-event}|{query.shop}|{body}' },
      });
      const body = '{"order":2}';
      const url = `https://hooks.example.com/hooks/${listener.id}?shop=acme`;
      const signature = createHmac('sha1', key).update(`${url}|order.paid|acme|${body}`).digest('base64');
      const request = (event: string) => () =>
        h.request().post(`${hookPath(listener)}?shop=acme`).set('Content-Type', 'application/json').set({ 'X-Event': event, 'X-Signature': signature }).send(body);
      await expectAccepted(h, listener.id, request('order.paid'));
      await expectUnauthorized(h, listener.id, request('order.cancelled'));
    });
  });

  describe('secret_url verifier over HTTP', () => {
    it('accepts the generated segment shown once in the listener’s url', async () => {
      const listener = await createListener(h, { verification: { type: 'secret_url' } });
      const [secret] = listener.generatedSecrets;
      assert.equal(listener.url, `https://hooks.example.com/hooks/${listener.id}/${secret}`);
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener, secret)).send({ a: 1 }));
    });

    it('refuses a wrong segment and a missing one', async () => {
      const listener = await createListener(h, { verification: { type: 'secret_url', secrets: ['right-segment-0001'] } });
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener, 'wrong-segment-0001')).send({ a: 1 }));
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).send({ a: 1 }));
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener, 'right-segment-0001')).send({ a: 1 }));
    });

    it('accepts the old segment during rotation and refuses it after its expiresAt', async () => {
      const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
      const listener = await createListener(h, { verification: { type: 'secret_url', secrets: ['new-segment', { value: 'old-segment', expiresAt }] } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener, 'old-segment')).send({}));
      h.clock.advanceSeconds(61);
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener, 'old-segment')).send({}));
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener, 'new-segment')).send({}));
    });
  });

  describe('token verifier over HTTP', () => {
    const TOKEN = 'shared-token-0001';

    it('finds a token in the body at myAuth.token in JSON, XML and form bodies', async () => {
      const listener = await createListener(h, { verification: { type: 'token', tokens: [TOKEN], location: { in: 'body', path: 'myAuth.token' } } });
      const bodies: Array<[string, (token: string) => string]> = [
        ['application/json', (token) => JSON.stringify({ myAuth: { token }, order: 1 })],
        ['application/xml', (token) => `<myAuth><token>${token}</token><order>1</order></myAuth>`],
        ['application/x-www-form-urlencoded', (token) => `myAuth%5Btoken%5D=${token}&order=1`],
      ];
      for (const [contentType, body] of bodies) {
        const post = (token: string) => () => h.request().post(hookPath(listener)).set('Content-Type', contentType).send(body(token));
        await expectAccepted(h, listener.id, post(TOKEN));
        await expectUnauthorized(h, listener.id, post('shared-token-9999'));
      }
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).send({ order: 1 }));
    });

    it('finds a token in a header, bare or as a Bearer token in Authorization', async () => {
      const custom = await createListener(h, { verification: { type: 'token', tokens: [TOKEN], location: { in: 'header', name: 'X-Api-Token' } } });
      await expectAccepted(h, custom.id, () => h.request().post(hookPath(custom)).set('X-Api-Token', TOKEN).send({}));
      await expectUnauthorized(h, custom.id, () => h.request().post(hookPath(custom)).set('X-Api-Token', 'shared-token-9999').send({}));
      await expectUnauthorized(h, custom.id, () => h.request().post(hookPath(custom)).send({}));
      const bearer = await createListener(h, { verification: { type: 'token', tokens: [TOKEN], location: { in: 'header', name: 'Authorization' } } });
      await expectAccepted(h, bearer.id, () => h.request().post(hookPath(bearer)).set('Authorization', `Bearer ${TOKEN}`).send({}));
      await expectUnauthorized(h, bearer.id, () => h.request().post(hookPath(bearer)).set('Authorization', 'Bearer shared-token-9999').send({}));
    });

    it('finds a token in the query string', async () => {
      const listener = await createListener(h, { verification: { type: 'token', tokens: [TOKEN], location: { in: 'query', name: 'token' } } });
      await expectAccepted(h, listener.id, () => h.request().post(`${hookPath(listener)}?token=${TOKEN}`).send({}));
      await expectUnauthorized(h, listener.id, () => h.request().post(`${hookPath(listener)}?token=shared-token-9999`).send({}));
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).send({}));
    });
  });
});

