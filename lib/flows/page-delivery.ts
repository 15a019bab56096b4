/**
 * One page through a flow's imports, in order (SPEC §11). In page mode the page
 * is one request; in record mode each record is its own request, sent in order.
 * What an import refuses goes no further: a failed page stops at that import, a
 * failed record is left out of the imports after it. Nothing here writes to the
 * store: the caller records failures and moves the cursor.
 */
import type { ImportResponseDoc } from '../store/store';
import { idempotencyKey, ImportRequestError, prepareRequest, type ImportTemplateContext, type PreparedRequest } from '../imports/http-import';
import type { ImportRuntime } from '../imports/import-runtime';
import type { SendOutcome, SendUnit } from './send-with-retry';

/** The header on every request of a replayed page. */
export const REPLAY_HEADER = 'Hookport-Replay';

export interface PageWork {
  flowId: string;
  /** The flow's imports, in order. */
  imports: readonly string[];
  /** Where to start (a resent error starts at the import that failed). */
  fromImport: number;
  job: ImportTemplateContext['job'];
  listener: ImportTemplateContext['listener'];
  pageIndex: number;
  /** The records to send (may be parsed only when read) and, for each, its index in the stored page. */
  readonly records: unknown[];
  recordIndexes: number[];
  traceKeys: string[];
  dataUris?: string[] | undefined;
  /** The stored page text, sent as is by a page-mode import without a template while no record was dropped. */
  recordsJson?: string | undefined;
  /** A fixed idempotency key for every request (the flow test); derived per page/record otherwise. */
  fixedKey?: string;
  /** What is being sent: `page` (default), `error:<id>` or `replay:<id>` (see SendUnit). */
  source?: string;
  /** A replay: every request carries `Hookport-Replay: true`. */
  replay?: boolean;
}

/** One request's result as afterFlow templates and the flow test show it. */
export interface RequestResult {
  recordIndex: number | null;
  ok: boolean;
  response: ImportResponseDoc | null;
  error?: string;
}

export interface ImportResult {
  importId: string;
  name: string;
  importIndex: number;
  requests: RequestResult[];
}

export interface PageFailure {
  importId: string;
  importIndex: number;
  /** Indexes in the stored page. */
  recordIndexes: number[];
  records: unknown[];
  traceKeys: string[];
  dataUris?: string[] | undefined;
  kind: string;
  message: string;
  response: ImportResponseDoc | null;
  attempts: number;
  idempotencyKey: string | null;
}

export interface PageOutcome {
  results: ImportResult[];
  failures: PageFailure[];
}

export interface PageDeliveryDeps {
  runtime(importId: string): Promise<ImportRuntime | undefined>;
  send(runtime: ImportRuntime, request: PreparedRequest, unit: SendUnit): Promise<SendOutcome>;
  /** Throws to stop between requests (shutdown, a paused flow). */
  checkpoint(): void;
}

/** Positions (into `work.records`) still going through the imports. */
type Alive = number[];

export async function deliverPage(work: PageWork, deps: PageDeliveryDeps): Promise<PageOutcome> {
  const outcome: PageOutcome = { results: [], failures: [] };
  let alive: Alive = work.recordIndexes.map((_, position) => position);
  for (let importIndex = work.fromImport; importIndex < work.imports.length && alive.length > 0; importIndex++) {
    deps.checkpoint();
    const importId = work.imports[importIndex]!;
    const runtime = await deps.runtime(importId);
    if (!runtime) {
      outcome.failures.push(failure(work, alive, { importId, importIndex, kind: 'config', message: `import ${importId} no longer exists`, response: null, attempts: 0, idempotencyKey: null }));
      break;
    }
    const result: ImportResult = { importId, name: runtime.state.settings.name, importIndex, requests: [] };
    outcome.results.push(result);
    const units = runtime.state.settings.mode === 'record' ? alive.map((position) => [position]) : [alive];
    const failed = new Set<number>();
    for (const unit of units) {
      deps.checkpoint();
      const single = runtime.state.settings.mode === 'record';
      const recordIndex = single ? work.recordIndexes[unit[0]!]! : undefined;
      const key = work.fixedKey ?? idempotencyKey(work.flowId, importId, work.job.id, work.pageIndex, recordIndex);
      const sent = await sendUnit(work, runtime, { positions: unit, importIndex, recordIndex: recordIndex ?? null }, key, deps);
      result.requests.push({
        recordIndex: recordIndex ?? null, ok: sent.ok, response: sent.response, ...(sent.ok ? {} : { error: sent.message }),
      });
      if (!sent.ok) {
        unit.forEach((position) => failed.add(position));
        outcome.failures.push(failure(work, unit, { importId, importIndex, kind: sent.kind, message: sent.message, response: sent.response, attempts: sent.attempts, idempotencyKey: sent.key }));
      }
    }
    alive = alive.filter((position) => !failed.has(position));
  }
  return outcome;
}

interface UnitOutcome {
  ok: boolean;
  kind: string;
  message: string;
  response: ImportResponseDoc | null;
  attempts: number;
  key: string | null;
}

interface Unit {
  positions: Alive;
  importIndex: number;
  /** Record mode: the record's index in the stored page. */
  recordIndex: number | null;
}

async function sendUnit(work: PageWork, runtime: ImportRuntime, target: Unit, key: string, deps: PageDeliveryDeps): Promise<UnitOutcome> {
  const unit = target.positions;
  const single = target.recordIndex !== null;
  const count = work.recordIndexes.length;
  // Read by templates and record mode only: a page-mode import without a template sends `whole`.
  let records: unknown[] | undefined;
  const context: ImportTemplateContext = {
    get records() {
      return (records ??= unit.map((position) => work.records[position]));
    },
    page: { index: work.pageIndex, count, traceKeys: work.traceKeys, dataUris: work.dataUris },
    job: work.job,
    listener: work.listener,
    ...(single ? { record: work.records[unit[0]!], recordIndex: work.recordIndexes[unit[0]!]! } : {}),
  };
  const whole = unit.length === count ? work.recordsJson : undefined;
  let request: PreparedRequest;
  try {
    request = prepareRequest(runtime, context, whole, key);
  } catch (error) {
    if (!(error instanceof ImportRequestError)) throw error;
    // Name the record whose values broke the request (e.g. an id that would move the URL).
    const named = single ? `record ${work.traceKeys[unit[0]!]}: ${error.message}` : error.message;
    return { ok: false, kind: 'template', message: named, response: null, attempts: 0, key: null };
  }
  if (work.replay) request.headers[REPLAY_HEADER] = 'true';
  const { result, attempts } = await deps.send(runtime, request, {
    jobId: work.job.id, pageIndex: work.pageIndex, importIndex: target.importIndex, recordIndex: target.recordIndex,
    source: work.source ?? 'page', replay: work.replay ?? false,
  });
  if (result.ok) return { ok: true, kind: '', message: '', response: result.response, attempts, key: request.idempotencyKey };
  return { ok: false, kind: result.kind, message: result.message, response: result.response, attempts, key: request.idempotencyKey };
}

function failure(work: PageWork, positions: Alive, details: Omit<PageFailure, 'recordIndexes' | 'records' | 'traceKeys' | 'dataUris'>): PageFailure {
  return {
    ...details,
    recordIndexes: positions.map((p) => work.recordIndexes[p]!),
    records: positions.map((p) => work.records[p]),
    traceKeys: positions.map((p) => work.traceKeys[p]!),
    ...(work.dataUris ? { dataUris: positions.map((p) => work.dataUris![p]!) } : {}),
  };
}
