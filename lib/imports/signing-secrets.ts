/**
 * An import's signing secrets as the admin API takes them: checked, generated
 * when none is given (returned once, in that reply), and matched back when a
 * client sends a masked value it read (meaning "keep this stored secret"), the
 * way private header values and listener secrets work.
 */
import type { FieldError } from '../errors';
import { isMasked, maskSecret } from '../secrets/secret-box';
import { generateSigningSecret, signingSecretProblem, type SigningInput, type SigningSecret, type SigningSettings } from './signing';

/** Validated settings plus the secrets generated for them (to show once). */
export interface SigningSecrets<T> {
  settings: T;
  generated: string[];
}

export function normalizeSigning(
  input: SigningInput,
  previous: SigningSettings | null,
): SigningSecrets<SigningSettings | null> & { errors: FieldError[] } {
  if (!input) return { settings: null, generated: [], errors: [] };
  const errors: FieldError[] = [];
  const generated: string[] = [];
  const given = input.secrets ?? [];
  const secrets: SigningSecret[] = given.map((entry, index) => {
    const secret: SigningSecret = typeof entry === 'string' ? { value: entry } : { ...entry };
    const path = `/signing/secrets/${index}`;
    if (isMasked(secret.value)) {
      const stored = previous?.secrets.find((s) => maskSecret(s.value) === secret.value);
      if (stored) secret.value = stored.value;
      else errors.push({ path, message: 'is a masked value that matches no stored secret' });
      return secret;
    }
    const problem = signingSecretProblem(secret.value);
    if (problem) errors.push({ path, message: problem });
    return secret;
  });
  if (given.length === 0) {
    const value = generateSigningSecret();
    generated.push(value);
    secrets.push({ value });
  }
  return { settings: { scheme: input.scheme, secrets }, generated, errors };
}
