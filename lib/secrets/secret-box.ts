/**
 * Secrets at rest (SPEC §1): AES-256-GCM under HOOKPORT_SECRET_KEY, or a key
 * generated once into DATA_DIR/secret.key (mode 0600). The store only ever sees
 * ciphertext: `enc:v1:<iv>:<tag>:<ciphertext>`, each part base64url.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

/**
 * The configured key, or the one in DATA_DIR/secret.key, generated on first use.
 * The file is written with `wx` so two processes starting at once cannot both write it.
 */
export function loadSecretKey(configuredKey: string | null, dataDir: string): Buffer {
  if (configuredKey) return Buffer.from(configuredKey, 'base64');
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a base64 32-byte key`);
  return key;
}

/** `****` and the last four characters: how the API shows a stored secret. */
export function maskSecret(value: string): string {
  return `****${value.length > 8 ? value.slice(-4) : ''}`;
}

export function isMasked(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('****');
}
