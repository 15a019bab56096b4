/**
 * Verification over HTTP (SPEC §3, §4): every preset and generic verifier
 * driven through the real app with requests built the way each partner builds
 * them — by the independent signers in test/plugins/verifiers/fixtures.ts, never
 * by the plugins' own `sign`.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectAccepted, expectUnauthorized, recordExchanges } from '../helpers/verification';
import {
  basicAuthorization, signGitHub, signMeta, signShopify, signSlack, signSquare, signStandardWebhooks, signStripe, signTwilio, signTwilioJson,
  signZoom,
  SLACK_DOC_VECTOR,
  STANDARD_WEBHOOKS_VECTOR,
} from '../plugins/verifiers/fixtures';

const BASE = Date.UTC(2026, 10, 1, 12, 0, 0);
const whsec = (text: string) => 'whsec_' + Buffer.from(text).toString('base64');

/** What a partner sends: headers, body, and anything it adds to the listener URL. */
interface Delivery {
  contentType: string;
  headers: Record<string, string>;
  body: string;
  pathSuffix?: string;
}

interface PresetCase {
  name: string;
  verification: Record<string, unknown>;
  secret: string;
  newSecret: string;
  otherSecret: string;
  /** Signs a timestamp, so a stale one must be refused. */
  timestamped: boolean;
  /** A fresh event (unique ids, `"amount":100` somewhere in the body) signed with `secret` at `seconds`. */
  deliver(input: { secret: string; seconds: number; listenerUrl: string; n: number }): Delivery;
}

const json = (n: number) => JSON.stringify({ id: `evt_${n}`, event_id: `Ev${n}`, type: 'order.created', amount: 100 });
const SQUARE_URL = 'https://square-facing.example/hooks/orders';
const TWILIO_URL = 'https://twilio-facing.example/sms/inbound';

const PRESETS: PresetCase[] = [
  {
    name: 'github preset',
    verification: { type: 'preset', provider: 'github' },
    secret: "It's a Secret to Everybody", newSecret: 'github-new-secret', otherSecret: 'github-other-secret', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: { 'x-github-event': 'push', 'x-github-delivery': `72d3162e-${n}`, ...signGitHub({ secret, body }) } };
    },
  },
  {
    name: 'stripe preset',
    verification: { type: 'preset', provider: 'stripe' },
    secret: 'whsec_stripe_current', newSecret: 'whsec_stripe_new', otherSecret: 'whsec_stripe_other', timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = json(n);
      return { contentType: 'application/json; charset=utf-8', body, headers: signStripe({ secret, body, timestamp: seconds }) };
    },
  },
  {
    name: 'slack preset',
    verification: { type: 'preset', provider: 'slack' },
    secret: '8f742231b10e8888abcd99yyyzzz85a5', newSecret: 'slack-new-signing-secret', otherSecret: 'slack-other-signing-secret', timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: signSlack({ secret, body, timestamp: seconds }) };
    },
  },
  {
    name: 'shopify preset',
    verification: { type: 'preset', provider: 'shopify' },
    secret: 'shopify-client-secret', newSecret: 'shopify-new-secret', otherSecret: 'shopify-other-secret', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = json(n);
      return {
        contentType: 'application/json', body,
        headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': `b54557e4-${n}`, ...signShopify({ secret, body }) },
      };
    },
  },
  {
    name: 'standard-webhooks preset',
    verification: { type: 'preset', provider: 'standard-webhooks' },
    secret: whsec('standard webhooks current'), newSecret: whsec('standard webhooks new'), otherSecret: whsec('standard webhooks other'), timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: signStandardWebhooks({ secret, id: `msg_${n}`, timestamp: seconds, body }) };
    },
  },
  {
    name: 'standard-webhooks preset with Svix’s svix-* headers',
    verification: { type: 'preset', provider: 'standard-webhooks' },
    secret: whsec('svix current'), newSecret: whsec('svix new'), otherSecret: whsec('svix other'), timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: signStandardWebhooks({ secret, id: `msg_${n}`, timestamp: seconds, body, prefix: 'svix' }) };
    },
  },
  {
    name: 'svix preset',
    verification: { type: 'preset', provider: 'svix' },
    secret: whsec('svix preset current'), newSecret: whsec('svix preset new'), otherSecret: whsec('svix preset other'), timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: signStandardWebhooks({ secret, id: `msg_${n}`, timestamp: seconds, body, prefix: 'svix' }) };
    },
  },
  {
    name: 'twilio preset with a form body',
    verification: { type: 'preset', provider: 'twilio' },
    secret: 'twilio-auth-token', newSecret: 'twilio-new-token', otherSecret: 'twilio-other-token', timestamped: false,
    deliver: ({ secret, listenerUrl, n }) => {
      const params = { MessageSid: `SM${n}`, From: '+15557654321', Body: 'amount 100' };
      return {
        contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString(),
        headers: { 'i-twilio-idempotency-token': `idem-${n}`, ...signTwilio({ authToken: secret, url: listenerUrl, params }) },
      };
    },
  },
  {
    name: 'twilio preset with a form body and the URL configured at Twilio (publicUrl)',
    verification: { type: 'preset', provider: 'twilio', publicUrl: TWILIO_URL },
    secret: 'twilio-auth-token-2', newSecret: 'twilio-new-token-2', otherSecret: 'twilio-other-token-2', timestamped: false,
    deliver: ({ secret, n }) => {
      const params = { MessageSid: `SM${n}`, From: '+15557654321', Body: 'amount 100' };
      return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString(), headers: signTwilio({ authToken: secret, url: TWILIO_URL, params }) };
    },
  },
  {
    name: 'twilio preset with a JSON body bound by bodySHA256',
    verification: { type: 'preset', provider: 'twilio' },
    secret: 'twilio-auth-token-3', newSecret: 'twilio-new-token-3', otherSecret: 'twilio-other-token-3', timestamped: false,
    deliver: ({ secret, listenerUrl, n }) => {
      const body = json(n);
      const signed = signTwilioJson({ authToken: secret, url: listenerUrl, body });
      return { contentType: 'application/json', body, headers: signed.headers, pathSuffix: signed.url.slice(listenerUrl.length) };
    },
  },
  {
    name: 'zoom preset',
    verification: { type: 'preset', provider: 'zoom' },
    secret: 'zoom-secret-token', newSecret: 'zoom-new-token', otherSecret: 'zoom-other-token', timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: signZoom({ secretToken: secret, body, timestamp: seconds }) };
    },
  },
  {
    name: 'square preset',
    verification: { type: 'preset', provider: 'square', publicUrl: SQUARE_URL },
    secret: 'square-signature-key', newSecret: 'square-new-key', otherSecret: 'square-other-key', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = json(n);
      return { contentType: 'application/json', body, headers: signSquare({ signatureKey: secret, notificationUrl: SQUARE_URL, body }) };
    },
  },
  {
    name: 'meta preset',
    verification: { type: 'preset', provider: 'meta', verifyToken: 'meta-verify-token' },
    secret: 'meta-app-secret', newSecret: 'meta-new-app-secret', otherSecret: 'meta-other-app-secret', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = JSON.stringify({ object: 'page', entry: [{ id: `${n}`, time: 100 }] });
      return { contentType: 'application/json', body, headers: signMeta({ appSecret: secret, body }) };
    },
  },
];

