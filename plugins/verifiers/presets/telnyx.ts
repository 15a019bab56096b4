/**
 * Telnyx (API v2): `telnyx-signature-ed25519`, a base64 Ed25519 signature of
 * `{telnyx-timestamp}|{raw body}` under the account's public key; 5 minutes of
 * tolerance. Each event has a unique `data.id`.
 * https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks#webhook-signing
 */
import type { Ed25519Preset } from './types';

export const telnyxPreset: Ed25519Preset = {
  name: 'telnyx',
  displayName: 'Telnyx',
  scheme: 'ed25519',
  docs: 'https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks#webhook-signing',
  settings: {
    header: 'telnyx-signature-ed25519',
    signatureEncoding: 'base64',
    signedContent: '{timestamp}|{body}',
    timestampHeader: 'telnyx-timestamp',
    toleranceSeconds: 300,
  },
  secret: { what: "The account's public key (base64)", where: 'Mission Control Portal → Account Settings → Keys & Credentials → Public Key' },
  defaultDedupKey: 'jsonpath:$.data.id',
};
