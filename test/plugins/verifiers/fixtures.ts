/**
 * Test fixtures for verifiers: a VerifyContext builder and signers that build
 * what each partner sends. The signers are written from the providers' docs with
 * node:crypto directly, not with the plugin code, so a test that signs here and
 * verifies with a plugin checks the plugin against the documented scheme.
 */
import { createHash, createHmac } from 'node:crypto';
import type { VerifyContext } from '../../../lib/verification/plugin';

export const FIXED_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** The worked example in https://api.slack.com/authentication/verifying-requests-from-slack */
export const SLACK_DOC_VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
} as const;

/** The test vector published with the Standard Webhooks reference libraries (and Svix's). */
export const STANDARD_WEBHOOKS_VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;
export const FIXED_SECONDS = Math.floor(FIXED_NOW / 1000);

export interface ContextOptions {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string | string[]>;
  url?: string;
  pathSecret?: string;
  now?: number;
  /** Overrides body parsing (e.g. an XML body already turned into an object). */
  parsedBody?: () => unknown;
}

function queryObject(url: string): Record<string, unknown> {
  const question = url.indexOf('?');
  const query: Record<string, unknown> = {};
  if (question === -1) return query;
  for (const [name, value] of new URLSearchParams(url.slice(question + 1))) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else query[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/** Forms nest with brackets (`a[b]=1`), as the form parser does (SPEC §7). */
function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const path = name.split(/[[\]]+/).filter(Boolean);
    let target = result;
    path.slice(0, -1).forEach((segment) => {
      if (typeof target[segment] !== 'object' || target[segment] === null) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    });
    target[path[path.length - 1]!] = value;
  }
  return result;
}

export function makeContext(options: ContextOptions = {}): VerifyContext {
  const rawBody = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body ?? Buffer.alloc(0);
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const url = options.url ?? 'https://hooks.example.com/hooks/0123456789abcdefghijklmnopqrstuv';
  const contentType = String(headers['content-type'] ?? '');
  const now = options.now ?? FIXED_NOW;
  return {
    method: options.method ?? 'POST',
    rawBody,
    headers,
    url,
    query: queryObject(url),
    pathSecret: options.pathSecret,
    async body() {
      if (options.parsedBody) return options.parsedBody();
      const text = rawBody.toString('utf8');
      if (contentType.includes('application/x-www-form-urlencoded')) return parseForm(text);
      return JSON.parse(text);
    },
    now: () => now,
  };
}

const hmacHex = (algorithm: string, key: string | Buffer, data: string | Buffer) => createHmac(algorithm, key).update(data).digest('hex');
const hmacBase64 = (algorithm: string, key: string | Buffer, data: string | Buffer) => createHmac(algorithm, key).update(data).digest('base64');

/** https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries */
export function signGitHub(input: { secret: string; body: string }): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${hmacHex('sha256', input.secret, input.body)}` };
}

/** https://shopify.dev/docs/apps/build/webhooks/verify-deliveries */
export function signShopify(input: { secret: string; body: string }): Record<string, string> {
  return { 'x-shopify-hmac-sha256': hmacBase64('sha256', input.secret, input.body) };
}

/** https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads */
export function signMeta(input: { appSecret: string; body: string }): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${hmacHex('sha256', input.appSecret, input.body)}` };
}

/** https://api.slack.com/authentication/verifying-requests-from-slack */
export function signSlack(input: { secret: string; body: string; timestamp: number }): Record<string, string> {
  const basestring = `v0:${input.timestamp}:${input.body}`;
  return { 'x-slack-request-timestamp': String(input.timestamp), 'x-slack-signature': `v0=${hmacHex('sha256', input.secret, basestring)}` };
}

/** https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events */
export function signZoom(input: { secretToken: string; body: string; timestamp: number }): Record<string, string> {
  const message = `v0:${input.timestamp}:${input.body}`;
  return { 'x-zm-request-timestamp': String(input.timestamp), 'x-zm-signature': `v0=${hmacHex('sha256', input.secretToken, message)}` };
}

/** https://developer.squareup.com/docs/webhooks/step3validate */
export function signSquare(input: { signatureKey: string; notificationUrl: string; body: string }): Record<string, string> {
  return { 'x-square-hmacsha256-signature': hmacBase64('sha256', input.signatureKey, input.notificationUrl + input.body) };
}

/** https://docs.stripe.com/webhooks#verify-manually — `extraV1` adds further v1 entries (secret rolling). */
export function signStripe(input: { secret: string; body: string; timestamp: number; extraV1?: string[] }): Record<string, string> {
  const v1 = hmacHex('sha256', input.secret, `${input.timestamp}.${input.body}`);
  const entries = [`t=${input.timestamp}`, ...(input.extraV1 ?? []).map((signature) => `v1=${signature}`), `v1=${v1}`];
  return { 'stripe-signature': entries.join(',') };
}

/** https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md — `prefix: 'svix'` for Svix. */
export function signStandardWebhooks(input: {
  secret: string;
  id: string;
  timestamp: number;
  body: string;
  prefix?: 'webhook' | 'svix';
  extraSignatures?: string[];
}): Record<string, string> {
  const key = Buffer.from(input.secret.replace(/^whsec_/, ''), 'base64');
  const signature = hmacBase64('sha256', key, `${input.id}.${input.timestamp}.${input.body}`);
  const prefix = input.prefix ?? 'webhook';
  return {
    [`${prefix}-id`]: input.id,
    [`${prefix}-timestamp`]: String(input.timestamp),
    [`${prefix}-signature`]: [...(input.extraSignatures ?? []), `v1,${signature}`].join(' '),
  };
}

/** https://www.twilio.com/docs/usage/webhooks/webhooks-security — form POST: URL + sorted name+value pairs. */
export function signTwilio(input: { authToken: string; url: string; params?: Record<string, string> }): Record<string, string> {
  const params = input.params ?? {};
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], input.url);
  return { 'x-twilio-signature': hmacBase64('sha1', input.authToken, data) };
}

/** Twilio JSON bodies: `bodySHA256` (hex SHA-256 of the body) joins the URL's query and the URL alone is signed. */
export function signTwilioJson(input: { authToken: string; url: string; body: string }): { url: string; headers: Record<string, string> } {
  const hash = createHash('sha256').update(input.body).digest('hex');
  const url = `${input.url}${input.url.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
  return { url, headers: { 'x-twilio-signature': hmacBase64('sha1', input.authToken, url) } };
}

/** `Authorization: Basic …` per RFC 7617. */
export function basicAuthorization(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
}
