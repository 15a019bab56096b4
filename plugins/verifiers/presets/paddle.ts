/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>`, h1 the HMAC-SHA256 of
 * `{ts}:{raw body}` under the destination's secret key; several h1 items appear
 * while a key rotates. Each notification has a unique `notification_id`.
 * https://developer.paddle.com/webhooks/signature-verification
 */
import type { HmacPreset } from './types';

export const paddlePreset: HmacPreset = {
  name: 'paddle',
  displayName: 'Paddle Billing',
  scheme: 'hmac',
  docs: 'https://developer.paddle.com/webhooks/signature-verification',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'paddle-signature',
    signatureItems: { separator: ';', assign: '=', signatureKey: 'h1', timestampKey: 'ts' },
    signedContent: '{timestamp}:{body}',
  },
  secret: { what: 'The secret key of the notification destination (pdl_ntfset_…)', where: 'Paddle → Developer tools → Notifications → your destination → Secret key' },
  defaultDedupKey: 'jsonpath:$.notification_id',
};
