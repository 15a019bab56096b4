/**
 * `jwt`: a JSON Web Token in a header (RFC 7519), verified with `jose`. The key
 * list holds, per entry, an HMAC secret (HS256/384/512), or a public key for
 * RS256/ES256…: a PEM `PUBLIC KEY`, a JWK, or a whole JWKS document pasted
 * inline (the `kid` picks the key). Nothing is fetched at verify time.
 *
 * Senders bind the token to the body with a claim holding the body's SHA-256:
 * Netlify `sha256` (hex, https://docs.netlify.com/site-deploys/deploy-notifications/#payload-signature),
 * Vonage `payload_hash` (hex), FusionAuth `request_body_sha256` (base64).
 * With `bodyHashClaim` the claim must be present and match the raw body.
 * `exp` and `nbf` are always enforced when present; `maxAgeSeconds` also
 * refuses tokens whose `iat` is older (replay protection), using hookport's clock.
 * A `Bearer ` prefix in the header is dropped.
 */
import { createHash, createHmac, createPublicKey } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../lib/security/constant-time';
import { headerValue } from './headers';
import { headerName, secretList, stringEnum } from './schema';
import { firstActiveSecret, isActive, SECRET_EXPIRED } from '../../lib/verification/secrets';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export interface JwtConfig {
  type: 'jwt';
  header: string;
  algorithms: JwtAlgorithm[];
  keys: Secret[];
  issuer?: string;
  audience?: string;
  bodyHashClaim?: string;
  bodyHashEncoding?: 'hex' | 'base64' | 'base64url';
  maxAgeSeconds?: number;
}

export type JwtScheme = Omit<JwtConfig, 'type' | 'keys'>;

const configSchema = Type.Object(
  {
    type: Type.Literal('jwt'),
    header: headerName('The header that carries the token, e.g. X-Webhook-Signature or Authorization'),
    algorithms: Type.Array(stringEnum(JWT_ALGORITHMS), { minItems: 1, uniqueItems: true }),
    keys: secretList(1),
    issuer: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    audience: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    bodyHashClaim: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The claim holding the SHA-256 of the body, e.g. sha256 (Netlify)' })),
    bodyHashEncoding: Type.Optional(stringEnum(['hex', 'base64', 'base64url'] as const)),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604800, description: 'Refuse tokens whose iat is older' })),
  },
  { additionalProperties: false },
);

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
let josePromise: Promise<Jose> | undefined;
/** jose is an ES module; hookport compiles to CommonJS, so it is loaded with import(). */
function loadJose(): Promise<Jose> {
  return (josePromise ??= import('jose'));
}

const isHmac = (algorithms: readonly JwtAlgorithm[]) => algorithms.every((algorithm) => algorithm.startsWith('HS'));

type KeyInput = Parameters<Jose['jwtVerify']>[1];

/** The jose key (or key-set function) a configured entry stands for. */
async function keyOf(jose: Jose, text: string, config: JwtConfig): Promise<KeyInput> {
  if (isHmac(config.algorithms)) return new TextEncoder().encode(text);
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { keys?: unknown };
    if (Array.isArray(parsed.keys)) return jose.createLocalJWKSet(parsed as Parameters<Jose['createLocalJWKSet']>[0]);
    return createPublicKey({ key: parsed as import('node:crypto').JsonWebKey, format: 'jwk' });
  }
  return createPublicKey(trimmed);
}

function keyProblem(text: string, config: JwtConfig): string | undefined {
  if (isHmac(config.algorithms)) return undefined;
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const parsed = JSON.parse(trimmed) as { keys?: unknown };
      if (Array.isArray(parsed.keys)) return parsed.keys.length > 0 ? undefined : 'is a JWKS without keys';
      createPublicKey({ key: parsed as import('node:crypto').JsonWebKey, format: 'jwk' });
      return undefined;
    }
    createPublicKey(trimmed);
    return undefined;
  } catch {
    return 'must be a PEM public key, a JWK or a JWKS document (JSON)';
  }
}

function bodyHash(body: Buffer, encoding: NonNullable<JwtConfig['bodyHashEncoding']>): string {
  return createHash('sha256').update(body).digest(encoding);
}

