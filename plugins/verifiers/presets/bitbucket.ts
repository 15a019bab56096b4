/**
 * Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
 * sent only when the webhook has a secret. `X-Request-UUID` identifies the delivery.
 * https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks
 */
import type { HmacPreset } from './types';

export const bitbucketPreset: HmacPreset = {
  name: 'bitbucket',
  displayName: 'Bitbucket Cloud',
  scheme: 'hmac',
  docs: 'https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature', prefix: 'sha256=' },
  secret: { what: 'The webhook secret', where: 'Repository settings → Webhooks → Edit → Secret' },
  defaultDedupKey: 'header:X-Request-UUID',
};
