/**
 * Header lists whose entries may be private (`{ name, value, private }`), as
 * imports and connections carry them: private values are sealed before the
 * store, shown as `****last4`, and a masked value sent back in an update stands
 * for the stored one. One module so imports and connections cannot drift apart.
 */
import type { FieldError } from '../errors';
import { isMasked, maskSecret, type SecretBox } from './secret-box';

export interface PrivateHeader {
  name: string;
  value: string;
  private: boolean;
}

export function sealHeaders<T extends PrivateHeader>(headers: readonly T[], box: SecretBox): T[] {
  return headers.map((h) => (h.private ? { ...h, value: box.encrypt(h.value) } : h));
}

export function unsealHeaders<T extends PrivateHeader>(headers: readonly T[], box: SecretBox): T[] {
  return headers.map((h) => (h.private ? { ...h, value: box.decrypt(h.value) } : h));
}

export function maskHeaders<T extends PrivateHeader>(headers: readonly T[]): T[] {
  return headers.map((h) => (h.private ? { ...h, value: maskSecret(h.value) } : h));
}

/**
 * Puts the stored value back where an update sent a private header's mask
 * (in place). Returns a field error for a mask that matches no stored private
 * header, and for a mask on a header turned public (that would hand the secret
 * back in the reply).
 */
export function restoreMaskedHeaders(headers: PrivateHeader[], previous: readonly PrivateHeader[] | undefined, field = '/headers'): FieldError[] {
  const errors: FieldError[] = [];
  headers.forEach((header, index) => {
    if (!isMasked(header.value)) return;
    if (!header.private) {
      errors.push({ path: `${field}/${index}/value`, message: 'is a masked value; send the real value to make a private header public' });
      return;
    }
    const stored = previous?.find((h) => h.private && h.name.toLowerCase() === header.name.toLowerCase());
    if (stored && maskSecret(stored.value) === header.value) header.value = stored.value;
    else errors.push({ path: `${field}/${index}/value`, message: 'is a masked value that matches no stored header' });
  });
  return errors;
}
