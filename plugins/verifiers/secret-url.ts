/**
 * `secret_url`: the secret is the last path segment, `/hooks/{listenerId}/{secret}`
 * (SPEC §3, §4). For senders that cannot sign or add headers.
 *
 * Generated secrets are 32 characters of [a-z0-9] from `crypto.randomInt` (about
 * 165 bits): safe in any URL without encoding, and easy to read aloud or copy.
 */
import { randomInt } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../lib/security/constant-time';
import { secretList } from './schema';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../lib/verification/secrets';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export interface SecretUrlConfig {
  type: 'secret_url';
  /** Empty or absent until `generateSecrets` fills it in. */
  secrets: Secret[];
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const GENERATED_SECRET_LENGTH = 32;

/** 32 characters of [a-z0-9], each drawn uniformly (randomInt has no modulo bias). */
export function generateUrlSecret(): string {
  let secret = '';
  for (let index = 0; index < GENERATED_SECRET_LENGTH; index += 1) secret += ALPHABET[randomInt(ALPHABET.length)];
  return secret;
}

const configSchema = Type.Object(
  {
    type: Type.Literal('secret_url'),
    secrets: Type.Optional(secretList(0)),
  },
  { additionalProperties: false },
);

function verify(context: VerifyContext, config: SecretUrlConfig): VerifyResult {
  const given = context.pathSecret;
  if (given === undefined || given.length === 0) return { ok: false, reason: 'missing secret path segment' };
  const match = matchSecrets(config.secrets ?? [], context.now(), (secret) => safeEqual(given, secret.value));
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: 'secret path segment does not match' };
}

function sign(request: OutgoingRequest, config: SecretUrlConfig, now: number): OutgoingRequest {
  const secret = firstActiveSecret(config.secrets ?? [], now);
  return { ...request, pathSuffix: `/${encodeURIComponent(secret.value)}${request.pathSuffix}` };
}

function generateSecrets(config: SecretUrlConfig): Secret[] {
  if (config.secrets !== undefined && config.secrets.length > 0) return [];
  const generated = [{ value: generateUrlSecret() }];
  config.secrets = generated.map((secret) => ({ ...secret }));
  return generated;
}

function check(config: SecretUrlConfig): Array<{ path: string; message: string }> {
  return (config.secrets ?? []).flatMap((secret, index) =>
    /^[A-Za-z0-9._~-]+$/.test(secret.value)
      ? []
      : [{ path: `/secrets/${index}`, message: 'must use only URL-safe characters (A-Z a-z 0-9 . _ ~ -): it becomes a path segment' }],
  );
}

export const secretUrlVerifier: VerifierPlugin<SecretUrlConfig> = {
  name: 'secret_url',
  configSchema,
  secretFields: ['secrets'],
  secretInPath: true,
  check,
  generateSecrets,
  verify,
  sign,
  sensitiveHeaders: () => [],
};
