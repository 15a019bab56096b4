/**
 * Front application webhooks: `X-Front-Signature`, base64 HMAC-SHA256 of
 * `{X-Front-Request-Timestamp}:{raw body}` under the app secret; the timestamp
 * is in milliseconds. The `X-Front-Challenge` check is answered by the front handshake.
 * https://dev.frontapp.com/docs/application-webhooks#verifying-integrity
 */
import type { HmacPreset } from './types';

export const frontPreset: HmacPreset = {
  name: 'front',
  displayName: 'Front',
  scheme: 'hmac',
  docs: 'https://dev.frontapp.com/docs/application-webhooks#verifying-integrity',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'x-front-signature',
    signedContent: '{timestamp}:{body}',
    timestampHeader: 'x-front-request-timestamp',
    timestampFormat: 'unix-ms',
  },
  secret: { what: "The app's signing secret (App secret)", where: 'Front → Settings → Developers → your app → Basic information → App secret' },
  handshake: 'front',
};
