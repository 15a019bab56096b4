/**
 * HubSpot v2 (workflow webhooks and CRM cards): `X-HubSpot-Signature` is a plain
 * hex SHA-256 (not an HMAC) of client secret + method + URI + raw body, with
 * `X-HubSpot-Signature-Version: v2`.
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
import type { HashPreset } from './types';

export const hubspotV2Preset: HashPreset = {
  name: 'hubspot-v2',
  displayName: 'HubSpot (signature v2)',
  scheme: 'hash',
  docs: 'https://developers.hubspot.com/docs/api/webhooks/validating-requests',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-hubspot-signature',
    signedContent: '{secret}{method}{url}{body}',
  },
  signsUrl: true,
  accepts: ['publicUrl'],
  secret: { what: "The app's client secret", where: 'Developer account → Apps → your app → Auth → Client secret' },
};
