/**
 * Zendesk: `X-Zendesk-Webhook-Signature`, base64 HMAC-SHA256 of the timestamp
 * header (ISO 8601) followed directly by the raw body. Zendesk names no window;
 * hookport applies its default 300 s. `X-Zendesk-Webhook-Invocation-Id` names the delivery.
 * https://developer.zendesk.com/documentation/webhooks/verifying/
 */
import type { HmacPreset } from './types';

export const zendeskPreset: HmacPreset = {
  name: 'zendesk',
  displayName: 'Zendesk',
  scheme: 'hmac',
  docs: 'https://developer.zendesk.com/documentation/webhooks/verifying/',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'x-zendesk-webhook-signature',
    signedContent: '{timestamp}{body}',
    timestampHeader: 'x-zendesk-webhook-signature-timestamp',
    timestampFormat: 'rfc3339',
  },
  secret: { what: 'The webhook signing secret', where: 'Admin Center → Apps and integrations → Webhooks → your webhook → Signing secret → Reveal' },
  defaultDedupKey: 'header:X-Zendesk-Webhook-Invocation-Id',
};
