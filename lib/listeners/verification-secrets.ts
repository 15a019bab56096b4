/**
 * Secrets inside a listener's `verification` settings: sealed for the store,
 * masked for the API, and matched back when a client sends a masked value in an
 * update (meaning "keep this one"). Which fields hold secret lists is the
 * plugin's `secretFields`; which hold a single secret string, its `secretStrings`.
 */
import type { FieldError } from '../errors';
import { isMasked, maskSecret, SecretBox } from '../secrets/secret-box';
import { getVerifier } from '../../plugins/verifiers';
import type { Secret } from '../verification/plugin';

type Verification = Record<string, unknown> & { type: string };

interface SecretFields {
  lists: readonly string[];
  strings: readonly string[];
}

function secretFields(verification: Verification): SecretFields {
  try {
    const plugin = getVerifier(verification.type);
    return { lists: plugin.secretFields, strings: plugin.secretStrings ?? [] };
  } catch {
    return { lists: [], strings: [] };
  }
}

interface SecretMapping {
  list(secret: Secret): unknown;
  string(value: string): string;
}

function mapSecrets(verification: Verification, map: SecretMapping): Verification {
  const copy: Verification = { ...verification };
  const fields = secretFields(verification);
  for (const field of fields.lists) {
    const list = copy[field];
    if (Array.isArray(list)) copy[field] = (list as Secret[]).map((secret) => map.list(secret));
  }
  for (const field of fields.strings) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = map.string(value);
  }
  return copy;
}

export function sealVerification(verification: Verification, box: SecretBox): Verification {
  return mapSecrets(verification, {
    list: (secret) => ({ ...secret, value: box.encrypt(secret.value) }),
    string: (value) => box.encrypt(value),
  });
}

export function unsealVerification(verification: Verification, box: SecretBox): Verification {
  return mapSecrets(verification, {
    list: (secret) => ({ ...secret, value: box.decrypt(secret.value) }),
    // Listeners saved before Meta's verify token was sealed hold it in clear; it is sealed on their next save.
    string: (value) => (SecretBox.isSealed(value) ? box.decrypt(value) : value),
  });
}

/** `"****abcd"`, or `{ value: "****abcd", expiresAt }` when the secret expires. */
export function maskVerification(verification: Verification): Verification {
  return mapSecrets(verification, {
    list: (secret) => (secret.expiresAt ? { value: maskSecret(secret.value), expiresAt: secret.expiresAt } : maskSecret(secret.value)),
    string: (value) => maskSecret(value),
  });
}

/** A list entry's value: the string itself, or the `value` of `{ value, expiresAt }`. */
function entryValue(entry: unknown): unknown {
  return typeof entry === 'string' ? entry : (entry as { value?: unknown } | null)?.value;
}

/**
 * One secret list with its masked entries replaced by the stored secrets they
 * stand for. Several stored secrets can show the same mask (every secret of 8
 * characters or fewer shows `****`), so a mask stands for the stored secrets
 * showing it that the list does not name in full, matched in order: the n-th
 * such mask in the list is the n-th of them, as the API listed them. When the
 * list holds a mask more or fewer times than there are such secrets, which ones
 * it means cannot be told, and each of those entries is an error.
 */
function restoreList(list: readonly unknown[], stored: readonly Secret[], path: string, errors: FieldError[]): unknown[] {
  const values = list.map(entryValue);
  const sentInFull = new Set(values.filter((value): value is string => typeof value === 'string' && !isMasked(value)));
  const candidates = new Map<string, Secret[]>();
  for (const secret of stored) {
    if (sentInFull.has(secret.value)) continue;
    const mask = maskSecret(secret.value);
    candidates.set(mask, [...(candidates.get(mask) ?? []), secret]);
  }
  const sent = new Map<string, number>();
  for (const value of values) if (isMasked(value)) sent.set(value, (sent.get(value) ?? 0) + 1);
  const used = new Map<string, number>();
  return list.map((entry, index) => {
    const value = values[index];
    if (!isMasked(value)) return entry;
    const matching = candidates.get(value) ?? [];
    const times = sent.get(value)!;
    if (matching.length === 0) {
      errors.push({ path: `${path}/${index}`, message: 'is a masked value that matches no stored secret' });
      return entry;
    }
    if (matching.length !== times) {
      errors.push({
        path: `${path}/${index}`,
        message: `is a masked value that ${matching.length} stored secrets show, sent ${times} time(s): send it once for each of them, in the order the API shows them, or send the secrets to keep in full`,
      });
      return entry;
    }
    const position = used.get(value) ?? 0;
    used.set(value, position + 1);
    const original = matching[position]!;
    return typeof entry === 'string' ? original.value : { ...(entry as object), value: original.value };
  });
}

/**
 * Replaces masked values in `incoming` (raw API input) by the stored secret they
 * stand for (see `restoreList` for secrets that share a mask). A masked value
 * that matches no stored secret, or cannot be told apart, is an error.
 */
export function restoreMaskedSecrets(incoming: Record<string, unknown>, previous: Verification | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof incoming.type !== 'string') return errors;
  const fields = secretFields(incoming as Verification);
  const same = previous && previous.type === incoming.type ? previous : undefined;
  for (const field of fields.lists) {
    const list = incoming[field];
    if (!Array.isArray(list)) continue;
    const stored = (same?.[field] as Secret[] | undefined) ?? [];
    incoming[field] = restoreList(list, stored, `/verification/${field}`, errors);
  }
  for (const field of fields.strings) {
    const value = incoming[field];
    if (!isMasked(value)) continue;
    const stored = same?.[field];
    if (typeof stored === 'string' && maskSecret(stored) === value) incoming[field] = stored;
    else errors.push({ path: `/verification/${field}`, message: 'is a masked value that does not match the stored secret' });
  }
  return errors;
}

/** Where a secret's `expiresAt` is already past at `now` (ms), as `/verification/keys/1` with the time. */
export function expiredSecrets(verification: Verification, now: number): Array<{ path: string; expiresAt: string }> {
  const expired: Array<{ path: string; expiresAt: string }> = [];
  for (const field of secretFields(verification).lists) {
    const list = verification[field];
    if (!Array.isArray(list)) continue;
    (list as Secret[]).forEach((secret, index) => {
      if (secret.expiresAt && Date.parse(secret.expiresAt) <= now) expired.push({ path: `/verification/${field}/${index}`, expiresAt: secret.expiresAt });
    });
  }
  return expired;
}
