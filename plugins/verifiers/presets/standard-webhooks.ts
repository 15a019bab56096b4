/**
 * Standard Webhooks (https://www.standardwebhooks.com, spec:
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md),
 * which Svix implements with `svix-` header names.
 *
 * Signed content `{id}.{timestamp}.{raw body}`, HMAC-SHA256 under the secret's
 * bytes: the secret is `whsec_` + base64, and the key is the base64-decoded part.
 * The signature header holds space-separated `<version>,<base64>` entries; any
 * `v1` entry may match (asymmetric `v1a` entries are not supported and ignored).
 * Timestamps are Unix seconds, tolerance 5 minutes either way. The message id is
 * the same on every retry, so it is the dedup key.
 */
import { randomBytes } from 'node:crypto';
import { safeEqualAny } from '../../../lib/security/constant-time';
import { headerValue } from '../headers';
import { encodeDigest, hmacDigest } from '../hmac-digest';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../../lib/verification/secrets';
import { checkTolerance, readTimestamp, unixSeconds } from '../timestamp';
import type { OutgoingRequest, VerifyContext, VerifyResult } from '../../../lib/verification/plugin';
import type { CustomPreset, PresetConfig } from './types';

const TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

export function isStandardWebhooksSecret(secret: string): boolean {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return BASE64.test(encoded) && encoded.length % 4 === 0;
}

function signature(secret: string, id: string, timestamp: string, body: Buffer): string {
  return encodeDigest(hmacDigest('sha256', standardWebhooksKey(secret), [id, '.', timestamp, '.', body]), 'base64');
}

type HeaderNames = { id: string; timestamp: string; signature: string };

function names(prefix: string): HeaderNames {
  return { id: `${prefix}-id`, timestamp: `${prefix}-timestamp`, signature: `${prefix}-signature` };
}

/** Signatures are space-separated; only `v1,` entries are HMAC signatures. */
export function v1Signatures(value: string): string[] {
  return value
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice(3))
    .filter((entry) => entry.length > 0);
}

function makeVerify(headerPrefixes: readonly [string, string]) {
  return function verify(context: VerifyContext, config: PresetConfig): VerifyResult {
    // The first family of headers present wins: webhook-* for Standard Webhooks, svix-* for Svix.
    const family = headerPrefixes.map(names).find((candidate) => headerValue(context.headers, candidate.id) !== undefined) ?? names(headerPrefixes[0]);
    const id = headerValue(context.headers, family.id);
    if (id === undefined || id.length === 0) return { ok: false, reason: `missing ${family.id} header` };
    const rawTimestamp = headerValue(context.headers, family.timestamp);
    const timestamp = readTimestamp(rawTimestamp, `header ${family.timestamp}`, false);
    if (!timestamp.ok) return timestamp;
    const outside = checkTolerance(timestamp.seconds, context.now(), TOLERANCE_SECONDS);
    if (outside !== undefined) return { ok: false, reason: outside };
    const value = headerValue(context.headers, family.signature);
    if (value === undefined || value.trim().length === 0) return { ok: false, reason: `missing ${family.signature} header` };
    const signatures = v1Signatures(value.trim());
    if (signatures.length === 0) return { ok: false, reason: `${family.signature} has no v1 signature` };
    const t = rawTimestamp!.trim();
    const match = matchSecrets(config.secrets, context.now(), (secret) => safeEqualAny(signature(secret.value, id, t, context.rawBody), signatures));
    if (match === 'active') return { ok: true };
    if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
    return { ok: false, reason: `signature mismatch: none of ${signatures.length} v1 signature(s) matches an active secret` };
  };
}

function makeSign(headerPrefix: string) {
  const family = names(headerPrefix);
  return function sign(request: OutgoingRequest, config: PresetConfig, now: number): OutgoingRequest {
    const secret = firstActiveSecret(config.secrets, now).value;
    const existing = Object.entries(request.headers).find(([name]) => name.toLowerCase() === family.id)?.[1];
    const id = existing ?? `msg_${randomBytes(12).toString('hex')}`;
    const t = String(unixSeconds(now));
    return {
      ...request,
      headers: {
        ...request.headers,
        [family.id]: id,
        [family.timestamp]: t,
        [family.signature]: `v1,${signature(secret, id, t, request.body)}`,
      },
    };
  };
}

function checkSecrets(config: PresetConfig): Array<{ path: string; message: string }> {
  return config.secrets.flatMap((secret, index) =>
    isStandardWebhooksSecret(secret.value) ? [] : [{ path: `/secrets/${index}`, message: 'must be whsec_ followed by base64, as the sender shows it' }],
  );
}

export const standardWebhooksPreset: CustomPreset = {
  name: 'standard-webhooks',
  displayName: 'Standard Webhooks (any sender)',
  scheme: 'custom',
  summary: '`webhook-signature: v1,<base64> …`, HMAC-SHA-256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the base64 after whsec_ (svix-* names read too); ±300 s',
  docs: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
  secret: { what: 'The signing secret (whsec_…)', where: "The sender's webhook endpoint settings" },
  verify: makeVerify(['webhook', 'svix']),
  sign: makeSign('webhook'),
  check: checkSecrets,
  sensitiveHeaders: ['webhook-signature', 'svix-signature'],
  defaultDedupKey: 'header:webhook-id',
};

/** Svix sends the same scheme under `svix-` header names (https://docs.svix.com/receiving/verifying-payloads/how-manual). */
export const svixPreset: CustomPreset = {
  name: 'svix',
  displayName: 'Svix (any sender)',
  scheme: 'custom',
  summary: 'the Standard Webhooks scheme under `svix-id`, `svix-timestamp`, `svix-signature`; ±300 s',
  docs: 'https://docs.svix.com/receiving/verifying-payloads/how-manual',
  secret: { what: 'The endpoint signing secret (whsec_…)', where: "The sender's Svix-powered webhook portal → your endpoint → Signing Secret" },
  verify: makeVerify(['svix', 'webhook']),
  sign: makeSign('svix'),
  check: checkSecrets,
  sensitiveHeaders: ['svix-signature', 'webhook-signature'],
  defaultDedupKey: 'header:svix-id',
};
