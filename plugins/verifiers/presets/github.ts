/**
 * GitHub: HMAC-SHA256 of the raw body, hex, in `X-Hub-Signature-256` as `sha256=<hex>`.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * Each delivery has a GUID in `X-GitHub-Delivery`, kept across redeliveries.
 */
import type { HmacPreset } from './types';

export const githubPreset: HmacPreset = {
  name: 'github',
  displayName: 'GitHub',
  scheme: 'hmac',
  docs: 'https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature-256', prefix: 'sha256=' },
  // GitHub still sends the legacy SHA-1 signature too; it is not checked, but it is masked.
  extraSensitiveHeaders: ['x-hub-signature'],
  secret: { what: 'The webhook secret you chose', where: 'Repository, organization or app settings → Webhooks → Secret' },
  defaultDedupKey: 'header:X-GitHub-Delivery',
};
