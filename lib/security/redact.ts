/**
 * What is secret in a webhook request, decided once per listener from its
 * verifier's declarations (lib/verification/plugin.ts) and its `debug.redact`
 * paths. Every place that shows or keeps a request — storage, samples, debug
 * capture, test-request, logs — masks by these rules.
 */
import type { VerifierPlugin } from '../verification/plugin';

/** Headers masked for every listener, whatever its verifier. */
export const ALWAYS_SENSITIVE_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'x-api-key'];

export interface RedactionRules {
  /** Lower-case header names never shown in debug logs, samples or test-request replies. */
  readonly sensitiveHeaders: ReadonlySet<string>;
  /** Query parameters holding a credential (token in query, Meta's verify token). */
  readonly sensitiveQuery: readonly string[];
  /** Body paths holding a credential (the token verifier's); masked in the stored job and sample too. */
  readonly credentialBodyPaths: readonly string[];
  /** Body paths masked in debug logs: the credential paths plus the listener's `debug.redact` JSONPaths. */
  readonly sensitiveBodyPaths: readonly string[];
}

/** `$.myAuth.token` → `myAuth`, `$['my auth'].token` → `my auth` (the query key a form-style copy would use). */
function firstKeyOf(jsonPath: string): string[] {
  const match = /^\$(?:\.([A-Za-z_$][\w$]*)|\['((?:[^'\\]|\\.)*)'\])/.exec(jsonPath);
  const key = match?.[1] ?? match?.[2]?.replace(/\\(.)/g, '$1');
  return key ? [key] : [];
}

export function redactionRules(
  verifier: VerifierPlugin,
  verification: Record<string, unknown>,
  debugRedact: readonly string[],
): RedactionRules {
  const credentialBodyPaths = verifier.sensitiveBodyPaths?.(verification) ?? [];
  return {
    sensitiveHeaders: new Set([...ALWAYS_SENSITIVE_HEADERS, ...verifier.sensitiveHeaders(verification).map((h) => h.toLowerCase())]),
    // The first key of a body credential too: a sender may repeat it in the query, which job meta keeps.
    sensitiveQuery: [...(verifier.sensitiveQuery?.(verification) ?? []), ...credentialBodyPaths.flatMap(firstKeyOf)],
    credentialBodyPaths,
    sensitiveBodyPaths: [...credentialBodyPaths, ...debugRedact],
  };
}
