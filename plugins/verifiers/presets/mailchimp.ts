/**
 * Mailchimp Marketing audience webhooks are unsigned; Mailchimp suggests a secret
 * in the webhook URL, here `?secret=<token>`. Its validation GET carries the
 * same URL and is answered 200 by the mailchimp handshake, storing nothing.
 * https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/#securing-webhooks
 */
import type { TokenPreset } from './types';

export const mailchimpPreset: TokenPreset = {
  name: 'mailchimp',
  displayName: 'Mailchimp Marketing',
  scheme: 'token',
  docs: 'https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/#securing-webhooks',
  settings: { location: { in: 'query', name: 'secret' } },
  secret: { what: 'A token of your choice, also put in the webhook URL as ?secret=…', where: 'Audience → Settings → Webhooks → Callback URL' },
  handshake: 'mailchimp',
};
