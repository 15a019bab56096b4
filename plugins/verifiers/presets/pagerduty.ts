/**
 * PagerDuty webhooks v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, each an
 * HMAC-SHA256 of the raw body; several appear while a secret is regenerated, and
 * any may match. Each event has a unique `event.id`.
 * https://developer.pagerduty.com/docs/webhooks-overview#verifying-signatures
 */
import type { HmacPreset } from './types';

export const pagerdutyPreset: HmacPreset = {
  name: 'pagerduty',
  displayName: 'PagerDuty',
  scheme: 'hmac',
  docs: 'https://developer.pagerduty.com/docs/webhooks-overview#verifying-signatures',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-pagerduty-signature', prefix: 'v1=' },
  secret: { what: 'The subscription signing secret', where: 'Integrations → Generic Webhooks (v3) → the secret shown when the subscription is created' },
  defaultDedupKey: 'jsonpath:$.event.id',
};
