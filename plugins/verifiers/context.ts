/**
 * Helpers over the verify context.
 */
import type { VerifyContext } from '../../lib/verification/plugin';

/**
 * The same request seen at another URL: presets that sign the URL (Twilio,
 * Square) verify against the URL configured at the provider when it differs from
 * the one hookport rebuilt. Written out member by member rather than spread, so
 * it also works when the context is a class instance with prototype methods.
 */
export function withUrl(context: VerifyContext, url: string): VerifyContext {
  return {
    method: context.method,
    rawBody: context.rawBody,
    headers: context.headers,
    url,
    query: context.query,
    pathSecret: context.pathSecret,
    body: () => context.body(),
    now: () => context.now(),
  };
}
