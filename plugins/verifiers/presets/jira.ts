/**
 * Jira Cloud webhooks registered with a secret: `X-Hub-Signature: sha256=<hex>`
 * over the raw body. `X-Atlassian-Webhook-Identifier` is the same on every retry.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
 */
import type { HmacPreset } from './types';

export const jiraPreset: HmacPreset = {
  name: 'jira',
  displayName: 'Jira Cloud',
  scheme: 'hmac',
  docs: 'https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature', prefix: 'sha256=' },
  secret: { what: 'The secret given when the webhook was registered', where: 'Jira settings → System → WebHooks → Secret (or the REST registration call)' },
  defaultDedupKey: 'header:X-Atlassian-Webhook-Identifier',
};