async function verifyWithKey(jose: Jose, token: string, key: string, config: JwtConfig, now: number): Promise<{ ok: true; payload: Record<string, unknown> } | { ok: false; reason: string }> {
  try {
    const { payload } = await jose.jwtVerify(token, await keyOf(jose, key, config), {
      algorithms: [...config.algorithms],
      currentDate: new Date(now),
      ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
      ...(config.audience !== undefined ? { audience: config.audience } : {}),
      ...(config.maxAgeSeconds !== undefined ? { maxTokenAge: config.maxAgeSeconds } : {}),
    });
    return { ok: true, payload };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

async function verify(context: VerifyContext, config: JwtConfig): Promise<VerifyResult> {
  const header = config.header.toLowerCase();
  const raw = headerValue(context.headers, header)?.trim();
  if (raw === undefined || raw.length === 0) return { ok: false, reason: `missing token header ${header}` };
  const token = raw.replace(/^bearer\s+/i, '');
  const jose = await loadJose();
  const now = context.now();
  let active: { ok: true; payload: Record<string, unknown> } | undefined;
  let expired = false;
  let lastReason = 'no key verifies the token';
  for (const secret of config.keys) {
    const result = await verifyWithKey(jose, token, secret.value, config, now);
    if (!result.ok) {
      lastReason = result.reason;
      continue;
    }
    if (isActive(secret, now)) active ??= result;
    else expired = true;
  }
  if (!active) return { ok: false, reason: expired ? SECRET_EXPIRED : `token refused: ${lastReason}` };
  if (config.bodyHashClaim !== undefined) {
    const claimed = active.payload[config.bodyHashClaim];
    if (typeof claimed !== 'string') return { ok: false, reason: `token has no ${config.bodyHashClaim} claim binding it to the body` };
    const encoding = config.bodyHashEncoding ?? 'hex';
    const expected = bodyHash(context.rawBody, encoding);
    const received = encoding === 'hex' ? claimed.toLowerCase() : claimed.replace(/=+$/, '');
    if (!safeEqual(received, encoding === 'hex' ? expected : expected.replace(/=+$/, ''))) {
      return { ok: false, reason: `the ${config.bodyHashClaim} claim does not match the body` };
    }
  }
  return { ok: true };
}

const HMAC_OF: Record<string, 'sha256' | 'sha384' | 'sha512'> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/**
 * Signs with an HMAC key as the sender would (compact JWS, RFC 7515 §7.1);
 * public-key settings cannot sign.
 */
function sign(request: OutgoingRequest, config: JwtConfig, now: number): OutgoingRequest {
  const algorithm = config.algorithms[0]!;
  const hash = HMAC_OF[algorithm];
  if (!hash) throw new Error("hookport holds only the provider's public key, so it cannot sign as the provider");
  const secret = firstActiveSecret(config.keys, now).value;
  const claims: Record<string, unknown> = { iat: Math.floor(now / 1000) };
  if (config.issuer !== undefined) claims.iss = config.issuer;
  if (config.audience !== undefined) claims.aud = config.audience;
  if (config.bodyHashClaim !== undefined) claims[config.bodyHashClaim] = bodyHash(request.body, config.bodyHashEncoding ?? 'hex');
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const input = `${encode({ alg: algorithm, typ: 'JWT' })}.${encode(claims)}`;
  const token = `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
  const value = config.header.toLowerCase() === 'authorization' ? `Bearer ${token}` : token;
  return { ...request, headers: { ...request.headers, [config.header.toLowerCase()]: value } };
}

function check(config: JwtConfig): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  const hmac = config.algorithms.filter((algorithm) => algorithm.startsWith('HS'));
  if (hmac.length > 0 && hmac.length < config.algorithms.length) {
    // One key list cannot be secrets and public keys at once; mixing also invites algorithm confusion.
    errors.push({ path: '/algorithms', message: 'must be all HMAC (HS…) or all public-key algorithms' });
    return errors;
  }
  config.keys.forEach((key, index) => {
    const problem = keyProblem(key.value, config);
    if (problem !== undefined) errors.push({ path: `/keys/${index}`, message: problem });
  });
  if (config.bodyHashEncoding !== undefined && config.bodyHashClaim === undefined) errors.push({ path: '/bodyHashEncoding', message: 'has no effect without bodyHashClaim' });
  return errors;
}

export const jwtVerifier: VerifierPlugin<JwtConfig> = {
  name: 'jwt',
  configSchema,
  secretFields: ['keys'],
  check,
  verify,
  sign,
  sensitiveHeaders: (config) => [config.header.toLowerCase()],
};
