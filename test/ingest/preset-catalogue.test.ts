/**
 * Every preset added as data (issue #15), driven through the real app with
 * deliveries signed by test/plugins/verifiers/provider-signers.ts — written
 * from each provider's docs or made by its SDK, never by hookport's verifiers.
 * For each preset: a signed delivery is stored (2xx); a one-byte change to the
 * body and another secret each get 401; an old secret works until its
 * expiresAt; and where a timestamp is signed, one outside the provider's
 * tolerance gets 401 with that reason in the exchange.
 */
import assert from 'node:assert/strict';
import { PRESET_PROVIDERS } from '../../plugins/verifiers/presets';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectAccepted, expectUnauthorized, recordExchanges } from '../helpers/verification';
import { ed25519Key, p256Key, SIGNERS, type SigningKey } from '../plugins/verifiers/provider-signers';

const BASE = Date.UTC(2026, 10, 1, 12, 0, 0);
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const whsec = (text: string) => `whsec_${base64(text)}`;
const plain = (name: string) => (which: string): SigningKey => ({ paste: `${name}-${which}-secret` });

interface Case {
  provider: string;
  /** Makes the current, new and other keys. */
  key: (which: 'current' | 'new' | 'other') => SigningKey;
  /** Seconds of tolerance when the provider signs a timestamp. */
  tolerance?: number;
  /** Token schemes carry no signature over the body. */
  signsBody?: boolean;
  verifyToken?: string;
  /** Where the delivery carries something besides headers (a token in the query or body). */
  shape?: (input: { key: SigningKey; n: number; nowMs: number }) => { body?: string; contentType?: string; pathSuffix?: string };
}

const TIMESTAMPED: Record<string, number> = {
  twitch: 600, paddle: 300, airwallex: 300, revolut: 300, zendesk: 300, 'customer-io': 300, front: 300, hubspot: 300, calendly: 180, box: 600,
  sanity: 300, webflow: 300, workos: 180, linear: 60, discord: 300, telnyx: 300, sendgrid: 300, clerk: 300, resend: 300, openai: 300, replicate: 300, polar: 300,
};

const HMAC_LIKE = [
  'gitea', 'bitbucket', 'bitbucket-server', 'jira', 'circleci', 'terraform-cloud', 'vercel', 'heroku', 'sentry', 'linear', 'pagerduty', 'twitch', 'paddle',
  'lemon-squeezy', 'checkout-com', 'razorpay', 'coinbase-commerce', 'paystack', 'gocardless', 'airwallex', 'revolut', 'woocommerce', 'xero', 'quickbooks',
  'hookdeck', 'line', 'intercom', 'zendesk', 'customer-io', 'front', 'hubspot', 'hubspot-v2', 'hubspot-v1', 'salesforce-marketing-cloud', 'notion', 'asana',
  'trello', 'clickup', 'typeform', 'calendly', 'docusign', 'dropbox', 'box', 'sanity', 'webflow', 'cal-com', 'workos', 'netlify', 'vonage',
];

const CASES: Case[] = [
  ...HMAC_LIKE.map((provider) => ({ provider, key: plain(provider), tolerance: TIMESTAMPED[provider] })),
  { provider: 'whatsapp', key: plain('whatsapp'), verifyToken: 'whatsapp-verify-token' },
  { provider: 'microsoft-teams', key: (which) => ({ paste: base64(`teams ${which} security token`) }) },
  { provider: 'airtable', key: (which) => ({ paste: base64(`airtable ${which} mac secret`) }) },
  {
    provider: 'mandrill',
    key: plain('mandrill'),
    shape: ({ n }) => ({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ mandrill_events: JSON.stringify([{ _id: `m${n}`, amount: 100 }]) }).toString() }),
  },
  ...['gitlab', 'okta', 'auth0', 'telegram', 'xendit', 'flutterwave'].map((provider) => ({ provider, key: plain(provider), signsBody: false })),
  { provider: 'mailchimp', key: plain('mailchimp'), signsBody: false, shape: ({ key }) => ({ pathSuffix: `?secret=${encodeURIComponent(key.paste)}` }) },
  { provider: 'azure-event-grid', key: plain('azure'), signsBody: false, shape: ({ key }) => ({ pathSuffix: `?code=${encodeURIComponent(key.paste)}` }) },
  {
    provider: 'microsoft-graph',
    key: plain('graph'),
    signsBody: false,
    shape: ({ key, n }) => ({ body: JSON.stringify({ value: [{ subscriptionId: `s${n}`, clientState: key.paste, changeType: 'created', amount: 100 }] }) }),
  },
  ...['discord', 'telnyx'].map((provider) => {
    const keys = { current: ed25519Key(provider === 'discord' ? 'hex' : 'base64'), new: ed25519Key(provider === 'discord' ? 'hex' : 'base64'), other: ed25519Key('hex') };
    return { provider, key: (which: 'current' | 'new' | 'other') => keys[which], tolerance: TIMESTAMPED[provider] };
  }),
  (() => {
    const keys = { current: p256Key(), new: p256Key(), other: p256Key() };
    return { provider: 'sendgrid', key: (which: 'current' | 'new' | 'other') => keys[which], tolerance: TIMESTAMPED.sendgrid };
  })(),
  ...['clerk', 'resend', 'openai', 'replicate'].map((provider) => ({ provider, key: (which: string) => ({ paste: whsec(`${provider} ${which} signing secret`) }), tolerance: TIMESTAMPED[provider] })),
  { provider: 'polar', key: plain('polar'), tolerance: TIMESTAMPED.polar },
];

