/**
 * `basic`: HTTP Basic authentication (RFC 7617). The user-id ends at the first
 * colon, so the password may contain colons; credentials are UTF-8. Username and
 * password are both compared in constant time, and the password list is always
 * checked in full, whatever the username comparison said.
 */
import { Type } from '@sinclair/typebox';
import { safeEqual } from '../../lib/security/constant-time';
import { headerValue } from './headers';
import { secretList } from './schema';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../lib/verification/secrets';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

/** The realm the ingest stage names in `WWW-Authenticate` when basic verification fails. */
export const BASIC_REALM = 'hookport';
/** The whole `WWW-Authenticate` value for a failed basic verification. */
export const BASIC_CHALLENGE = `Basic realm="${BASIC_REALM}"`;

export interface BasicConfig {
  type: 'basic';
  username: string;
  passwords: Secret[];
}

const configSchema = Type.Object(
  {
    type: Type.Literal('basic'),
    username: Type.String({ minLength: 1, pattern: '^[^:]*$', description: 'RFC 7617: a user-id cannot contain a colon' }),
    passwords: secretList(1),
  },
  { additionalProperties: false },
);

type Credentials = { ok: true; username: string; password: string } | { ok: false; reason: string };

/** Parses `Authorization: Basic <base64(user:password)>`; the scheme name is case-insensitive (RFC 9110 §11.1). */
export function parseBasicAuthorization(value: string | undefined): Credentials {
  if (value === undefined || value.trim().length === 0) return { ok: false, reason: 'missing Authorization header' };
  const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+([A-Za-z0-9+/=._~-]+)\s*$/.exec(value);
  if (!match) return { ok: false, reason: 'malformed Authorization header' };
  if (match[1]!.toLowerCase() !== 'basic') return { ok: false, reason: `Authorization scheme is ${match[1]}, not Basic` };
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { ok: false, reason: 'Basic credentials have no colon between user-id and password' };
  return { ok: true, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function verify(context: VerifyContext, config: BasicConfig): VerifyResult {
  const credentials = parseBasicAuthorization(headerValue(context.headers, 'authorization'));
  if (!credentials.ok) return credentials;
  const usernameMatches = safeEqual(credentials.username, config.username);
  const match = matchSecrets(config.passwords, context.now(), (secret) => safeEqual(credentials.password, secret.value));
  if (!usernameMatches) return { ok: false, reason: 'unknown username' };
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: 'password mismatch' };
}

function sign(request: OutgoingRequest, config: BasicConfig, now: number): OutgoingRequest {
  const password = firstActiveSecret(config.passwords, now).value;
  const token = Buffer.from(`${config.username}:${password}`, 'utf8').toString('base64');
  return { ...request, headers: { ...request.headers, authorization: `Basic ${token}` } };
}

export const basicVerifier: VerifierPlugin<BasicConfig> = {
  name: 'basic',
  configSchema,
  secretFields: ['passwords'],
  verify,
  sign,
  sensitiveHeaders: () => ['authorization'],
  challenge: BASIC_CHALLENGE,
};
