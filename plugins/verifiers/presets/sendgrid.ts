/**
 * SendGrid Event Webhook (signed): `X-Twilio-Email-Event-Webhook-Signature`, a base64
 * DER ECDSA P-256/SHA-256 signature of the timestamp header followed by the raw
 * body, checked with the verification key. SendGrid names no window; hookport
 * applies its default 300 s.
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
import type { EcdsaPreset } from './types';

export const sendgridPreset: EcdsaPreset = {
  name: 'sendgrid',
  displayName: 'SendGrid Event Webhook',
  scheme: 'ecdsa',
  docs: 'https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features',
  settings: {
    header: 'x-twilio-email-event-webhook-signature',
    signatureEncoding: 'base64',
    signedContent: '{timestamp}{body}',
    timestampHeader: 'x-twilio-email-event-webhook-timestamp',
  },
  secret: { what: 'The Verification Key (base64 public key)', where: 'Settings → Mail Settings → Event Webhooks → your webhook → Signature Verification → Verification Key' },
};
