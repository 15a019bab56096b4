/**
 * Verification over HTTP (SPEC §3, §4), the presets: each one driven through the
 * real app with requests built the way its partner builds them — by the
 * independent signers in test/plugins/verifiers/fixtures.ts, never by the
 * plugins' own `sign` — and a secret rotated through the API as the README shows.
 */
import assert from 'node:assert/strict';
import { createListener, hookPath, type Harness } from '../helpers/harness';
import { eventJson, expectAccepted, expectUnauthorized, verificationSuite, type Delivery } from '../helpers/verification';
import { signGitHub, signMeta, signShopify, signSlack, signSquare, signStandardWebhooks, signStripe, signTwilio, signTwilioJson, signZoom } from '../plugins/verifiers/fixtures';

const whsec = (text: string) => 'whsec_' + Buffer.from(text).toString('base64');

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

const SQUARE_URL = 'https://square-facing.example/hooks/orders';
const TWILIO_URL = 'https://twilio-facing.example/sms/inbound';

const PRESETS: PresetCase[] = [
  {
    name: 'github preset',
    verification: { type: 'preset', provider: 'github' },
    secret: "It's a Secret to Everybody", newSecret: 'github-new-secret', otherSecret: 'github-other-secret', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = eventJson(n);
      return { contentType: 'application/json', body, headers: { 'x-github-event': 'push', 'x-github-delivery': `72d3162e-${n}`, ...signGitHub({ secret, body }) } };
    },
  },
  {
    name: 'stripe preset',
    verification: { type: 'preset', provider: 'stripe' },
    secret: 'whsec_stripe_current', newSecret: 'whsec_stripe_new', otherSecret: 'whsec_stripe_other', timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = eventJson(n);
      return { contentType: 'application/json; charset=utf-8', body, headers: signStripe({ secret, body, timestamp: seconds }) };
    },
  },
  {
    name: 'slack preset',
    verification: { type: 'preset', provider: 'slack' },
    secret: '8f742231b10e8888abcd99yyyzzz85a5', newSecret: 'slack-new-signing-secret', otherSecret: 'slack-other-signing-secret', timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = eventJson(n);
      return { contentType: 'application/json', body, headers: signSlack({ secret, body, timestamp: seconds }) };
    },
  },
  {
    name: 'shopify preset',
    verification: { type: 'preset', provider: 'shopify' },
    secret: 'shopify-client-secret', newSecret: 'shopify-new-secret', otherSecret: 'shopify-other-secret', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = eventJson(n);
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
      const body = eventJson(n);
      return { contentType: 'application/json', body, headers: signStandardWebhooks({ secret, id: `msg_${n}`, timestamp: seconds, body }) };
    },
  },
  {
    name: 'standard-webhooks preset with Svix’s svix-* headers',
    verification: { type: 'preset', provider: 'standard-webhooks' },
    secret: whsec('svix current'), newSecret: whsec('svix new'), otherSecret: whsec('svix other'), timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = eventJson(n);
      return { contentType: 'application/json', body, headers: signStandardWebhooks({ secret, id: `msg_${n}`, timestamp: seconds, body, prefix: 'svix' }) };
    },
  },
  {
    name: 'svix preset',
    verification: { type: 'preset', provider: 'svix' },
    secret: whsec('svix preset current'), newSecret: whsec('svix preset new'), otherSecret: whsec('svix preset other'), timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = eventJson(n);
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
      const body = eventJson(n);
      const signed = signTwilioJson({ authToken: secret, url: listenerUrl, body });
      return { contentType: 'application/json', body, headers: signed.headers, pathSuffix: signed.url.slice(listenerUrl.length) };
    },
  },
  {
    name: 'zoom preset',
    verification: { type: 'preset', provider: 'zoom' },
    secret: 'zoom-secret-token', newSecret: 'zoom-new-token', otherSecret: 'zoom-other-token', timestamped: true,
    deliver: ({ secret, seconds, n }) => {
      const body = eventJson(n);
      return { contentType: 'application/json', body, headers: signZoom({ secretToken: secret, body, timestamp: seconds }) };
    },
  },
  {
    name: 'square preset',
    verification: { type: 'preset', provider: 'square', publicUrl: SQUARE_URL },
    secret: 'square-signature-key', newSecret: 'square-new-key', otherSecret: 'square-other-key', timestamped: false,
    deliver: ({ secret, n }) => {
      const body = eventJson(n);
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
  const suite = verificationSuite();
  const { seconds, send } = suite;
  let h: Harness;
  let n = 0;
  before(() => (h = suite.harness()));

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
        const body = eventJson(++n);
        return h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(signShopify({ secret, body })).send(body);
      };
      await expectAccepted(h, listener.id, signedWith('shopify-secret-before'));
      await expectAccepted(h, listener.id, signedWith('shopify-secret-after'));
      h.clock.set(Date.parse(expiresAt));
      await expectUnauthorized(h, listener.id, signedWith('shopify-secret-before'));
      await expectAccepted(h, listener.id, signedWith('shopify-secret-after'));
    });
  });
});
