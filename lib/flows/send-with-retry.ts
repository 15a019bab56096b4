/**
 * One request of a page through one import, tried again under the import's
 * retry policy (lib/flows/retry-policy.ts): the rate limit is taken before
 * every try, the lease checked, each try signed anew when the import signs,
 * and backoffs sleep on the injected scheduler.
 *
 * Before each backoff the next attempt time is stored (RetryWaits), so a
 * restart resumes the schedule at that time with the attempts already made;
 * it is cleared when the request is delivered or given up. Each failed try is
 * reported as an event (the log line and the counters subscribe to it).
 */
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';
import { sendRequest, type AttemptResult, type PreparedRequest } from '../imports/http-import';
import type { ImportRuntime } from '../imports/import-runtime';
import { standardWebhooksHeaders } from '../imports/signing';
import type { RetrySettings } from '../imports/retry-schedule';
import type { DeliveryEvents } from './delivery-events';
import { retryDelay } from './retry-policy';
import { unitKey, type RetryWaits } from './retry-waits';

/** Where a request belongs, for its stored wait and its failure log line. */
export interface SendUnit {
  jobId: string;
  pageIndex: number;
  importIndex: number;
  recordIndex: number | null;
  /** `page`, `error:<id>` (a resubmitted error) or `replay:<id>`. */
  source: string;
  replay: boolean;
}

export interface SendContext {
  clock: Clock;
  scheduler: Scheduler;
  random: () => number;
  events: DeliveryEvents;
  flowId: string;
  /** Ends waits (backoff, rate limit) early: the promise rejects with its reason. */
  sleepSignal?: AbortSignal | undefined;
  /** Aborts a request in flight. */
  requestSignal?: AbortSignal | undefined;
  /** Runs before every try; throws to give the page up (the flow's lease was lost). */
  beforeAttempt?: (runtime: ImportRuntime) => Promise<void>;
  /** False for the flow test: one try, no rate limit, no events. */
  retries: boolean;
  unit?: SendUnit;
  waits?: RetryWaits;
  /** The flow's retry policy, when it sets one for all its imports; the import's own otherwise. */
  retry?: RetrySettings | undefined;
}

export interface SendOutcome {
  result: AttemptResult;
  attempts: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The request as this try sends it: Standard Webhooks headers signed at `now` when the import signs. */
function signed(runtime: ImportRuntime, request: PreparedRequest, now: number): PreparedRequest {
  const { signing } = runtime.state.settings;
  if (!signing || request.key === null) return request;
  return { ...request, headers: { ...request.headers, ...standardWebhooksHeaders(signing, request.key, request.body, now) } };
}

export async function sendWithRetry(runtime: ImportRuntime, request: PreparedRequest, context: SendContext): Promise<SendOutcome> {
  const { clock, scheduler, unit, waits } = context;
  const key = unit ? unitKey(unit.source, request.key) : '';
  const resumed = context.retries && unit && waits ? await waits.take(key) : null;
  const startedAt = resumed ? Date.parse(resumed.firstAttemptAt) : clock.now();
  let stored = resumed !== null;
  if (resumed) await scheduler.sleep(Date.parse(resumed.nextAttemptAt) - clock.now(), { signal: context.sleepSignal, reason: 'backoff' });
  const finish = async (outcome: SendOutcome): Promise<SendOutcome> => {
    if (stored) await waits!.clear();
    return outcome;
  };
  for (let attempts = (resumed?.attempts ?? 0) + 1; ; attempts++) {
    if (context.beforeAttempt) await context.beforeAttempt(runtime);
    if (context.retries && runtime.pacer) await runtime.pacer.take(context.sleepSignal);
    const result = await sendRequest(runtime, signed(runtime, request, clock.now()), { scheduler, now: () => clock.now(), signal: context.requestSignal });
    if (!context.retries) return { result, attempts };
    if (result.ok) {
      context.events.delivered(runtime.id, context.flowId, result.response.status);
      return finish({ result, attempts });
    }
    const now = clock.now();
    const delay = result.retryable
      ? retryDelay({ retry: attempts, startedAt, now, retryAfterMs: result.retryAfterMs, settings: context.retry ?? runtime.state.settings.retry, random: context.random })
      : null;
    const status = result.response?.status ?? null;
    const nextAttemptAt = delay === null ? null : iso(now + delay);
    if (unit) {
      context.events.attemptFailed({
        flowId: context.flowId, importId: runtime.id, jobId: unit.jobId, pageIndex: unit.pageIndex, recordIndex: unit.recordIndex,
        attempt: attempts, kind: result.kind, status, message: result.message, nextAttemptAt, replay: unit.replay,
      });
    }
    if (delay === null || nextAttemptAt === null) return finish({ result, attempts });
    context.events.retrying(runtime.id, context.flowId, status);
    if (unit && waits) {
      await waits.save({
        unit: key, jobId: unit.jobId, pageIndex: unit.pageIndex, importId: runtime.id, importIndex: unit.importIndex, recordIndex: unit.recordIndex,
        attempts, firstAttemptAt: iso(startedAt), nextAttemptAt, lastError: { kind: result.kind, status, message: result.message },
      });
      stored = true;
    }
    await scheduler.sleep(delay, { signal: context.sleepSignal, reason: 'backoff' });
  }
}
