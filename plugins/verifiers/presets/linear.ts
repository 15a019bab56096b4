/**
 * Linear: `Linear-Signature`, the hex HMAC-SHA256 of the raw body. The body's
 * `webhookTimestamp` (milliseconds) must be within a minute of now, as Linear
 * advises against replays. `Linear-Delivery` names the delivery.
 * https://linear.app/developers/webhooks#securing-webhooks
 */
import type { HmacPreset } from './types';

export const linearPreset: HmacPreset = {
  name: 'linear',
  displayName: 'Linear',
  scheme: 'hmac',
  docs: 'https://linear.app/developers/webhooks#securing-webhooks',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'linear-signature',
    timestampBodyPath: 'webhookTimestamp',
    timestampFormat: 'unix-ms',
    toleranceSeconds: 60,
  },
  secret: { what: 'The webhook signing secret', where: 'Settings → API → Webhooks → your webhook → Signing secret' },
  defaultDedupKey: 'header:Linear-Delivery',
};
