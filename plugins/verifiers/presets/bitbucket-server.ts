/**
 * Bitbucket Data Center and Server: `X-Hub-Signature: sha256=<hex>`, an
 * HMAC-SHA256 of the raw body under the webhook secret. `X-Request-Id` names the delivery.
 * https://confluence.atlassian.com/bitbucketserver/manage-webhooks-938025878.html
 */
import type { HmacPreset } from './types';

export const bitbucketServerPreset: HmacPreset = {
  name: 'bitbucket-server',
  displayName: 'Bitbucket Data Center / Server',
  scheme: 'hmac',
  docs: 'https://confluence.atlassian.com/bitbucketserver/manage-webhooks-938025878.html',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature', prefix: 'sha256=' },
  secret: { what: 'The webhook secret', where: 'Repository settings → Webhooks → Secret' },
  defaultDedupKey: 'header:X-Request-Id',
};
