/**
 * Import use cases for the admin API. Private header values are sealed before
 * the store and shown as `****last4`; sending the masked value back in an update
 * keeps the stored one.
 */
import type { Clock } from '../clock';
import { AppError, type FieldError } from '../errors';
import { randomId } from '../ids';
import { compileValidator, invalid } from '../schema';
import { isMasked, maskSecret, type SecretBox } from '../secrets/secret-box';
import { maskHeaders, restoreMaskedHeaders, sealHeaders, unsealHeaders } from '../secrets/private-headers';
import type { ImportDoc, ListOptions, ListPage, Store } from '../store/store';
import { checkTemplate } from '../templates';
import { checkUrlTemplate, urlOrigin } from './url-template';
import { checkHeaderList } from '../http/header-field';
import { mergePatch } from '../listeners/normalize';
import { replaceChecked } from '../store/replace-checked';
import { ImportSettingsSchema, type ImportSettings } from './import-schema';
import type { ConnectionService, ConnectionState } from '../connections/connection-service';
import { inheritedHeaders, joinUrl, mergeHeaders } from '../connections/apply-connection';
import { normalizeRetry, patchRetry, type RetrySettingsInput } from './retry-schedule';
import { normalizeSigning, type SigningSecrets } from './signing-secrets';
import { convertMember, headersAsList } from '../validation/header-forms';

const validateImport = compileValidator(ImportSettingsSchema);

export interface ImportState {
  id: string;
  settings: ImportSettings;
  createdAt: string;
  updatedAt: string;
}

/** An import as it is sent: the connection applied (url always set, inherited headers merged). */
export interface ResolvedImport {
  state: ImportState & { settings: ImportSettings & { url: string } };
  /** The connection it names, as read now. */
  connection: ConnectionState | undefined;
}

export interface ImportObserver {
  importChanged(state: ImportState | { id: string; deleted: true }): void;
}