describe('preset catalogue over HTTP', () => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());
  beforeEach(() => h.clock.set(BASE));

  it('tests every data preset added with the catalogue (and more than 60 presets in all)', () => {
    const covered = new Set([...CASES.map((item) => item.provider), 'github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'svix', 'twilio', 'zoom', 'square', 'meta']);
    assert.deepEqual(PRESET_PROVIDERS.filter((provider) => !covered.has(provider)), []);
    assert.ok(PRESET_PROVIDERS.length >= 60, `${PRESET_PROVIDERS.length} presets`);
  });

  for (const item of CASES) {
    describe(`${item.provider} preset`, () => {
      const signer = SIGNERS[item.provider];
      const listenerWith = (secrets: unknown[]) =>
        createListener(h, { verification: { type: 'preset', provider: item.provider, secrets, ...(item.verifyToken ? { verifyToken: item.verifyToken } : {}) } });

      /** A fresh delivery signed with `key` at `nowMs`; `tamper` changes one byte of the body after signing. */
      const send = async (listener: { id: string; url: string }, key: SigningKey, options: { nowMs?: number; tamper?: boolean } = {}) => {
        const nowMs = options.nowMs ?? h.clock.now();
        const id = `evt_${++n}`;
        const shaped = item.shape?.({ key, n, nowMs }) ?? {};
        const body = shaped.body ?? JSON.stringify({ id, event_id: id, amount: 100, webhookTimestamp: nowMs });
        const headers = signer ? await signer({ key, body, nowMs, url: listener.url + (shaped.pathSuffix ?? ''), id }) : {};
        const sent = options.tamper ? body.replace('100', '101') : body;
        return () =>
          h.request().post(hookPath(listener) + (shaped.pathSuffix ?? '')).set({ 'Content-Type': shaped.contentType ?? 'application/json', ...headers }).send(sent);
      };

      it('has a signer written from the provider docs (or a token it carries)', () => {
        assert.ok(signer || item.shape, `no signer for ${item.provider}`);
      });

      it('stores a delivery signed as the provider signs it', async () => {
        const listener = await listenerWith([item.key('current').paste]);
        await expectAccepted(h, listener.id, await send(listener, item.key('current')));
      });

      if (item.signsBody !== false) {
        it('refuses the same signature over a body changed by one byte', async () => {
          const listener = await listenerWith([item.key('current').paste]);
          await expectUnauthorized(h, listener.id, await send(listener, item.key('current'), { tamper: true }));
        });
      }

      it('refuses a delivery signed with another secret', async () => {
        const listener = await listenerWith([item.key('current').paste]);
        await expectUnauthorized(h, listener.id, await send(listener, item.key('other')));
      });

      it('accepts the old secret during rotation and refuses it after its expiresAt', async () => {
        const expiresAt = new Date(h.clock.now() + 3_600_000).toISOString();
        const listener = await listenerWith([item.key('new').paste, { value: item.key('current').paste, expiresAt }]);
        await expectAccepted(h, listener.id, await send(listener, item.key('current')));
        await expectAccepted(h, listener.id, await send(listener, item.key('new')));
        h.clock.advanceSeconds(3_601);
        await expectUnauthorized(h, listener.id, await send(listener, item.key('current')));
        await expectAccepted(h, listener.id, await send(listener, item.key('new')));
      });

      if (item.tolerance !== undefined) {
        const tolerance = item.tolerance;
        it(`refuses a delivery signed more than ${tolerance} s ago, saying so in the exchange`, async () => {
          const recorder = recordExchanges(h);
          try {
            const listener = await listenerWith([item.key('current').paste]);
            const inside = await send(listener, item.key('current'), { nowMs: h.clock.now() - (tolerance - 30) * 1000 });
            await expectAccepted(h, listener.id, inside);
            const stale = await expectUnauthorized(h, listener.id, await send(listener, item.key('current'), { nowMs: h.clock.now() - (tolerance + 30) * 1000 }));
            assert.match(recorder.of(stale).verification?.reason ?? '', new RegExp(`s old, outside the ${tolerance} s tolerance$`));
          } finally {
            recorder.stop();
          }
        });
      }
    });
  }
});
