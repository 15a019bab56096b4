/**
 * Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body>` under the
 * app's client secret. Notifications carry a unique `id`.
 * https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications
 */
import type { HmacPreset } from './types';

export const intercomPreset: HmacPreset = {
  name: 'intercom',
  displayName: 'Intercom',
  scheme: 'hmac',
  docs: 'https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications',
  settings: { algorithm: 'sha1', encoding: 'hex', header: 'x-hub-signature', prefix: 'sha1=' },
  secret: { what: "The app's client_secret", where: 'Developer Hub → your app → Basic information → Client secret' },
  defaultDedupKey: 'jsonpath:$.id',
};
