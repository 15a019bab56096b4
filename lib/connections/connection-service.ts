/**
 * Connection use cases for the admin API. Private header values are sealed
 * before the store and shown as `****last4`; sending the masked value back keeps
 * the stored one. A connection some import uses cannot be deleted; a uid belongs
 * to one connection only.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { randomId } from '../ids';
import { compileValidator, invalid } from '../schema';
import type { SecretBox } from '../secrets/secret-box';
import { maskHeaders, restoreMaskedHeaders, sealHeaders, unsealHeaders } from '../secrets/private-headers';
import { checkHeaderList } from '../http/header-field';
import { DuplicateKeyError, type ConnectionDoc, type ListOptions, type ListPage, type Store } from '../store/store';
import { mergePatch } from '../listeners/normalize';
import { replaceChecked } from '../store/replace-checked';
import { ConnectionSettingsSchema, type ConnectionSettings } from './connection-schema';
import { convertMember, headersAsList } from '../validation/header-forms';

const validateConnection = compileValidator(ConnectionSettingsSchema);

export interface ConnectionState {
  id: string;
  settings: ConnectionSettings;
  createdAt: string;
  updatedAt: string;
}

/** Told about every change, so compiled imports and routing caches follow at once. */
export interface ConnectionObserver {
  connectionChanged(state: ConnectionState | { id: string; deleted: true }): void;
}

export class ConnectionService {
  private readonly observers: ConnectionObserver[] = [];

  constructor(private readonly store: Store, private readonly box: SecretBox, private readonly clock: Clock) {}

  subscribe(observer: ConnectionObserver): void {
    this.observers.push(observer);
  }

  private publish(state: ConnectionState | { id: string; deleted: true }): void {
    for (const observer of this.observers) observer.connectionChanged(state);
  }

  toState(doc: ConnectionDoc): ConnectionState {
    const settings = doc.settings as unknown as ConnectionSettings;
    return { id: doc.id, settings: { ...settings, headers: unsealHeaders(settings.headers, this.box) }, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
  }

  private toDoc(state: ConnectionState): ConnectionDoc {
    const settings = { ...state.settings, headers: sealHeaders(state.settings.headers, this.box) };
    return { id: state.id, settings, createdAt: state.createdAt, updatedAt: state.updatedAt };
  }

  view(state: ConnectionState): Record<string, unknown> {
    return { id: state.id, ...state.settings, headers: maskHeaders(state.settings.headers), createdAt: state.createdAt, updatedAt: state.updatedAt };
  }

  private normalize(input: unknown, previous?: ConnectionSettings): ConnectionSettings {
    const candidate = structuredClone(input);
    convertMember(candidate, 'headers', headersAsList);
    const result = validateConnection(candidate);
    if (!result.ok) throw invalid(result.errors);
    const settings = result.value;
    const errors = restoreMaskedHeaders(settings.headers, previous?.headers);
    errors.push(...checkHeaderList(settings.headers, '/headers'));
    if (errors.length) throw invalid(errors);
    return settings;
  }

  /** Turns the store's unique-uid refusal into the API's 409. */
  private async saving(settings: ConnectionSettings, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (error instanceof DuplicateKeyError) {
        throw new AppError('ERR_CONNECTION_UID_TAKEN', `another connection already has uid ${JSON.stringify(settings.uid)}`, {
          extensions: { errors: [{ path: '/uid', message: 'is used by another connection' }] },
        });
      }
      throw error;
    }
  }

  async create(input: unknown): Promise<Record<string, unknown>> {
    const settings = this.normalize(input);
    const now = new Date(this.clock.now()).toISOString();
    const state: ConnectionState = { id: randomId(), settings, createdAt: now, updatedAt: now };
    await this.saving(settings, () => this.store.connections.insert(this.toDoc(state)));
    this.publish(state);
    return this.view(state);
  }

  async getState(id: string): Promise<ConnectionState> {
    const doc = await this.store.connections.get(id);
    if (!doc) throw new AppError('ERR_NOT_FOUND', `no connection ${id}`);
    return this.toState(doc);
  }

  /** For shared listeners, per request: the id only, nothing unsealed. */
  async connectionIdForUid(uid: string): Promise<string | undefined> {
    return (await this.store.connections.byUid(uid))?.id;
  }

  /** The connection whose uid this is, or undefined (an indexed lookup). */
  async findByUid(uid: string): Promise<ConnectionState | undefined> {
    const doc = await this.store.connections.byUid(uid);
    return doc ? this.toState(doc) : undefined;
  }

  async get(id: string): Promise<Record<string, unknown>> {
    return this.view(await this.getState(id));
  }

  async list(options: ListOptions): Promise<ListPage<Record<string, unknown>>> {
    const listPage = await this.store.connections.list(options);
    return { items: listPage.items.map((doc) => this.view(this.toState(doc))), nextCursor: listPage.nextCursor };
  }

  async update(id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    const current = await this.getState(id);
    const settings = this.normalize(mergePatch(current.settings, patch), current.settings);
    const state: ConnectionState = { ...current, settings, updatedAt: new Date(this.clock.now()).toISOString() };
    await this.saving(settings, () => replaceChecked(this.store.connections, this.toDoc(state), current.updatedAt, 'connection'));
    this.publish(state);
    return this.view(state);
  }

  /** A connection an import still uses cannot be deleted (409 naming the imports). */
  async delete(id: string): Promise<void> {
    await this.getState(id);
    const users = await this.store.imports.byConnection(id);
    // Attached listeners call the partner through it (unregister on delete); an admin-time scan, not a hot path.
    const attached = (await this.store.listeners.all()).filter(
      (doc) => doc.deletedAt === null && (doc.settings as { attach?: { connectionId?: string } | null }).attach?.connectionId === id,
    );
    if (users.length > 0 || attached.length > 0) {
      const named = (doc: { id: string; settings: Record<string, unknown> }) => ({ id: doc.id, name: (doc.settings.name as string | undefined) ?? null });
      const imports = users.map(named);
      const listeners = attached.map(named);
      const who = [...imports.map((i) => `import ${i.id}`), ...listeners.map((l) => `listener ${l.id}`)].join(', ');
      throw new AppError('ERR_CONNECTION_IN_USE', `${who} use this connection; point them elsewhere first`, {
        extensions: { imports, ...(listeners.length > 0 ? { listeners } : {}) },
      });
    }
    await this.store.connections.delete(id);
    this.publish({ id, deleted: true });
  }
}
