/**
 * Customer.io reporting webhooks: `X-CIO-Signature`, hex HMAC-SHA256 of
 * `v0:{X-CIO-Timestamp}:{raw body}` under the webhook signing key.
 * https://docs.customer.io/journeys/webhooks/#securely-verify-requests
 */
import type { HmacPreset } from './types';

export const customerIoPreset: HmacPreset = {
  name: 'customer-io',
  displayName: 'Customer.io',
  scheme: 'hmac',
  docs: 'https://docs.customer.io/journeys/webhooks/#securely-verify-requests',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-cio-signature',
    signedContent: 'v0:{timestamp}:{body}',
    timestampHeader: 'x-cio-timestamp',
  },
  secret: { what: 'The webhook signing key', where: 'Data & Integrations → Integrations → Reporting Webhooks → Signing key' },
};
