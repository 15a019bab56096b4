/**
 * The settings the `hmac` and `hash` verifiers share (see signed-digest.ts for
 * what they mean at request time): their types, their schema properties, the
 * save-time checks that the schema cannot express, and the signature headers to
 * mask. Re-exported by signed-digest.ts.
 */
import { Type, type TProperties } from '@sinclair/typebox';
import { parseBodyPath } from './body-path';
import { DIGEST_ENCODINGS, type DigestEncoding } from './hmac-digest';
import { headerName, stringEnum } from './schema';
import { parseSignedContent, uses } from './signed-content';
import { TIMESTAMP_FORMATS, type TimestampFormat } from './timestamp';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export const DEFAULT_SIGNED_CONTENT = '{body}';

export interface SignatureItems {
  /** Between items: `,` (Stripe), `;` (Paddle) or ` ` (Standard Webhooks). */
  separator: ',' | ';' | ' ';
  /** Between an item's key and its value: `=` (`v1=<hex>`) or `,` (`v1,<b64>`). */
  assign: '=' | ',';
  /** The key of signature items, e.g. `v1` or `h1`. */
  signatureKey: string;
  /** The key of the timestamp item, e.g. `t` or `ts`. */
  timestampKey?: string;
}

export interface DigestSettings {
  encoding: DigestEncoding;
  header: string;
  additionalHeaders?: string[];
  prefix?: string;
  signatureItems?: SignatureItems;
  signedContent?: string;
  timestampHeader?: string;
  timestampBodyPath?: string;
  timestampFormat?: TimestampFormat;
  toleranceSeconds?: number;
}

const ITEM_KEY = '^[A-Za-z0-9_.-]{1,32}$';

/** The schema properties of `DigestSettings`, for the hmac and hash config schemas. */
export function digestSettingsSchema(): TProperties {
  return {
    encoding: stringEnum(DIGEST_ENCODINGS),
    header: headerName('The header that carries the signature, e.g. X-Hub-Signature-256'),
    additionalHeaders: Type.Optional(Type.Array(headerName(), { minItems: 1, maxItems: 100, description: 'Further headers that may carry a signature (DocuSign -2 … -N, Box secondary)' })),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Text before the digest, e.g. sha256=' })),
    signatureItems: Type.Optional(
      Type.Object(
        {
          separator: stringEnum([',', ';', ' '] as const),
          assign: stringEnum(['=', ','] as const),
          signatureKey: Type.String({ pattern: ITEM_KEY }),
          timestampKey: Type.Optional(Type.String({ pattern: ITEM_KEY })),
        },
        { additionalProperties: false, description: 'A header of key=value items, e.g. t=…,v1=… (Stripe) or ts=…;h1=… (Paddle)' },
      ),
    ),
    signedContent: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'e.g. v0:{timestamp}:{body}' })),
    timestampHeader: Type.Optional(headerName('The header that carries the signing time')),
    timestampBodyPath: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A JSON body field with the signing time, e.g. webhookTimestamp' })),
    timestampFormat: Type.Optional(stringEnum(TIMESTAMP_FORMATS, 'unix (seconds), unix-ms or rfc3339; default unix')),
    toleranceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604800 })),
  };
}

/** Save-time checks of the settings; `secretPlaceholder` says whether `{secret}` belongs in the template. */
export function checkDigestSettings(settings: DigestSettings, secretPlaceholder: 'required' | 'refused'): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  const items = settings.signatureItems;
  const sources = [
    settings.timestampHeader !== undefined ? 'timestampHeader' : undefined,
    settings.timestampBodyPath !== undefined ? 'timestampBodyPath' : undefined,
    items?.timestampKey !== undefined ? 'signatureItems.timestampKey' : undefined,
  ].filter((source): source is string => source !== undefined);
  const parsed = parseSignedContent(settings.signedContent ?? DEFAULT_SIGNED_CONTENT);
  if (!parsed.ok) errors.push({ path: '/signedContent', message: parsed.error });
  else {
    const signsTimestamp = uses(parsed.segments, 'timestamp');
    const signedSource = settings.timestampHeader !== undefined || items?.timestampKey !== undefined;
    if (signsTimestamp && sources.length === 0) {
      errors.push({ path: '/signedContent', message: 'uses {timestamp}, which needs timestampHeader' });
    } else if (!signsTimestamp && signedSource) {
      // An unsigned timestamp is only a header: a captured signature replays forever under a fresh one.
      errors.push({ path: '/signedContent', message: 'must contain {timestamp} when timestampHeader (or a timestamp item) is set, so the timestamp is signed' });
    }
    if (secretPlaceholder === 'required' && !uses(parsed.segments, 'secret')) errors.push({ path: '/signedContent', message: 'must contain {secret}: the hash covers the secret' });
    if (secretPlaceholder === 'refused' && uses(parsed.segments, 'secret')) errors.push({ path: '/signedContent', message: 'must not contain {secret}: the secret is the HMAC key' });
  }
  if (sources.length > 1) errors.push({ path: `/${sources[1]!.split('.')[0]}`, message: `conflicts with ${sources[0]}: give the timestamp one source` });
  if (sources.length === 0) {
    if (settings.toleranceSeconds !== undefined) errors.push({ path: '/toleranceSeconds', message: 'has no effect without timestampHeader' });
    if (settings.timestampFormat !== undefined) errors.push({ path: '/timestampFormat', message: 'has no effect without a timestamp source' });
  }
  if (settings.timestampBodyPath !== undefined && !parseBodyPath(settings.timestampBodyPath)) {
    errors.push({ path: '/timestampBodyPath', message: 'must be a plain path such as webhookTimestamp or $.meta.sentAt' });
  }
  if (settings.prefix !== undefined && /\s/.test(settings.prefix.replace(/(?<=\S) $/, ''))) {
    errors.push({ path: '/prefix', message: 'must not contain whitespace (it separates signatures), except one space at the end (an authorization scheme such as "HMAC ")' });
  }
  if (items) {
    if (settings.prefix !== undefined) errors.push({ path: '/prefix', message: 'does not apply with signatureItems (the item key takes its place)' });
    if (items.separator === items.assign) errors.push({ path: '/signatureItems/assign', message: 'must differ from the separator' });
  }
  return errors;
}

/** The signature headers, lower-case, for masking in debug logs. */
export function signatureHeaders(settings: DigestSettings): string[] {
  return [settings.header, ...(settings.additionalHeaders ?? [])].map((name) => name.toLowerCase());
}
