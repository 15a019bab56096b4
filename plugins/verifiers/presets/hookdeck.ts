/**
 * Hookdeck (forwarded events): `x-hookdeck-signature`, the base64 HMAC-SHA256 of
 * the raw body under the project's signing secret; while it rotates the old
 * secret signs `x-hookdeck-signature-2`. `x-hookdeck-eventid` names the event.
 * https://hookdeck.com/docs/authentication#hookdeck-webhook-signature-verification
 */
import type { HmacPreset } from './types';

export const hookdeckPreset: HmacPreset = {
  name: 'hookdeck',
  displayName: 'Hookdeck',
  scheme: 'hmac',
  docs: 'https://hookdeck.com/docs/authentication#hookdeck-webhook-signature-verification',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'x-hookdeck-signature',
    additionalHeaders: ['x-hookdeck-signature-2'],
  },
  secret: { what: "The project's webhook signing secret", where: 'Project settings → Secrets → Signing secret' },
  defaultDedupKey: 'header:x-hookdeck-eventid',
};
