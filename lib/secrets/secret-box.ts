/**
 * Secrets at rest (SPEC §1): AES-256-GCM under HOOKPORT_SECRET_KEY, or a key
 * generated once into DATA_DIR/secret.key (mode 0600). The store only ever sees
 * ciphertext: `enc:v1:<iv>:<tag>:<ciphertext>`, each part base64url.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';
import { MASK } from '../security/redact';

const PREFIX = 'enc:v1:';
const KEY_FILE = 'secret.key';

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.key = key;
  }

  encrypt(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${iv.toString('base64url')}:${tag.toString('base64url')}:${ciphertext.toString('base64url')}`;
  }

  /** Throws when the value was not made by this key (tampered, or another key). */
  decrypt(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('not an encrypted secret');
    const [iv, tag, ciphertext] = sealed.slice(PREFIX.length).split(':');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv!, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext!, 'base64url')), decipher.final()]).toString('utf8');
  }

  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }
}

/** One sealed value found in the store, and where, to check a key against it. */
export interface SealedSample {
  value: string;
  /** e.g. `listener 3f…`: named in the refusal. */
  where: string;
}

/**
 * The configured key, or the one in DATA_DIR/secret.key, generated on first use.
 * The file is written with `wx` so two processes starting at once cannot both write it.
 *
 * With `sealed` (a secret the store already holds), a key is never generated: a
 * new key could not open what is stored, so a missing file is refused, and so is
 * a key that does not open `sealed`. Both throw ConfigError naming the file.
 */
export function loadSecretKey(configuredKey: string | null, dataDir: string, sealed: SealedSample | null = null): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  let key: Buffer;
  let source: string;
  if (configuredKey) {
    key = Buffer.from(configuredKey, 'base64');
    source = 'HOOKPORT_SECRET_KEY';
  } else {
    source = file;
    fs.mkdirSync(dataDir, { recursive: true });
    if (!fs.existsSync(file)) {
      if (sealed) {
        throw new ConfigError(
          `${file} is missing, but the store holds secrets sealed with a key (${sealed.where}). ` +
            `Put back the secret.key that belongs to this data (from your backup), or set HOOKPORT_SECRET_KEY to it. ` +
            `hookport does not create a new key: it could not open those secrets.`,
        );
      }
      try {
        fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new ConfigError(`${file} does not hold a base64 32-byte key`);
  }
  if (sealed) {
    try {
      new SecretBox(key).decrypt(sealed.value);
    } catch {
      throw new ConfigError(
        `the secret key from ${source} does not open the secrets stored in this data (${sealed.where}). ` +
          `Use the secret.key (or HOOKPORT_SECRET_KEY) that was in use when they were stored, e.g. the one backed up with this data.`,
      );
    }
  }
  return key;
}

/** The first sealed string inside `value` (any depth), or null. */
export function findSealed(value: unknown): string | null {
  if (SecretBox.isSealed(value)) return value;
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) {
      const found = findSealed(inner);
      if (found) return found;
    }
  }
  return null;
}

/** `****` and the last four characters: how the API shows a stored secret. */
export function maskSecret(value: string): string {
  return `${MASK}${value.length > 8 ? value.slice(-4) : ''}`;
}

export function isMasked(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(MASK);
}
