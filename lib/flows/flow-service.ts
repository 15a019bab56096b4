/**
 * Flow use cases for the admin API. A flow must name a live listener and existing
 * imports (422 otherwise); its listener cannot change, because its queue position
 * belongs to that listener's job sequence.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { randomId } from '../ids';
import { compileValidator, invalid } from '../schema';
import type { FlowDoc, ListOptions, Page, Store } from '../store/store';
import { mergePatch } from '../listeners/normalize';
import { replaceChecked } from '../store/replace-checked';
import { FlowSettingsSchema, type FlowSettings } from './flow-schema';

const validateFlow = compileValidator(FlowSettingsSchema);

export interface FlowChangeListener {
  flowChanged(flow: FlowDoc | { id: string; deleted: true }): void;
}

export type FlowView = FlowDoc & { queueDepth: number };

export class FlowService {
  private readonly subscribers: FlowChangeListener[] = [];

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  subscribe(subscriber: FlowChangeListener): void {
    this.subscribers.push(subscriber);
  }

  private async view(doc: FlowDoc): Promise<FlowView> {
    return { ...doc, queueDepth: await this.store.queueDepth(doc.id) };
  }

  private async checkReferences(settings: FlowSettings): Promise<void> {
    const errors: Array<{ path: string; message: string }> = [];
    const listener = await this.store.listeners.get(settings.listenerId);
    if (!listener || listener.deletedAt) errors.push({ path: '/listenerId', message: `no listener ${settings.listenerId}` });
    for (const [index, importId] of settings.imports.entries()) {
      if (!(await this.store.imports.get(importId))) errors.push({ path: `/imports/${index}`, message: `no import ${importId}` });
    }
    if (errors.length) {
      throw new AppError('ERR_UNPROCESSABLE', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { extensions: { errors } });
    }
  }

  private normalize(input: unknown): FlowSettings {
    const result = validateFlow(structuredClone(input));
    if (!result.ok) throw invalid(result.errors);
    return result.value;
  }

  async create(input: unknown): Promise<FlowView> {
    const settings = this.normalize(input);
    await this.checkReferences(settings);
    const now = new Date(this.clock.now()).toISOString();
    const doc: FlowDoc = { id: randomId(), ...settings, createdAt: now, updatedAt: now };
    await this.store.flows.insert(doc);
    this.subscribers.forEach((s) => s.flowChanged(doc));
    return this.view(doc);
  }

  async getDoc(id: string): Promise<FlowDoc> {
    const doc = await this.store.flows.get(id);
    if (!doc) throw new AppError('ERR_NOT_FOUND', `no flow ${id}`);
    return doc;
  }

  async get(id: string): Promise<FlowView> {
    return this.view(await this.getDoc(id));
  }

  async list(options: ListOptions): Promise<Page<FlowView>> {
    const page = await this.store.flows.list(options);
    return { items: await Promise.all(page.items.map((doc) => this.view(doc))), nextCursor: page.nextCursor };
  }

  async update(id: string, patch: Record<string, unknown>): Promise<FlowView> {
    const current = await this.getDoc(id);
    const { id: _id, createdAt, updatedAt, ...settings } = current;
    const next = this.normalize(mergePatch(settings, patch));
    if (next.listenerId !== current.listenerId) {
      throw invalid([{ path: '/listenerId', message: 'cannot change; create a new flow for another listener' }]);
    }
    if (JSON.stringify(next.imports) !== JSON.stringify(current.imports)) await this.checkReferences(next);
    const doc: FlowDoc = { ...current, ...next, updatedAt: new Date(this.clock.now()).toISOString() };
    await replaceChecked(this.store.flows, doc, updatedAt, 'flow');
    this.subscribers.forEach((s) => s.flowChanged(doc));
    return this.view(doc);
  }

  async delete(id: string): Promise<void> {
    await this.getDoc(id);
    await this.store.flows.delete(id);
    this.subscribers.forEach((s) => s.flowChanged({ id, deleted: true }));
  }
}
