/**
 * API keys: `hpk_` + 43 url-safe characters (32 random bytes). Only the sha256 of
 * the key is stored; a key is shown once, in the reply that created it.
 * Lookups are cached briefly so that authenticating is not a store read per call.
 *
 * HOOKPORT_ADMIN_KEY is one managed key, not a key added per value: when it
 * changes, the key the previous value made (and the key generated at the very
 * first start, which it stands in for) is revoked.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock';
import { randomId } from '../ids';
import { MASK } from '../security/redact';
import type { ApiKeyDoc, ApiKeySource, Role, Store } from '../store/store';

export const KEY_PREFIX = 'hpk_';
const CACHE_MS = 10_000;
export const ENV_KEY_NAME = 'HOOKPORT_ADMIN_KEY';
const BOOTSTRAP_KEY_NAME = 'bootstrap admin';

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function generateKey(): string {
  return KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/**
 * How a key is shown in lists. A generated key starts with the fixed `hpk_`
 * and random characters, so its first 8 characters tell keys apart and reveal
 * nothing chosen; the start of a key an operator chose may be a pattern of
 * theirs, so only its last 4 characters are shown.
 */
export function keyHint(key: string, source: ApiKeySource): string {
  return source === 'environment' ? `${MASK}${key.slice(-4)}` : key.slice(0, 8);
}

/** Keys stored before `source` existed are recognised by the names bootstrap gave them. */
export function sourceOf(doc: ApiKeyDoc): ApiKeySource {
  if (doc.source) return doc.source;
  if (doc.name === ENV_KEY_NAME) return 'environment';
  if (doc.name === BOOTSTRAP_KEY_NAME) return 'bootstrap';
  return 'generated';
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  source: ApiKeySource;
  createdAt: string;
}

export function viewApiKey(doc: ApiKeyDoc): ApiKeyView {
  const source = sourceOf(doc);
  // Older records of chosen keys kept their first 8 characters: show none of them.
  const keyPrefix = doc.keyPrefix.startsWith(KEY_PREFIX) || doc.keyPrefix.startsWith(MASK) ? doc.keyPrefix : MASK;
  return { id: doc.id, name: doc.name, role: doc.role, keyPrefix, source, createdAt: doc.createdAt };
}

export interface BootstrapResult {
  /** A key generated because none existed and none was configured: print it once. */
  generated: string | null;
  /** Keys revoked because HOOKPORT_ADMIN_KEY replaced them (to be logged). */
  revoked: ApiKeyDoc[];
}

export class ApiKeyService {
  private readonly cache = new Map<string, { doc: ApiKeyDoc | null; until: number }>();

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Creates a key; `key` is given only for HOOKPORT_ADMIN_KEY (source `environment`). */
  async create(name: string, role: Role, options: { key?: string; source?: ApiKeySource } = {}): Promise<{ doc: ApiKeyDoc; key: string }> {
    const source = options.source ?? 'generated';
    const key = options.key ?? generateKey();
    const now = new Date(this.clock.now()).toISOString();
    const doc: ApiKeyDoc = {
      id: randomId(),
      name,
      role,
      keyHash: hashKey(key),
      keyPrefix: keyHint(key, source),
      source,
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

  /** Every key, oldest first. */
  async all(): Promise<ApiKeyDoc[]> {
    const keys: ApiKeyDoc[] = [];
    let after: string | undefined;
    do {
      const listPage = await this.store.apiKeys.list({ limit: 100, after });
      keys.push(...listPage.items);
      after = listPage.nextCursor ?? undefined;
    } while (after);
    return keys;
  }

  /**
   * At every start. With HOOKPORT_ADMIN_KEY: that value is the one managed
   * admin key; keys made from an earlier value, and the key generated at first
   * start, are revoked. Without it and with no key stored, one is generated and
   * returned so the caller can print it once.
   */
  async bootstrap(configuredKey: string | null): Promise<BootstrapResult> {
    if (configuredKey) {
      const configuredHash = hashKey(configuredKey);
      if (!(await this.store.apiKeys.findByHash(configuredHash))) {
        await this.create(ENV_KEY_NAME, 'admin', { key: configuredKey, source: 'environment' });
      }
      const revoked: ApiKeyDoc[] = [];
      for (const doc of await this.all()) {
        const source = sourceOf(doc);
        if (doc.keyHash === configuredHash || (source !== 'environment' && source !== 'bootstrap')) continue;
        if (await this.revoke(doc.id)) revoked.push(doc);
      }
      return { generated: null, revoked };
    }
    if ((await this.store.apiKeys.count()) > 0) return { generated: null, revoked: [] };
    const { key } = await this.create(BOOTSTRAP_KEY_NAME, 'admin', { source: 'bootstrap' });
    return { generated: key, revoked: [] };
  }
}
