/**
 * Where a provider's official SDK only verifies, the test signers in
 * provider-signers.ts are checked against it here, so that the signer the
 * catalogue test relies on is proven to build what the provider builds:
 * Discord (`discord-interactions`), SendGrid (`@sendgrid/eventwebhook`) and
 * GitHub (`@octokit/webhooks-methods`). Standard Webhooks senders are signed by
 * the `standardwebhooks` SDK itself, and checked here against its published vector.
 */
import assert from 'node:assert/strict';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { verifyKey } from 'discord-interactions';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import { makeContext, signGitHub, STANDARD_WEBHOOKS_VECTOR } from './fixtures';
import { ed25519Key, p256Key, SIGNERS } from './provider-signers';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const body = '{"type":1,"id":"123","amount":100}';

describe('test signers agree with the providers’ own SDKs', () => {
  it('Discord: discord-interactions verifyKey accepts what the Discord signer builds, and hookport does too', async () => {
    const key = ed25519Key('hex');
    const headers = await SIGNERS.discord!({ key, body, nowMs: NOW, url: 'https://x.example/', id: 'i' });
    assert.equal(await verifyKey(body, headers['x-signature-ed25519']!, headers['x-signature-timestamp']!, key.paste), true);
    assert.equal(await verifyKey(body.replace('100', '101'), headers['x-signature-ed25519']!, headers['x-signature-timestamp']!, key.paste), false);
    const config = { type: 'preset' as const, provider: 'discord', secrets: [{ value: key.paste }] };
    assert.deepEqual(await presetVerifier.verify(makeContext({ body, headers, now: NOW }), config), { ok: true });
  });

  it('SendGrid: @sendgrid/eventwebhook verifySignature accepts what the SendGrid signer builds, and hookport does too', async () => {
    const key = p256Key();
    const headers = await SIGNERS.sendgrid!({ key, body, nowMs: NOW, url: 'https://x.example/', id: 'i' });
    const eventWebhook = new EventWebhook();
    const publicKey = eventWebhook.convertPublicKeyToECDSA(key.paste);
    const signature = headers['x-twilio-email-event-webhook-signature']!;
    const timestamp = headers['x-twilio-email-event-webhook-timestamp']!;
    assert.equal(eventWebhook.verifySignature(publicKey, body, signature, timestamp), true);
    assert.equal(eventWebhook.verifySignature(publicKey, body.replace('100', '101'), signature, timestamp), false);
    const config = { type: 'preset' as const, provider: 'sendgrid', secrets: [{ value: key.paste }] };
    assert.deepEqual(await presetVerifier.verify(makeContext({ body, headers, now: NOW }), config), { ok: true });
  });

  it('GitHub: @octokit/webhooks-methods verify accepts the GitHub fixture signer', async () => {
    const { verify } = await import('@octokit/webhooks-methods');
    const signature = signGitHub({ secret: 'octo-secret', body })['x-hub-signature-256']!;
    assert.equal(await verify('octo-secret', body, signature), true);
    assert.equal(await verify('other-secret', body, signature), false);
  });

  it('Standard Webhooks: the standardwebhooks SDK reproduces the published vector the openai preset accepts', async () => {
    const { Webhook } = await import('standardwebhooks');
    const vector = STANDARD_WEBHOOKS_VECTOR;
    assert.equal(new Webhook(vector.secret).sign(vector.id, new Date(vector.timestamp * 1000), vector.body), vector.signature);
    const headers = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': vector.signature };
    const config = { type: 'preset' as const, provider: 'openai', secrets: [{ value: vector.secret }] };
    assert.deepEqual(await presetVerifier.verify(makeContext({ body: vector.body, headers, now: vector.timestamp * 1000 }), config), { ok: true });
  });
});
