/**
 * `POST /flows/{id}/test` (SPEC §10): runs the flow's imports once on the
 * listener's `mockOutput`, or else on its sample split into records the way
 * ingestion would, and returns each import's answer. One page (the first
 * `records.pageSize` records), one try per request, no rate limit, no retry; no
 * job, cursor or error is written. Requests carry a fresh idempotency key.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { AppError, isAppError } from '../errors';
import type { Scheduler } from '../scheduler';
import type { ImportResponseDoc, Store } from '../store/store';
import type { ListenerRegistry } from '../ingest/listener-registry';
import { previewRecords } from '../ingest/build-job';
import { paginate } from '../ingest/records';
import { compileImport } from '../imports/import-runtime';
import type { ImportService } from '../imports/import-service';
import { DeliveryEvents } from './delivery-events';
import type { FlowService } from './flow-service';
import { deliverPage } from './page-delivery';
import { sendWithRetry } from './send-with-retry';
import type { Logger } from '../logger';

export interface FlowTestImport {
  id: string;
  name: string | null;
  /** `skipped`: an earlier import failed, so nothing reached this one. */
  status: 'ok' | 'failed' | 'skipped';
  requests: Array<{ record: number | null; ok: boolean; response: ImportResponseDoc | null; error?: string }>;
}

export interface FlowTestResult {
  source: 'mockOutput' | 'sample';
  recordCount: number;
  imports: FlowTestImport[];
}

export interface FlowTestDeps {
  store: Store;
  flows: FlowService;
  imports: ImportService;
  registry: ListenerRegistry;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
}

export async function testFlow(deps: FlowTestDeps, flowId: string): Promise<FlowTestResult> {
  const flow = await deps.flows.getDoc(flowId);
  const listener = await deps.registry.find(flow.listenerId);
  if (!listener || listener.deleted) throw new AppError('ERR_UNPROCESSABLE', `the flow's listener ${flow.listenerId} no longer exists`);
  const { source, records } = await testRecords(deps, listener);
  const { pages } = paginate(records, { pageSize: listener.settings.records.pageSize, maxPageBytes: listener.settings.records.maxPageBytes });
  const page = pages[0];
  if (!page) throw new AppError('ERR_UNPROCESSABLE', `the ${source} has no record small enough for a page`);
  const events = new DeliveryEvents(deps.logger);
  const outcome = await deliverPage(
    {
      flowId: flow.id, imports: flow.imports, fromImport: 0,
      job: { id: 'test', seq: 0, requestId: randomUUID(), receivedAt: new Date(deps.clock.now()).toISOString(), recordCount: records.length, meta: { test: true } },
      listener: { id: listener.id, name: listener.settings.name }, pageIndex: 0, records: page.records,
      recordIndexes: page.records.map((_, i) => i), traceKeys: page.traceKeys, recordsJson: page.json, fixedKey: `test-${randomUUID()}`,
    },
    {
      runtime: async (id) => {
        const resolved = await deps.imports.resolve(id).catch((error: unknown) => {
          if (isAppError(error) && error.code === 'ERR_NOT_FOUND') return undefined;
          throw error;
        });
        return resolved ? compileImport(resolved, undefined) : undefined;
      },
      send: (runtime, request) =>
        sendWithRetry(runtime, request, { clock: deps.clock, scheduler: deps.scheduler, random: Math.random, events, flowId: flow.id, retries: false }),
      checkpoint: () => undefined,
    },
  );
  const imports: FlowTestImport[] = flow.imports.map((id, index) => {
    const result = outcome.results.find((r) => r.importIndex === index);
    const missing = outcome.failures.find((f) => f.importIndex === index && f.kind === 'config');
    if (!result) return { id, name: null, status: missing ? 'failed' : 'skipped', requests: [] };
    return {
      id, name: result.name,
      status: result.requests.every((r) => r.ok) ? 'ok' : 'failed',
      requests: result.requests.map((r) => ({ record: r.recordIndex, ok: r.ok, response: r.response, ...(r.error ? { error: r.error } : {}) })),
    };
  });
  return { source, recordCount: page.records.length, imports };
}

async function testRecords(deps: FlowTestDeps, listener: NonNullable<Awaited<ReturnType<ListenerRegistry['find']>>>): Promise<{ source: 'mockOutput' | 'sample'; records: unknown[] }> {
  const mock = listener.settings.mockOutput;
  if (Array.isArray(mock) && mock.length > 0) return { source: 'mockOutput', records: mock };
  const sample = await deps.store.getSample(listener.id);
  if (!sample) throw new AppError('ERR_UNPROCESSABLE', 'the listener has neither mockOutput nor a sample: set mockOutput, or send it a webhook first');
  try {
    const { records, mappingErrors } = previewRecords(listener, sample);
    if (records.length === 0 && mappingErrors.length > 0) {
      throw new AppError('ERR_UNPROCESSABLE', `records.output fails for every record of the sample: ${mappingErrors[0]!.message}`);
    }
    if (records.length === 0) throw new AppError('ERR_UNPROCESSABLE', 'the sample holds no records');
    return { source: 'sample', records };
  } catch (error) {
    if (isAppError(error) && error.code === 'ERR_NO_RECORDS') throw new AppError('ERR_UNPROCESSABLE', `the sample: ${error.detail}`);
    throw error;
  }
}
