/**
 * Listener use cases for the admin API: create, read, update, delete, with
 * secrets sealed before the store and masked on the way out. Every change is
 * pushed to the in-memory registry the ingest path reads from.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { randomId } from '../ids';
import { maskSecret, type SecretBox } from '../secrets/secret-box';
import type { ListenerDoc, ListOptions, ListPage, Store } from '../store/store';
import { mergePatch, normalizeListener, patchListenerSettings } from './normalize';
import { replaceChecked } from '../store/replace-checked';
import type { ListenerSettings } from './settings-schema';
import { expiredSecrets, maskVerification, sealVerification, unsealVerification } from './verification-secrets';
import type { Secret } from '../verification/plugin';
import { activeSecrets, isActive } from '../verification/secrets';
import { getVerifier } from '../../plugins/verifiers';
import { attachDefaults, type Attachment } from '../attach/attach-schema';
import type { AttachedListener, AttachService } from '../attach/attach-service';

/** A listener as the rest of the program uses it: settings in clear text. */
export interface ListenerState {
  id: string;
  settings: ListenerSettings;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  debugUntil: string | null;
  /** An attached webhook's state with its partner, or null. */
  attachment: Attachment | null;
}

/** Told about every change so the ingest path never reads the store per request. */
export interface ListenerObserver {
  listenerChanged(state: ListenerState): void;
}

export type ListenerView = Record<string, unknown> & { id: string; url: string };

/** Settings that work but that a reviewer would flag; shown with the listener, never refused. */
export function listenerWarnings(settings: ListenerSettings, now: number): string[] {
  const warnings: string[] = [];
  for (const { path, expiresAt } of expiredSecrets(settings.verification, now)) {
    warnings.push(`${path} expiresAt ${expiresAt} is already past: that secret no longer verifies; give it a later expiresAt (e.g. date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ) or remove it`);
  }
  const warning = getVerifier(settings.verification.type).warning;
  if (warning) warnings.push(warning);
  if (settings.response.mode === 'afterFlow' && !settings.dedup && !verifierDedupKey(settings.verification)) {
    warnings.push(
      'response.mode is "afterFlow" without dedup: the job is stored before a failed flow answers 500, so a partner that retries ' +
        'sends it again and every flow delivers it twice; set dedup.key to the partner\'s delivery id (see docs/flows.md)',
    );
  }
  return warnings;
}

/** The dedup key a verifier brings (presets name their provider's delivery id), if any. */
function verifierDedupKey(verification: ListenerSettings['verification']): string | undefined {
  try {
    return getVerifier(verification.type).defaultDedupKey?.(verification as never);
  } catch {
    return undefined;
  }
}

