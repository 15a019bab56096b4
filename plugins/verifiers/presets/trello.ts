/**
 * Trello: `X-Trello-Webhook`, base64 HMAC-SHA1 of the raw body followed by the
 * callback URL exactly as registered (publicUrl when it differs), under the app
 * secret. Each action has a unique `action.id`.
 * https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures
 */
import type { HmacPreset } from './types';

export const trelloPreset: HmacPreset = {
  name: 'trello',
  displayName: 'Trello',
  scheme: 'hmac',
  docs: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures',
  settings: { algorithm: 'sha1', encoding: 'base64', header: 'x-trello-webhook', signedContent: '{body}{url}' },
  signsUrl: true,
  handshake: 'trello',
  accepts: ['publicUrl'],
  secret: { what: "The app's secret (OAuth secret)", where: 'trello.com/power-ups/admin → your Power-Up → API key → Secret' },
  defaultDedupKey: 'jsonpath:$.action.id',
};
