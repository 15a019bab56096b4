/**
 * Heroku app webhooks: `Heroku-Webhook-Hmac-SHA256`, the base64 HMAC-SHA256 of
 * the raw body under the subscription's secret. `Heroku-Webhook-Id` names the delivery.
 * https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests
 */
import type { HmacPreset } from './types';

export const herokuPreset: HmacPreset = {
  name: 'heroku',
  displayName: 'Heroku',
  scheme: 'hmac',
  docs: 'https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'heroku-webhook-hmac-sha256' },
  secret: { what: 'The webhook secret', where: 'The --secret given to heroku webhooks:add (or the one it generated)' },
  defaultDedupKey: 'header:Heroku-Webhook-Id',
};
