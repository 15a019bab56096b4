/**
 * Revolut Merchant API: `Revolut-Signature: v1=<hex>[,v1=<hex>]`, HMAC-SHA256 of
 * `v1.{Revolut-Request-Timestamp}.{raw body}`; the timestamp is in milliseconds
 * and several signatures appear while a secret rotates.
 * https://developer.revolut.com/docs/guides/accept-payments/tutorials/work-with-webhooks/verify-the-payload-signature
 */
import type { HmacPreset } from './types';

export const revolutPreset: HmacPreset = {
  name: 'revolut',
  displayName: 'Revolut Merchant',
  scheme: 'hmac',
  docs: 'https://developer.revolut.com/docs/guides/accept-payments/tutorials/work-with-webhooks/verify-the-payload-signature',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'revolut-signature',
    prefix: 'v1=',
    signedContent: 'v1.{timestamp}.{body}',
    timestampHeader: 'revolut-request-timestamp',
    timestampFormat: 'unix-ms',
  },
  secret: { what: 'The webhook signing secret (wsk_…)', where: 'The signing_secret returned when the webhook was created (Merchant API → Webhooks)' },
};
