/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, each v1 an
 * HMAC-SHA256 of `{t}.{raw body}` under the endpoint secret used as-is (the
 * `whsec_…` string is the key). Several v1 entries appear while a secret rolls;
 * any may match. Other schemes (v0) are ignored. Tolerance 300 s, here in both
 * directions, like every timestamped verifier in hookport.
 * https://docs.stripe.com/webhooks#verify-manually
 * Event objects have a unique `id` (evt_…), the same on every retry.
 */
import { safeEqualAny } from '../../../lib/security/constant-time';
import { headerValue } from '../headers';
import { encodeDigest, hmacDigest } from '../hmac-digest';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../../lib/verification/secrets';
import { checkTolerance, readTimestamp, unixSeconds } from '../timestamp';
import type { OutgoingRequest, VerifyContext, VerifyResult } from '../../../lib/verification/plugin';
import type { CustomPreset, PresetConfig } from './types';

const HEADER = 'stripe-signature';
const TOLERANCE_SECONDS = 300;

export interface StripeSignatureHeader {
  timestamp: string | undefined;
  signatures: string[];
}

/** Splits the header on `,`, then each element at its first `=`; only `t` and `v1` are kept. */
export function parseStripeSignature(value: string): StripeSignatureHeader {
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const element of value.split(',')) {
    const equals = element.indexOf('=');
    if (equals === -1) continue;
    const key = element.slice(0, equals).trim();
    const item = element.slice(equals + 1).trim();
    if (key === 't' && timestamp === undefined) timestamp = item;
    else if (key === 'v1' && item.length > 0) signatures.push(item.toLowerCase());
  }
  return { timestamp, signatures };
}

function signature(secret: string, timestamp: string, body: Buffer): string {
  return encodeDigest(hmacDigest('sha256', secret, [timestamp, '.', body]), 'hex');
}

function verify(context: VerifyContext, config: PresetConfig): VerifyResult {
  const value = headerValue(context.headers, HEADER);
  if (value === undefined || value.trim().length === 0) return { ok: false, reason: 'missing Stripe-Signature header' };
  const parsed = parseStripeSignature(value);
  if (parsed.signatures.length === 0) return { ok: false, reason: 'Stripe-Signature has no v1 signature' };
  const timestamp = readTimestamp(parsed.timestamp, 'Stripe-Signature t=', false);
  if (!timestamp.ok) return timestamp;
  const outside = checkTolerance(timestamp.seconds, context.now(), TOLERANCE_SECONDS);
  if (outside !== undefined) return { ok: false, reason: outside };
  const t = parsed.timestamp!;
  const match = matchSecrets(config.secrets, context.now(), (secret) => safeEqualAny(signature(secret.value, t, context.rawBody), parsed.signatures));
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: `signature mismatch: none of ${parsed.signatures.length} v1 signature(s) matches an active secret` };
}

function sign(request: OutgoingRequest, config: PresetConfig, now: number): OutgoingRequest {
  const secret = firstActiveSecret(config.secrets, now).value;
  const t = String(unixSeconds(now));
  return { ...request, headers: { ...request.headers, [HEADER]: `t=${t},v1=${signature(secret, t, request.body)}` } };
}

export const stripePreset: CustomPreset = {
  name: 'stripe',
  displayName: 'Stripe',
  scheme: 'custom',
  summary: '`Stripe-Signature: t=<time>,v1=<hex>[,v1=…]`, HMAC-SHA-256 of `{t}.{body}` under the whsec_ secret as written; ±300 s',
  docs: 'https://docs.stripe.com/webhooks#verify-manually',
  secret: { what: 'The endpoint signing secret (whsec_…)', where: 'Dashboard → Developers → Webhooks → your endpoint → Signing secret' },
  verify,
  sign,
  sensitiveHeaders: [HEADER],
  defaultDedupKey: 'jsonpath:$.id',
};
