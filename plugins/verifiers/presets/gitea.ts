/**
 * Gitea (and Forgejo, which sends the same header): hex HMAC-SHA256 of the raw
 * body under the webhook secret in `X-Gitea-Signature`, no prefix. Each delivery
 * has a UUID in `X-Gitea-Delivery`.
 * https://docs.gitea.com/usage/webhooks
 */
import type { HmacPreset } from './types';

export const giteaPreset: HmacPreset = {
  name: 'gitea',
  displayName: 'Gitea / Forgejo',
  scheme: 'hmac',
  docs: 'https://docs.gitea.com/usage/webhooks',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-gitea-signature' },
  secret: { what: 'The webhook secret you chose', where: 'Repository or organization Settings → Webhooks → Secret' },
  defaultDedupKey: 'header:X-Gitea-Delivery',
};
