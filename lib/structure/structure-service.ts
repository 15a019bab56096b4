/**
 * Samples and structure (SPEC §10): set a sample by hand, derive a JSON Schema
 * from the sample, and optionally store it as the listener's
 * `validation.schema` (enabling validation stays a separate, explicit change).
 */
import { maskSensitiveHeaders } from '../security/redact';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { isPlainObject } from '../schema';
import type { ListenerRegistry } from '../ingest/listener-registry';
import type { ListenerService } from '../listeners/listener-service';
import type { Sample, Store } from '../store/store';
import { inferSchema, type JsonSchema } from './infer-schema';
import { sampleView } from './sample-view';

export interface SampleInput {
  body: unknown;
  headers?: Record<string, string | string[]>;
  contentType?: string | null;
}

export interface StructureResult {
  schema: JsonSchema;
  /** The schema of one record as flows receive it (records.output applied), when the sample holds records. */
  recordSchema?: JsonSchema;
  /** True when the schema was stored as the listener's validation.schema. */
  applied: boolean;
  /** Whether the listener validates requests (it does not change here). */
  validationEnabled: boolean;
}

export class StructureService {
  constructor(
    private readonly listeners: ListenerService,
    private readonly registry: ListenerRegistry,
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async derive(listenerId: string, apply: boolean): Promise<StructureResult> {
    const state = await this.listeners.getState(listenerId);
    const sample = await this.store.getSample(listenerId);
    if (!sample) throw new AppError('ERR_CONFLICT', 'this listener has no sample yet: send it a webhook, or PUT one to .../sample');
    const schema = inferSchema(sample.body);
    if (apply) {
      const current = state.settings.validation.schema;
      await this.listeners.update(listenerId, { validation: { schema: replacementPatch(current, schema) } });
    }
    const listener = await this.registry.find(listenerId);
    const records = listener ? (sampleView(listener, sample).records as unknown[] | undefined) : undefined;
    const recordSchema = records && records.length > 0 ? (inferSchema(records).items as JsonSchema | undefined) : undefined;
    return { schema, ...(recordSchema ? { recordSchema } : {}), applied: apply, validationEnabled: state.settings.validation.enabled };
  }

  /** A hand-made sample; its credential and signature headers are masked like a captured one's. */
  async putSample(listenerId: string, input: SampleInput): Promise<Record<string, unknown>> {
    await this.listeners.getState(listenerId);
    const headers = maskSensitiveHeaders(input.headers ?? {}, this.registry.peek(listenerId)?.sensitiveHeaders);
    const sample: Sample = {
      body: input.body,
      headers,
      receivedAt: new Date(this.clock.now()).toISOString(),
      contentType: input.contentType === undefined ? 'application/json' : input.contentType,
    };
    await this.store.saveSample(listenerId, sample);
    return sampleView(await this.registry.find(listenerId), sample);
  }
}

/**
 * The JSON merge patch (RFC 7396) that turns `current` into exactly `next`:
 * listener updates are merge patches, and merging a new schema into an old one
 * would keep the old one's properties. Keys only `current` has are set to null
 * (removed). `next` must hold no null values (inferred schemas hold none).
 */
export function replacementPatch(current: unknown, next: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(next)) return next;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(current)) if (!(key in next)) patch[key] = null;
  for (const [key, value] of Object.entries(next)) patch[key] = replacementPatch(current[key], value);
  return patch;
}
