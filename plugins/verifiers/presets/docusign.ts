/**
 * DocuSign Connect: one `X-DocuSign-Signature-N` header per active HMAC key, each
 * the base64 HMAC-SHA256 of the raw body; any header may match any key
 * (hookport reads the first five, DocuSign allows up to 100 keys).
 * https://developers.docusign.com/platform/webhooks/connect/validate/
 */
import type { HmacPreset } from './types';

export const docusignPreset: HmacPreset = {
  name: 'docusign',
  displayName: 'DocuSign Connect',
  scheme: 'hmac',
  docs: 'https://developers.docusign.com/platform/webhooks/connect/validate/',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'x-docusign-signature-1',
    additionalHeaders: ['x-docusign-signature-2', 'x-docusign-signature-3', 'x-docusign-signature-4', 'x-docusign-signature-5'],
  },
  secret: { what: 'A Connect HMAC key', where: 'Settings → Connect → Connect Keys → Add Secret Key (shown once)' },
};