export class ImportService {
  private readonly subscribers: ImportObserver[] = [];

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly connections: ConnectionService,
  ) {}

  subscribe(subscriber: ImportObserver): void {
    this.subscribers.push(subscriber);
  }

  /** Imports stored before retry policies and signing existed read with their defaults. */
  toState(doc: ImportDoc): ImportState {
    const stored = doc.settings as ImportSettings;
    const headers = unsealHeaders(stored.headers, this.box);
    const signing = stored.signing ? { ...stored.signing, secrets: stored.signing.secrets.map((s) => ({ ...s, value: this.box.decrypt(s.value) })) } : null;
    const retry = normalizeRetry(stored.retry as RetrySettingsInput).settings;
    return { id: doc.id, settings: { ...stored, headers, retry, signing }, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
  }

  private toDoc(state: ImportState): ImportDoc {
    const headers = sealHeaders(state.settings.headers, this.box);
    const { signing } = state.settings;
    const sealed = signing ? { ...signing, secrets: signing.secrets.map((s) => ({ ...s, value: this.box.encrypt(s.value) })) } : null;
    return { id: state.id, settings: { ...state.settings, headers, signing: sealed }, createdAt: state.createdAt, updatedAt: state.updatedAt };
  }

  /** Private values masked; `generated` signing secrets appear in clear once, in the reply that made them. */
  view(state: ImportState, generated: string[] = []): Record<string, unknown> {
    const headers = maskHeaders(state.settings.headers);
    const { signing } = state.settings;
    const masked = signing
      ? { ...signing, secrets: signing.secrets.map((s) => (s.expiresAt ? { value: maskSecret(s.value), expiresAt: s.expiresAt } : maskSecret(s.value))) }
      : null;
    const view: Record<string, unknown> = { id: state.id, ...state.settings, headers, signing: masked, createdAt: state.createdAt, updatedAt: state.updatedAt };
    if (generated.length > 0) view.generatedSecrets = generated;
    return view;
  }

  private normalize(input: unknown, previous?: ImportSettings): SigningSecrets<ImportSettings> {
    const candidate = structuredClone(input);
    convertMember(candidate, 'headers', headersAsList);
    const result = validateImport(candidate);
    if (!result.ok) throw invalid(result.errors);
    const retry = normalizeRetry(result.value.retry);
    const signing = normalizeSigning(result.value.signing, previous?.signing ?? null);
    const settings: ImportSettings = { ...result.value, retry: retry.settings, signing: signing.settings };
    const errors: FieldError[] = [...retry.errors, ...signing.errors];
    errors.push(...restoreMaskedHeaders(settings.headers, previous?.headers));
    if (settings.bodyTemplate) errors.push(...checkTemplate(settings.bodyTemplate, '/bodyTemplate'));
    if (settings.connectionId === null) {
      if (settings.url === undefined) errors.push({ path: '/url', message: 'is required (or name a connectionId and give a path)' });
      else errors.push(...checkUrlTemplate(settings.url, '/url'));
      if (settings.path !== null) errors.push({ path: '/path', message: 'is relative to a connection: name a connectionId, or give a full url instead' });
    } else {
      if (settings.url !== undefined) errors.push({ path: '/url', message: 'leave it out when the import names a connectionId; give a path relative to the connection’s baseUrl' });
      // The path is checked as it will be sent: appended to a base URL (see joinUrl).
      if (settings.path !== null) errors.push(...checkUrlTemplate(joinUrl('https://connection.invalid', settings.path), '/path'));
    }
    errors.push(...checkHeaderList(settings.headers, '/headers'));
    if (errors.length) throw invalid(errors);
    return { settings, generated: signing.generated };
  }

  /** The named connection must exist (422 otherwise). */
  private async checkConnection(settings: ImportSettings): Promise<void> {
    if (settings.connectionId === null) return;
    const found = await this.store.connections.get(settings.connectionId);
    if (!found) {
      throw new AppError('ERR_UNPROCESSABLE', `no connection ${settings.connectionId}`, {
        extensions: { errors: [{ path: '/connectionId', message: 'names no connection' }] },
      });
    }
  }

  /**
   * The import as delivery sends it, with its connection applied.
   * @throws AppError ERR_NOT_FOUND when the import (or its connection) is gone.
   */
  async resolve(id: string): Promise<ResolvedImport> {
    const state = await this.getState(id);
    const { settings } = state;
    if (settings.connectionId === null) return { state: { ...state, settings: { ...settings, url: settings.url ?? '' } }, connection: undefined };
    const connection = await this.connections.getState(settings.connectionId);
    const url = joinUrl(connection.settings.baseUrl, settings.path);
    const headers = mergeHeaders(inheritedHeaders(connection.settings), settings.headers);
    return { state: { ...state, settings: { ...settings, url, headers } }, connection };
  }

  async create(input: unknown): Promise<Record<string, unknown>> {
    const { settings, generated } = this.normalize(input);
    await this.checkConnection(settings);
    const now = new Date(this.clock.now()).toISOString();
    const state: ImportState = { id: randomId(), settings, createdAt: now, updatedAt: now };
    await this.store.imports.insert(this.toDoc(state));
    this.subscribers.forEach((s) => s.importChanged(state));
    return this.view(state, generated);
  }

  async getState(id: string): Promise<ImportState> {
    const doc = await this.store.imports.get(id);
    if (!doc) throw new AppError('ERR_NOT_FOUND', `no import ${id}`);
    return this.toState(doc);
  }

  async get(id: string): Promise<Record<string, unknown>> {
    return this.view(await this.getState(id));
  }

  async list(options: ListOptions): Promise<ListPage<Record<string, unknown>>> {
    const listPage = await this.store.imports.list(options);
    return { items: listPage.items.map((doc) => this.view(this.toState(doc))), nextCursor: listPage.nextCursor };
  }

  async update(id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    const current = await this.getState(id);
    const merged = mergePatch(current.settings, patch) as Record<string, unknown>;
    if (patch.retry !== undefined) merged.retry = patchRetry(current.settings.retry, patch.retry) ?? {};
    const dropped = dropPrivateOnNewOrigin(current.settings, merged, patch);
    const { settings, generated } = this.normalize(merged, current.settings);
    await this.checkConnection(settings);
    const state: ImportState = { ...current, settings, updatedAt: new Date(this.clock.now()).toISOString() };
    await replaceChecked(this.store.imports, this.toDoc(state), current.updatedAt, 'import');
    this.subscribers.forEach((s) => s.importChanged(state));
    const view = this.view(state, generated);
    if (dropped.length > 0) {
      view.droppedPrivateHeaders = dropped;
      view.warnings = [
        `the url now sends to another origin, so the private header${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} ` +
          'were dropped: send their values again in the same request to keep them',
      ];
    }
    return view;
  }

  /** An import that a flow still uses cannot be deleted (409 naming the flows). */
  async delete(id: string): Promise<void> {
    await this.getState(id);
    const users = await this.store.flows.byImport(id);
    if (users.length > 0) {
      throw new AppError('ERR_CONFLICT', `flows ${users.map((f) => f.id).join(', ')} use this import; remove it from them first`);
    }
    await this.store.imports.delete(id);
    this.subscribers.forEach((s) => s.importChanged({ id, deleted: true }));
  }
}

/**
 * #11 finding 5b: an import whose URL moves to another origin (scheme, host or
 * port) keeps no private header value that this same request did not send again
 * in clear, as browsers drop credentials on a cross-origin redirect. Otherwise
 * whoever may edit an import could point it at their own server and read an
 * admin-set credential through a flow test. Removes those headers from `merged`
 * and returns their names.
 */
function dropPrivateOnNewOrigin(previous: ImportSettings, merged: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  if (originOf(merged) === originOf(previous as unknown as Record<string, unknown>)) return [];
  if (!Array.isArray(merged.headers)) return [];
  const resent = Array.isArray(patch.headers);
  const dropped: string[] = [];
  merged.headers = (merged.headers as Array<{ name?: unknown; value?: unknown; private?: unknown }>).filter((header) => {
    const stale = header?.private === true && (!resent || (typeof header.value === 'string' && isMasked(header.value)));
    if (stale) dropped.push(String(header.name));
    return !stale;
  });
  return dropped;
}

/** Where an import sends: its URL's origin, or its connection (whose base URL is the connection's business). */
function originOf(settings: Record<string, unknown>): string | undefined {
  if (typeof settings.connectionId === 'string') return `connection:${settings.connectionId}`;
  return typeof settings.url === 'string' ? urlOrigin(settings.url) : undefined;
}
