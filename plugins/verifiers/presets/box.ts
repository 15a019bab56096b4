/**
 * Box: `BOX-SIGNATURE-PRIMARY` and `-SECONDARY`, base64 HMAC-SHA256 of the raw
 * body followed by `BOX-DELIVERY-TIMESTAMP` (RFC 3339), under the primary and
 * secondary keys; Box refuses deliveries older than 10 minutes. Paste both keys
 * to verify either. `BOX-DELIVERY-ID` names the delivery.
 * https://developer.box.com/guides/webhooks/v2/signatures-v2/
 */
import type { HmacPreset } from './types';

export const boxPreset: HmacPreset = {
  name: 'box',
  displayName: 'Box',
  scheme: 'hmac',
  docs: 'https://developer.box.com/guides/webhooks/v2/signatures-v2/',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'box-signature-primary',
    additionalHeaders: ['box-signature-secondary'],
    signedContent: '{body}{timestamp}',
    timestampHeader: 'box-delivery-timestamp',
    timestampFormat: 'rfc3339',
    toleranceSeconds: 600,
  },
  secret: { what: 'The primary and secondary signature keys', where: 'Developer Console → your app → Webhooks → Manage signature keys' },
  defaultDedupKey: 'header:BOX-DELIVERY-ID',
};