export class ListenerService {
  private readonly subscribers: ListenerObserver[] = [];

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    /** Public: test-request signs with the same clock the ingest path verifies with. */
    readonly clock: Clock,
    /** Public: the base of every listener URL, which URL-signing partners sign. */
    readonly publicUrl: string,
    /** Registers and unregisters attached webhooks (`attach`). */
    private readonly attacher?: AttachService,
  ) {}

  subscribe(subscriber: ListenerObserver): void {
    this.subscribers.push(subscriber);
  }

  private publish(state: ListenerState): void {
    for (const subscriber of this.subscribers) subscriber.listenerChanged(state);
  }

  /** Decrypts a stored listener. */
  toState(doc: ListenerDoc): ListenerState {
    const settings = { ...(doc.settings as ListenerSettings) };
    settings.verification = unsealVerification(settings.verification, this.box) as ListenerSettings['verification'];
    return {
      id: doc.id, settings, createdAt: doc.createdAt, updatedAt: doc.updatedAt, deletedAt: doc.deletedAt, debugUntil: doc.debugUntil,
      attachment: (doc.attachment as Attachment | null | undefined) ?? null,
    };
  }

  private toDoc(state: ListenerState): ListenerDoc {
    const settings = { ...state.settings, verification: sealVerification(state.settings.verification, this.box) };
    return {
      id: state.id, settings, createdAt: state.createdAt, updatedAt: state.updatedAt, deletedAt: state.deletedAt, debugUntil: state.debugUntil,
      attachment: state.attachment,
    };
  }

  /** The public URL partners post to; `reveal` shows the secret segment (only in the reply that created it). */
  urlOf(state: ListenerState, reveal = false): string {
    const base = `${this.publicUrl}/hooks/${state.id}`;
    const verification = state.settings.verification as Record<string, unknown> & { type: string };
    const verifier = getVerifier(verification.type);
    const secrets = verifier.secretInPath ? (verification[verifier.secretFields[0]!] as Secret[] | undefined) : undefined;
    if (!secrets?.length) return base;
    const now = this.clock.now();
    const secret = secrets.find((s) => isActive(s, now)) ?? secrets[0]!;
    return `${base}/${reveal ? secret.value : maskSecret(secret.value)}`;
  }

  view(state: ListenerState, generated: Secret[] = []): ListenerView {
    const { name, ...rest } = state.settings;
    const verification = maskVerification(state.settings.verification);
    const view: ListenerView = {
      id: state.id,
      name,
      url: this.urlOf(state, generated.length > 0),
      ...rest,
      verification,
      debugUntil: state.debugUntil,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
    };
    if (state.settings.attach) view.attachment = state.attachment;
    if (generated.length > 0) view.generatedSecrets = generated.map((secret) => secret.value);
    const warnings = listenerWarnings(state.settings, this.clock.now());
    if (warnings.length > 0) view.warnings = warnings;
    return view;
  }

  async create(input: unknown): Promise<ListenerView> {
    const { settings, generated } = normalizeListener(input);
    const now = new Date(this.clock.now()).toISOString();
    await this.checkAttachConnection(settings);
    let state: ListenerState = { id: randomId(), settings, createdAt: now, updatedAt: now, deletedAt: null, debugUntil: null, attachment: null };
    await this.store.listeners.insert(this.toDoc(state));
    this.publish(state);
    if (settings.attach) state = await this.register(state);
    return this.view(state, generated);
  }

  /** A live (not deleted) listener, or 404. */
  async getState(id: string): Promise<ListenerState> {
    const doc = await this.store.listeners.get(id);
    if (!doc || doc.deletedAt) throw new AppError('ERR_NOT_FOUND', `no listener ${id}`);
    return this.toState(doc);
  }

  async get(id: string): Promise<ListenerView> {
    return this.view(await this.getState(id));
  }

  async list(options: ListOptions): Promise<ListPage<ListenerView>> {
    const listPage = await this.store.listeners.list(options);
    return { items: listPage.items.map((doc) => this.view(this.toState(doc))), nextCursor: listPage.nextCursor };
  }

  async update(id: string, patch: Record<string, unknown>): Promise<ListenerView> {
    const current = await this.getState(id);
    const merged = patchListenerSettings(current.settings as unknown as Record<string, unknown>, patch);
    const { settings, generated } = normalizeListener(merged, current.settings.verification);
    await this.checkAttachConnection(settings);
    let state: ListenerState = { ...current, settings, updatedAt: new Date(this.clock.now()).toISOString() };
    await replaceChecked(this.store.listeners, this.toDoc(state), current.updatedAt, 'listener');
    this.publish(state);
    // An attach added (or fixed) by this change registers now; one already attached is left as it is.
    if (settings.attach && state.attachment?.status !== 'attached') state = await this.register(state);
    return this.view(state, generated);
  }

  /**
   * Keeps a secret the sender handed over in its handshake (Asana's X-Hook-Secret)
   * as the listener's only secret, but only while it has no active secret: trust
   * on first use. Returns false, changing nothing, when it already has one.
   * @throws AppError ERR_LISTENER_NOT_FOUND, or the store's conflict error when the listener changed meanwhile
   */
  async captureSecret(id: string, value: string): Promise<boolean> {
    const current = await this.getState(id);
    const verification = current.settings.verification as unknown as Record<string, unknown> & { type: string };
    const field = getVerifier(verification.type).secretFields[0];
    if (field === undefined) return false;
    const now = this.clock.now();
    if (((verification[field] as Secret[] | undefined) ?? []).some((secret) => isActive(secret, now))) return false;
    const input = { ...current.settings, verification: { ...verification, [field]: [value] } };
    const { settings } = normalizeListener(input, current.settings.verification);
    const state: ListenerState = { ...current, settings, updatedAt: new Date(now).toISOString() };
    await replaceChecked(this.store.listeners, this.toDoc(state), current.updatedAt, 'listener');
    this.publish(state);
    return true;
  }

  /**
   * Deleting an attached listener unregisters it first; when the partner
   * refuses, the listener is deleted all the same (its URL answers 410) and the
   * failure stays on its attachment (`detach-failed`), and in the server log.
   */
  async delete(id: string): Promise<void> {
    const current = await this.getState(id);
    if (current.settings.attach && this.attacher && current.attachment?.status === 'attached') {
      const attachment = await this.attacher.unregister(this.attachedListener(current), attachDefaults(current.settings.attach), current.attachment);
      await this.store.listeners.setAttachment(id, attachment);
    }
    const at = new Date(this.clock.now()).toISOString();
    await this.store.listeners.markDeleted(id, at);
    this.publish({ ...current, deletedAt: at, updatedAt: at });
  }

  /**
   * `POST /listeners/{id}/attach`: registers again unless attached already.
   * @throws AppError ERR_ATTACH_NOT_CONFIGURED without `attach`; ERR_ATTACH_FAILED (with the attachment) when the partner refuses.
   */
  async attach(id: string): Promise<ListenerView> {
    let state = await this.getState(id);
    if (!state.settings.attach) throw new AppError('ERR_ATTACH_NOT_CONFIGURED', 'this listener has no attach settings; PATCH some in first');
    if (state.attachment?.status !== 'attached') state = await this.register(state);
    if (state.attachment?.status !== 'attached') {
      throw new AppError('ERR_ATTACH_FAILED', state.attachment?.error?.message ?? 'the partner refused', { extensions: { attachment: state.attachment } });
    }
    return this.view(state);
  }

  private async register(state: ListenerState): Promise<ListenerState> {
    if (!this.attacher || !state.settings.attach) return state;
    const { attachment, secret } = await this.attacher.register(this.attachedListener(state), attachDefaults(state.settings.attach));
    await this.store.listeners.setAttachment(state.id, attachment);
    let next: ListenerState = { ...state, attachment };
    if (secret !== undefined) next = await this.adoptSecret(next, secret);
    this.publish(next);
    return next;
  }

  /** A secret the partner generated at registration (`attach.secretPath`) becomes the verifier's only secret. */
  private async adoptSecret(state: ListenerState, secret: string): Promise<ListenerState> {
    const field = getVerifier(state.settings.verification.type).secretFields[0];
    if (!field) return state;
    const merged = mergePatch(state.settings, { verification: { [field]: [secret] } });
    const { settings } = normalizeListener(merged, state.settings.verification);
    const next: ListenerState = { ...state, settings, updatedAt: new Date(this.clock.now()).toISOString() };
    await replaceChecked(this.store.listeners, this.toDoc(next), state.updatedAt, 'listener');
    return next;
  }

  private attachedListener(state: ListenerState): AttachedListener {
    const verification = state.settings.verification as Record<string, unknown> & { type: string };
    const field = getVerifier(verification.type).secretFields[0];
    const secrets = field ? ((verification[field] as Secret[] | undefined) ?? []) : [];
    return { id: state.id, name: state.settings.name, url: this.urlOf(state, true), secret: activeSecrets(secrets, this.clock.now())[0]?.value };
  }

  /** The connection an `attach` names must exist (422 otherwise). */
  private async checkAttachConnection(settings: ListenerSettings): Promise<void> {
    if (!settings.attach) return;
    if (!(await this.store.connections.get(settings.attach.connectionId))) {
      throw new AppError('ERR_UNPROCESSABLE', `no connection ${settings.attach.connectionId}`, {
        extensions: { errors: [{ path: '/attach/connectionId', message: 'names no connection' }] },
      });
    }
  }

  async setDebugUntil(id: string, until: string | null): Promise<ListenerState> {
    const current = await this.getState(id);
    await this.store.listeners.setDebugUntil(id, until);
    const state = { ...current, debugUntil: until };
    this.publish(state);
    return state;
  }
}
