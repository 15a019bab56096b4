/**
 * HubSpot v1 (app webhook subscriptions): `X-HubSpot-Signature` is a plain hex
 * SHA-256 of client secret + raw body, with `X-HubSpot-Signature-Version: v1`.
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
import type { HashPreset } from './types';

export const hubspotV1Preset: HashPreset = {
  name: 'hubspot-v1',
  displayName: 'HubSpot (signature v1)',
  scheme: 'hash',
  docs: 'https://developers.hubspot.com/docs/api/webhooks/validating-requests',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-hubspot-signature',
    signedContent: '{secret}{body}',
  },
  secret: { what: "The app's client secret", where: 'Developer account → Apps → your app → Auth → Client secret' },
};
