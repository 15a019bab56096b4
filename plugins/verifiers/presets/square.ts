/**
 * Square: `x-square-hmacsha256-signature` = base64 HMAC-SHA256 of the
 * notification URL followed by the raw body, under the subscription's signature
 * key. The URL must be exactly the one configured at Square, hence `publicUrl`.
 * https://developer.squareup.com/docs/webhooks/step3validate
 * Each event has an `event_id` Square tells receivers to deduplicate on.
 */
import type { HmacPreset } from './types';

export const squarePreset: HmacPreset = {
  name: 'square',
  displayName: 'Square',
  scheme: 'hmac',
  docs: 'https://developer.squareup.com/docs/webhooks/step3validate',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'x-square-hmacsha256-signature', signedContent: '{url}{body}' },
  signsUrl: true,
  accepts: ['publicUrl'],
  secret: { what: 'The signature key of the webhook subscription (and its notification URL as publicUrl)', where: 'Developer Console → your app → Webhooks → Subscriptions → Signature key' },
  defaultDedupKey: 'jsonpath:$.event_id',
};
