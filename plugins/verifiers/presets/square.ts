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
  scheme: 'hmac',
  docs: 'https://developer.squareup.com/docs/webhooks/step3validate',
  hmac: { algorithm: 'sha256', encoding: 'base64', header: 'x-square-hmacsha256-signature', signedContent: '{url}{body}' },
  signsUrl: true,
  accepts: ['publicUrl'],
  defaultDedupKey: 'jsonpath:$.event_id',
};
