/**
 * Airwallex: `x-signature`, the hex HMAC-SHA256 of `x-timestamp` (milliseconds)
 * followed directly by the raw body. Each event has a unique `id`.
 * https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events
 */
import type { HmacPreset } from './types';

export const airwallexPreset: HmacPreset = {
  name: 'airwallex',
  displayName: 'Airwallex',
  scheme: 'hmac',
  docs: 'https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-signature',
    signedContent: '{timestamp}{body}',
    timestampHeader: 'x-timestamp',
    timestampFormat: 'unix-ms',
  },
  secret: { what: "The webhook's secret", where: 'Web app → Developer → Webhooks → your webhook → Secret' },
  defaultDedupKey: 'jsonpath:$.id',
};
