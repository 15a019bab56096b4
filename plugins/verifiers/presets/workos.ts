/**
 * WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`, v1 the HMAC-SHA256 of
 * `{t}.{raw body}` under the endpoint secret; the SDK's default tolerance is 180 s.
 * Each event has a unique `id`.
 * https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually
 */
import type { HmacPreset } from './types';

export const workosPreset: HmacPreset = {
  name: 'workos',
  displayName: 'WorkOS',
  scheme: 'hmac',
  docs: 'https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'workos-signature',
    signatureItems: { separator: ',', assign: '=', signatureKey: 'v1', timestampKey: 't' },
    signedContent: '{timestamp}.{body}',
    timestampFormat: 'unix-ms',
    toleranceSeconds: 180,
  },
  secret: { what: 'The webhook endpoint secret', where: 'Dashboard → Webhooks → your endpoint → Signing secret' },
  defaultDedupKey: 'jsonpath:$.id',
};
