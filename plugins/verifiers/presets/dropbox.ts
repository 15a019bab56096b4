/**
 * Dropbox: `X-Dropbox-Signature`, the hex HMAC-SHA256 of the raw body under the
 * app secret. The `?challenge=` GET is answered by the dropbox handshake.
 * https://www.dropbox.com/developers/reference/webhooks#documentation
 */
import type { HmacPreset } from './types';

export const dropboxPreset: HmacPreset = {
  name: 'dropbox',
  displayName: 'Dropbox',
  scheme: 'hmac',
  docs: 'https://www.dropbox.com/developers/reference/webhooks#documentation',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-dropbox-signature' },
  secret: { what: 'The app secret', where: 'App Console → your app → Settings → App secret' },
  handshake: 'dropbox',
};
