/**
 * Secret lists inside a listener's `verification` settings: sealed for the store,
 * masked for the API, and matched back when a client sends a masked value in an
 * update (meaning "keep this one"). Which fields hold secrets is the plugin's
 * `secretFields`.
 */
import type { FieldError } from '../errors';
import { isMasked, maskSecret, type SecretBox } from '../secrets/secret-box';
import { getVerifier } from '../../plugins/verifiers';
import type { Secret } from '../../plugins/verifiers/types';

type Verification = Record<string, unknown> & { type: string };

function secretFields(verification: Verification): readonly string[] {
  try {
    return getVerifier(verification.type).secretFields;
  } catch {
    return [];
  }
}

function mapSecrets(verification: Verification, map: (secret: Secret) => unknown): Verification {
  const copy: Verification = { ...verification };
  for (const field of secretFields(verification)) {
    const list = copy[field];
    if (Array.isArray(list)) copy[field] = (list as Secret[]).map(map);
  }
  return copy;
}

export function sealVerification(verification: Verification, box: SecretBox): Verification {
  return mapSecrets(verification, (secret) => ({ ...secret, value: box.encrypt(secret.value) }));
}

export function unsealVerification(verification: Verification, box: SecretBox): Verification {
  return mapSecrets(verification, (secret) => ({ ...secret, value: box.decrypt(secret.value) }));
}

/** `"****abcd"`, or `{ value: "****abcd", expiresAt }` when the secret expires. */
export function maskVerification(verification: Verification): Verification {
  return mapSecrets(verification, (secret) =>
    secret.expiresAt ? { value: maskSecret(secret.value), expiresAt: secret.expiresAt } : maskSecret(secret.value),
  );
}

/** Every secret value of the settings, for tests and for redaction. */
export function secretValues(verification: Verification): string[] {
  const values: string[] = [];
  mapSecrets(verification, (secret) => values.push(secret.value));
  return values;
}

/**
 * Replaces masked values in `incoming` (raw API input) by the stored secret they
 * stand for. A masked value that matches no stored secret is an error.
 */
export function restoreMaskedSecrets(incoming: Record<string, unknown>, previous: Verification | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof incoming.type !== 'string') return errors;
  for (const field of secretFields(incoming as Verification)) {
    const list = incoming[field];
    if (!Array.isArray(list)) continue;
    const stored = (previous && previous.type === incoming.type ? (previous[field] as Secret[] | undefined) : undefined) ?? [];
    incoming[field] = list.map((entry: unknown, index: number) => {
      const value = typeof entry === 'string' ? entry : (entry as { value?: unknown })?.value;
      if (!isMasked(value)) return entry;
      const original = stored.find((secret) => maskSecret(secret.value) === value);
      if (!original) {
        errors.push({ path: `/verification/${field}/${index}`, message: 'is a masked value that matches no stored secret' });
        return entry;
      }
      return typeof entry === 'string' ? original.value : { ...(entry as object), value: original.value };
    });
  }
  return errors;
}