describe('verification over HTTP', () => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());
  beforeEach(() => h.clock.set(BASE));

  const seconds = () => Math.floor(h.clock.now() / 1000);
  const send = (listener: { id: string }, delivery: Delivery) => () =>
    h.request().post(hookPath(listener) + (delivery.pathSuffix ?? '')).set({ 'Content-Type': delivery.contentType, ...delivery.headers }).send(delivery.body);

  for (const preset of PRESETS) {
    describe(`${preset.name} over HTTP`, () => {
      const listenerWith = (secrets: unknown[]) => createListener(h, { verification: { ...preset.verification, secrets } });
      const deliver = (listener: { url: string }, secret: string, at = seconds()) => preset.deliver({ secret, seconds: at, listenerUrl: listener.url, n: ++n });

      it('accepts a request signed as the provider signs it', async () => {
        const listener = await listenerWith([preset.secret]);
        await expectAccepted(h, listener.id, send(listener, deliver(listener, preset.secret)));
      });

      it('refuses the same signature over a changed body', async () => {
        const listener = await listenerWith([preset.secret]);
        const delivery = deliver(listener, preset.secret);
        assert.ok(delivery.body.includes('100'));
        await expectUnauthorized(h, listener.id, send(listener, { ...delivery, body: delivery.body.replace('100', '900') }));
      });

      it('refuses a request signed with another secret, and one without its signature', async () => {
        const listener = await listenerWith([preset.secret]);
        await expectUnauthorized(h, listener.id, send(listener, deliver(listener, preset.otherSecret)));
        await expectUnauthorized(h, listener.id, send(listener, { ...deliver(listener, preset.secret), headers: {} }));
      });

      if (preset.timestamped) {
        it('refuses a request signed 6 minutes ago, and one dated 6 minutes ahead', async () => {
          const listener = await listenerWith([preset.secret]);
          await expectUnauthorized(h, listener.id, send(listener, deliver(listener, preset.secret, seconds() - 360)));
          await expectUnauthorized(h, listener.id, send(listener, deliver(listener, preset.secret, seconds() + 360)));
        });
      }

      it('accepts the old secret during rotation and refuses it after its expiresAt', async () => {
        const expiresAt = new Date(h.clock.now() + 3_600_000).toISOString();
        const listener = await listenerWith([preset.newSecret, { value: preset.secret, expiresAt }]);
        await expectAccepted(h, listener.id, send(listener, deliver(listener, preset.secret)));
        await expectAccepted(h, listener.id, send(listener, deliver(listener, preset.newSecret)));
        h.clock.advanceSeconds(3_601);
        await expectUnauthorized(h, listener.id, send(listener, deliver(listener, preset.secret)));
        await expectAccepted(h, listener.id, send(listener, deliver(listener, preset.newSecret)));
      });
    });
  }

  describe('rotating a secret through the API, as the README shows', () => {
    it('keeps the masked old secret with an expiresAt next to the new one, and the old one stops at that instant', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'shopify', secrets: ['shopify-secret-before'] } });
      const masked = listener.verification.secrets[0];
      assert.equal(masked, '****fore');
      const expiresAt = new Date(h.clock.now() + 86_400_000).toISOString();
      const patched = await h.api().patch(`/listeners/${listener.id}`, { verification: { secrets: ['shopify-secret-after', { value: masked, expiresAt }] } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(patched.body.verification, { type: 'preset', provider: 'shopify', secrets: ['****fter', { value: '****fore', expiresAt }] });
      const signedWith = (secret: string) => () => {
        const body = json(++n);
        return h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(signShopify({ secret, body })).send(body);
      };
      await expectAccepted(h, listener.id, signedWith('shopify-secret-before'));
      await expectAccepted(h, listener.id, signedWith('shopify-secret-after'));
      h.clock.set(Date.parse(expiresAt));
      await expectUnauthorized(h, listener.id, signedWith('shopify-secret-before'));
      await expectAccepted(h, listener.id, signedWith('shopify-secret-after'));
    });
  });

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
      const body = json(++n);
      const headers = signStripe({ secret: 'whsec_rolled_in', body, timestamp: seconds(), extraV1: ['0'.repeat(64)] });
      await expectAccepted(h, listener.id, send(listener, { contentType: 'application/json', body, headers }));
    });
  });

  describe('refusals say nothing to the sender and everything to the debug log', () => {
    it('keeps the precise reason in the exchange the observers see, and not in the 401', async () => {
      const recorder = recordExchanges(h);
      try {
        const listener = await createListener(h, { verification: { type: 'preset', provider: 'github', secrets: ['the-real-secret'] } });
        const body = json(++n);
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
        const body = json(++n);
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

describe('allowIps over HTTP', () => {
  const github = { type: 'preset', provider: 'github', secrets: ['allow-ips-secret'] };
  const body = '{"zen":"Approachable is better than simple."}';
  const signed = { 'Content-Type': 'application/json', ...signGitHub({ secret: 'allow-ips-secret', body }) };

  describe('without trusted proxies', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness();
    });
    after(() => h.close());

    it('refuses a correctly signed request from an address outside the list, before the verifier runs', async () => {
      const recorder = recordExchanges(h);
      try {
        const listener = await createListener(h, { allowIps: ['203.0.113.0/24', '2001:db8::/32'], verification: github });
        const response = await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set(signed).send(body));
        assert.match(recorder.of(response).verification?.reason ?? '', /client address 127\.0\.0\.1 is not in the listener's allowIps/);
      } finally {
        recorder.stop();
      }
    });

    it('accepts an address inside the list (the loopback peer, written as IPv4 or as IPv4-mapped IPv6)', async () => {
      for (const allowIps of [['127.0.0.0/8'], ['::ffff:127.0.0.1']]) {
        const listener = await createListener(h, { allowIps, verification: github });
        await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).set(signed).send(body));
      }
    });

    it('answers no handshake to an address outside the list, even with the right verify token', async () => {
      const listener = await createListener(h, {
        allowIps: ['203.0.113.0/24'],
        verification: { type: 'preset', provider: 'meta', secrets: ['meta-app-secret'], verifyToken: 'meta-verify-token' },
      });
      const response = await expectUnauthorized(h, listener.id, () =>
        h.request().get(`${hookPath(listener)}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meta-verify-token`),
      );
      assert.doesNotMatch(response.text, /1158201444/);
    });

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const listener = await createListener(h, { allowIps: ['203.0.113.0/24'], verification: github });
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set(signed).set('X-Forwarded-For', '203.0.113.7').send(body));
    });
  });

  describe('behind a trusted proxy (config trustedProxies)', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ overrides: { trustedProxies: ['127.0.0.1'] } });
    });
    after(() => h.close());

    const viaProxy = (listener: { id: string }, forwardedFor: string) => () =>
      h.request().post(hookPath(listener)).set(signed).set('X-Forwarded-For', forwardedFor).send(body);

    it('takes the client from X-Forwarded-For', async () => {
      const listener = await createListener(h, { allowIps: ['203.0.113.0/24'], verification: github });
      await expectAccepted(h, listener.id, viaProxy(listener, '203.0.113.7'));
      await expectUnauthorized(h, listener.id, viaProxy(listener, '198.51.100.7'));
    });

    it('believes only the right-most address the proxy added, not what the client wrote before it', async () => {
      const listener = await createListener(h, { allowIps: ['203.0.113.0/24'], verification: github });
      await expectUnauthorized(h, listener.id, viaProxy(listener, '203.0.113.7, 198.51.100.7'));
      await expectAccepted(h, listener.id, viaProxy(listener, '198.51.100.7, 203.0.113.7'));
    });
  });
});
