/**
 * Mandrill: `X-Mandrill-Signature`, base64 HMAC-SHA1 of the webhook URL exactly
 * as configured followed by each POST parameter as key+value, keys sorted. The
 * URL is publicUrl when it differs from the one hookport rebuilt.
 * https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests
 */
import type { HmacPreset } from './types';

export const mandrillPreset: HmacPreset = {
  name: 'mandrill',
  displayName: 'Mandrill (Mailchimp Transactional)',
  scheme: 'hmac',
  docs: 'https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests',
  settings: {
    algorithm: 'sha1',
    encoding: 'base64',
    header: 'x-mandrill-signature',
    signedContent: '{url}{form}',
  },
  signsUrl: true,
  accepts: ['publicUrl'],
  secret: { what: 'The webhook key', where: 'Mandrill → Settings → Webhooks → your webhook → Key (and its URL as publicUrl)' },
};
