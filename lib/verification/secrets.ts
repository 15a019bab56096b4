/**
 * Secret lists (SPEC §4): every secret field holds several secrets so they can
 * rotate without downtime. Stored and API forms are `string | { value, expiresAt? }`;
 * plugins only ever see the normalised `Secret` objects.
 */
import type { Secret } from './plugin';

/** `"abc"` becomes `{ value: "abc" }`; objects are copied with only the known fields. */
export function normalizeSecrets(input: ReadonlyArray<string | Secret>): Secret[] {
  return input.map((entry) => {
    if (typeof entry === 'string') return { value: entry };
    return entry.expiresAt === undefined ? { value: entry.value } : { value: entry.value, expiresAt: entry.expiresAt };
  });
}

/**
 * A secret is active until its `expiresAt` instant (exclusive). An unparseable
 * `expiresAt` counts as expired: failing closed beats verifying forever.
 */
export function isActive(secret: Secret, now: number): boolean {
  if (secret.expiresAt === undefined) return true;
  const expires = Date.parse(secret.expiresAt);
  return Number.isFinite(expires) && now < expires;
}

export function activeSecrets(secrets: readonly Secret[], now: number): Secret[] {
  return secrets.filter((secret) => isActive(secret, now));
}

/** The secret `sign` uses: the first active one. Throws when none is left (a configuration fault). */
export function firstActiveSecret(secrets: readonly Secret[], now: number): Secret {
  const [first] = activeSecrets(secrets, now);
  if (!first) throw new Error('No active secret to sign with: every configured secret has expired');
  return first;
}

export type SecretMatch = 'active' | 'expired' | 'none';

/**
 * Runs `matches` against every secret, active or not, without stopping at the
 * first hit, and says whether an active one matched, only an expired one did
 * (so the failure reason can say "secret expired"), or none did.
 */
export function matchSecrets(secrets: readonly Secret[], now: number, matches: (secret: Secret) => boolean): SecretMatch {
  let active = false;
  let expired = false;
  for (const secret of secrets) {
    const hit = matches(secret);
    if (isActive(secret, now)) active = hit || active;
    else expired = hit || expired;
  }
  if (active) return 'active';
  return expired ? 'expired' : 'none';
}

export const SECRET_EXPIRED = 'secret expired';
