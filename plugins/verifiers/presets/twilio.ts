/**
 * Twilio: `X-Twilio-Signature` = base64 HMAC-SHA1, under the auth token, of the
 * full URL Twilio requested followed, for form bodies, by every POST parameter as
 * name+value with names sorted (byte order). JSON bodies are instead bound by a
 * `bodySHA256` query parameter (hex SHA-256 of the body) and the signature covers
 * the URL alone. https://www.twilio.com/docs/usage/webhooks/webhooks-security
 *
 * As Twilio's own helper libraries do: a repeated parameter contributes each
 * distinct value, sorted; and the URL is tried with and without the default port,
 * because Twilio's signing is inconsistent about it.
 *
 * The URL is `publicUrl` (the URL configured at Twilio) when set, else the URL
 * hookport rebuilt; `publicUrl` supplies scheme, host and path, and the query is
 * always the one the request carried (Twilio adds `bodySHA256` to it).
 * Retries carry the same `I-Twilio-Idempotency-Token` header.
 */
import { createHash } from 'node:crypto';
import { safeEqual, safeEqualAny } from '../../../lib/security/constant-time';
import { appendQuery, headerValue, searchParamsOf } from '../headers';
import { encodeDigest, hmacDigest } from '../hmac-digest';
import { sortedParamString } from '../sorted-form';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../../lib/verification/secrets';
import type { OutgoingRequest, VerifyContext, VerifyResult } from '../../../lib/verification/plugin';
import type { CustomPreset, PresetConfig } from './types';

const HEADER = 'x-twilio-signature';
const FORM = 'application/x-www-form-urlencoded';

function splitUrl(url: string): { base: string; query: string } {
  const hash = url.indexOf('#');
  const withoutHash = hash === -1 ? url : url.slice(0, hash);
  const question = withoutHash.indexOf('?');
  return question === -1 ? { base: withoutHash, query: '' } : { base: withoutHash.slice(0, question), query: withoutHash.slice(question) };
}

/** The URL Twilio signed: `publicUrl`'s scheme, host and path with the request's own query. */
export function twilioSignedUrl(requestUrl: string, publicUrl: string | undefined): string {
  const request = splitUrl(requestUrl);
  return (publicUrl === undefined ? request.base : splitUrl(publicUrl).base) + request.query;
}

/** The same URL with the scheme's default port added when absent, removed when present. */
export function togglePort(url: string): string | undefined {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return undefined;
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? '' : authority.slice(0, at + 1);
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority.slice(at + 1));
  if (!hostPort) return undefined;
  const host = hostPort[1]!;
  if (hostPort[2] !== undefined) return `${scheme}://${userInfo}${host}${rest}`;
  const port = scheme.toLowerCase() === 'https' ? 443 : 80;
  return `${scheme}://${userInfo}${host}:${port}${rest}`;
}

/** Sorted name+value concatenation of form parameters (shared with the hmac `{form}` placeholder). */
export const twilioParamString = sortedParamString;

function signatureOf(token: string, url: string, params: string): string {
  return encodeDigest(hmacDigest('sha1', token, [url, params]), 'base64');
}

function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().split(';')[0]!.trim() === FORM;
}

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function verify(context: VerifyContext, config: PresetConfig): VerifyResult {
  const received = headerValue(context.headers, HEADER);
  if (received === undefined || received.trim().length === 0) return { ok: false, reason: 'missing X-Twilio-Signature header' };
  const url = twilioSignedUrl(context.url, config.publicUrl);
  const bodyHash = searchParamsOf(context.url).get('bodySHA256');
  let params = '';
  if (bodyHash !== null) {
    if (!safeEqual(bodyHash.toLowerCase(), sha256Hex(context.rawBody))) return { ok: false, reason: 'bodySHA256 in the URL does not match the body' };
  } else if (isForm(headerValue(context.headers, 'content-type'))) {
    params = twilioParamString(new URLSearchParams(context.rawBody.toString('utf8')));
  } else if (context.rawBody.length > 0) {
    return { ok: false, reason: 'a body that is not a form must be bound by bodySHA256 in the URL' };
  }
  const urls = [url, togglePort(url)].filter((candidate): candidate is string => candidate !== undefined);
  const signature = received.trim();
  const match = matchSecrets(config.secrets, context.now(), (secret) =>
    safeEqualAny(
      signature,
      urls.map((candidate) => signatureOf(secret.value, candidate, params)),
    ),
  );
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: `signature mismatch for ${url}` };
}

function sign(request: OutgoingRequest, config: PresetConfig, now: number, publicUrl: string): OutgoingRequest {
  const token = firstActiveSecret(config.secrets, now).value;
  const contentType = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  let pathSuffix = request.pathSuffix;
  let params = '';
  if (isForm(contentType)) params = twilioParamString(new URLSearchParams(request.body.toString('utf8')));
  else if (request.body.length > 0) pathSuffix = appendQuery(pathSuffix, 'bodySHA256', sha256Hex(request.body));
  const url = twilioSignedUrl(publicUrl + pathSuffix, config.publicUrl);
  return { ...request, pathSuffix, headers: { ...request.headers, [HEADER]: signatureOf(token, url, params) } };
}

export const twilioPreset: CustomPreset = {
  name: 'twilio',
  displayName: 'Twilio',
  scheme: 'custom',
  summary: '`X-Twilio-Signature: <base64>`, HMAC-SHA-1 of the URL + sorted form parameters (a JSON body is bound by `bodySHA256` in the URL)',
  docs: 'https://www.twilio.com/docs/usage/webhooks/webhooks-security',
  accepts: ['publicUrl'],
  secret: { what: 'The Auth Token of the account (and the webhook URL as publicUrl when it differs)', where: 'Twilio Console → Account → API keys & tokens → Auth Token' },
  verify,
  sign,
  sensitiveHeaders: [HEADER],
  defaultDedupKey: 'header:I-Twilio-Idempotency-Token',
};
