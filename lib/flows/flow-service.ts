/**
 * Flow use cases for the admin API. A flow must name a live listener and existing
 * imports (422 otherwise); its listener cannot change, because its queue position
 * belongs to that listener's job sequence.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { randomId } from '../ids';
import { compileValidator, invalid } from '../schema';
import type { FlowAlert, FlowDoc, ListOptions, ListPage, RetryWait, Store } from '../store/store';
import { mergePatch } from '../listeners/normalize';
import { replaceChecked } from '../store/replace-checked';
import { FlowSettingsSchema, type FlowSettings } from './flow-schema';
import { normalizeRetry, patchRetry, type RetrySettings } from '../imports/retry-schedule';
import { checkTemplate } from '../templates';
import { deliveryOf } from './ordering-key';

const validateFlow = compileValidator(FlowSettingsSchema);

/** One error alert per flow per 5 minutes unless the flow says otherwise. */
const DEFAULT_ALERT_INTERVAL_SECONDS = 300;

export interface FlowObserver {
  flowChanged(flow: FlowDoc | { id: string; deleted: true }): void;
}

/** What a flow is waiting for, as the API shows it (SPEC §11). */
export interface FlowWaiting {
  /** Age of the oldest job the flow has not passed, in whole seconds; null when none waits. */
  oldestWaitingSeconds: number | null;
  /** The request waiting for its next attempt, if any: where, how many tries so far, when the next is due, and the last failure. */
  retryWait: RetryWait | null;
  /** Replays queued for the flow. */
  replaysQueued: number;
}

export type FlowView = FlowDoc & { queueDepth: number } & FlowWaiting;

/** How long the flow's oldest job has waited, its stored retry wait and its queued replays. */
export async function flowWaiting(store: Store, flowId: string, now: number): Promise<FlowWaiting> {
  const [oldest, retryWait, replaysQueued] = await Promise.all([
    store.schedule.oldestWaiting(flowId), store.schedule.getRetryWait(flowId), store.schedule.countReplays(flowId),
  ]);
  return { oldestWaitingSeconds: oldest === null ? null : Math.max(0, Math.floor((now - Date.parse(oldest)) / 1000)), retryWait, replaysQueued };
}

export class FlowService {
  private readonly subscribers: FlowObserver[] = [];

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  subscribe(subscriber: FlowObserver): void {
    this.subscribers.push(subscriber);
  }

  private async view(doc: FlowDoc): Promise<FlowView> {
    return { ...doc, delivery: deliveryOf(doc), queueDepth: await this.store.queueDepth(doc.id), ...(await flowWaiting(this.store, doc.id, this.clock.now())) };
  }

  private async checkReferences(settings: Pick<FlowSettings, 'listenerId' | 'imports'> & { alert: FlowAlert | null }): Promise<void> {
    const errors: Array<{ path: string; message: string }> = [];
    const listener = await this.store.listeners.get(settings.listenerId);
    if (!listener || listener.deletedAt) errors.push({ path: '/listenerId', message: `no listener ${settings.listenerId}` });
    for (const [index, importId] of settings.imports.entries()) {
      if (!(await this.store.imports.get(importId))) errors.push({ path: `/imports/${index}`, message: `no import ${importId}` });
    }
    if (settings.alert && !(await this.store.imports.get(settings.alert.importId))) {
      errors.push({ path: '/alert/importId', message: `no import ${settings.alert.importId}` });
    }
    if (errors.length) {
      throw new AppError('ERR_UNPROCESSABLE', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { extensions: { errors } });
    }
  }

  private normalize(input: unknown): Omit<FlowSettings, 'alert' | 'retry'> & { alert: FlowAlert | null; retry: RetrySettings | null } {
    const result = validateFlow(structuredClone(input));
    if (!result.ok) throw invalid(result.errors);
    const { alert } = result.value;
    const retry = result.value.retry ? normalizeRetry(result.value.retry) : null;
    if (retry?.errors.length) throw invalid(retry.errors);
    const keyErrors = result.value.delivery.orderingKey === null ? [] : checkTemplate(result.value.delivery.orderingKey, '/delivery/orderingKey');
    if (keyErrors.length) throw invalid(keyErrors);
    return {
      ...result.value,
      alert: alert ? { ...alert, minIntervalSeconds: alert.minIntervalSeconds ?? DEFAULT_ALERT_INTERVAL_SECONDS } : null,
      retry: retry?.settings ?? null,
    };
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

  async list(options: ListOptions): Promise<ListPage<FlowView>> {
    const listPage = await this.store.flows.list(options);
    return { items: await Promise.all(listPage.items.map((doc) => this.view(doc))), nextCursor: listPage.nextCursor };
  }

  async update(id: string, patch: Record<string, unknown>): Promise<FlowView> {
    const current = await this.getDoc(id);
    const { id: _id, createdAt, updatedAt, ...settings } = current;
    const merged = mergePatch(settings, patch) as Record<string, unknown>;
    if (patch.retry !== undefined) merged.retry = patchRetry(current.retry, patch.retry);
    const next = this.normalize(merged);
    if (next.listenerId !== current.listenerId) {
      throw invalid([{ path: '/listenerId', message: 'cannot change; create a new flow for another listener' }]);
    }
    if (JSON.stringify(next.imports) !== JSON.stringify(current.imports) || next.alert?.importId !== current.alert?.importId) await this.checkReferences(next);
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
