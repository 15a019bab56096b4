/**
 * The Standard Webhooks signature as hmac data, for the providers that send it
 * (https://www.standardwebhooks.com): `<prefix>-signature` holds space-separated
 * `v1,<base64>` entries, each HMAC-SHA256 of `{<prefix>-id}.{<prefix>-timestamp}.{raw body}`.
 * Svix-delivered providers use the `svix` prefix, the others `webhook`. The secret is the
 * base64 part of a `whsec_` secret, except where a provider keys with the text itself.
 */
import type { HmacPreset } from './types';

export function standardWebhooksHmac(prefix: 'svix' | 'webhook', secretEncoding: 'base64' | 'utf8' = 'base64'): HmacPreset['settings'] {
  return {
    algorithm: 'sha256',
    encoding: 'base64',
    signatureItems: { separator: ' ', assign: ',', signatureKey: 'v1' },
    secretEncoding,
    header: `${prefix}-signature`,
    signedContent: `{headers.${prefix}-id}.{timestamp}.{body}`,
    timestampHeader: `${prefix}-timestamp`,
  };
}
