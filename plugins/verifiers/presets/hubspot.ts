/**
 * HubSpot v3: `X-HubSpot-Signature-v3`, base64 HMAC-SHA256 under the app's client
 * secret of method + URI + raw body + `X-HubSpot-Request-Timestamp`
 * (milliseconds, refused when older than 5 minutes). The URI is the one
 * configured at HubSpot (publicUrl) when it differs from hookport's.
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
import type { HmacPreset } from './types';

export const hubspotPreset: HmacPreset = {
  name: 'hubspot',
  displayName: 'HubSpot (signature v3)',
  scheme: 'hmac',
  docs: 'https://developers.hubspot.com/docs/api/webhooks/validating-requests',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'x-hubspot-signature-v3',
    signedContent: '{method}{url}{body}{timestamp}',
    timestampHeader: 'x-hubspot-request-timestamp',
    timestampFormat: 'unix-ms',
  },
  signsUrl: true,
  accepts: ['publicUrl'],
  secret: { what: "The app's client secret", where: 'Developer account → Apps → your app → Auth → Client secret' },
};
