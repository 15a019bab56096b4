/**
 * API keys: `hpk_` + 43 url-safe characters (32 random bytes). Only the sha256 of
 * the key is stored; a key is shown once, in the reply that created it.
 * Lookups are cached briefly so that authenticating is not a store read per call.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock';
import { randomId } from '../ids';
import type { ApiKeyDoc, Role, Store } from '../store/store';

export const KEY_PREFIX = 'hpk_';
const CACHE_MS = 10_000;

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function generateKey(): string {
  return KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  createdAt: string;
}

export function viewApiKey(doc: ApiKeyDoc): ApiKeyView {
  return { id: doc.id, name: doc.name, role: doc.role, keyPrefix: doc.keyPrefix, createdAt: doc.createdAt };
}

export class ApiKeyService {
  private readonly cache = new Map<string, { doc: ApiKeyDoc | null; until: number }>();

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Creates a key; `key` may be given (bootstrap from HOOKPORT_ADMIN_KEY). */
  async create(name: string, role: Role, key = generateKey()): Promise<{ doc: ApiKeyDoc; key: string }> {
    const now = new Date(this.clock.now()).toISOString();
    const doc: ApiKeyDoc = {
      id: randomId(),
      name,
      role,
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 8),
      createdAt: now,
      updatedAt: now,
    };
    await this.store.apiKeys.insert(doc);
    this.cache.delete(doc.keyHash);
    return { doc, key };
  }

  /** The key's record, or null when unknown or revoked. */
  async authenticate(key: string): Promise<ApiKeyDoc | null> {
    const keyHash = hashKey(key);
    const now = this.clock.now();
    const cached = this.cache.get(keyHash);
    if (cached && cached.until > now) return cached.doc;
    const doc = await this.store.apiKeys.findByHash(keyHash);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(keyHash, { doc, until: now + CACHE_MS });
    return doc;
  }

  async revoke(id: string): Promise<boolean> {
    const doc = await this.store.apiKeys.get(id);
    if (!doc) return false;
    const deleted = await this.store.apiKeys.delete(id);
    this.cache.delete(doc.keyHash);
    return deleted;
  }

  /**
   * First start: HOOKPORT_ADMIN_KEY becomes an admin key if it is not one yet;
   * with none configured and no key stored, one is generated and returned so the
   * caller can print it once.
   */
  async bootstrap(configuredKey: string | null): Promise<{ generated: string | null }> {
    if (configuredKey) {
      const existing = await this.store.apiKeys.findByHash(hashKey(configuredKey));
      if (!existing) await this.create('HOOKPORT_ADMIN_KEY', 'admin', configuredKey);
      return { generated: null };
    }
    if ((await this.store.apiKeys.count()) > 0) return { generated: null };
    const { key } = await this.create('bootstrap admin', 'admin');
    return { generated: key };
  }
}
