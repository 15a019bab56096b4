/**
 * One request of a page through one import, tried again under the import's
 * retry policy: the rate limit is taken before every try, the lease checked,
 * and backoffs sleep on the injected scheduler.
 */
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';
import { sendRequest, type AttemptResult, type PreparedRequest } from '../imports/http-import';
import type { ImportRuntime } from '../imports/import-runtime';
import type { DeliveryEvents } from './delivery-events';
import { retryDelay } from './retry-policy';

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
}

export interface SendOutcome {
  result: AttemptResult;
  attempts: number;
}

export async function sendWithRetry(runtime: ImportRuntime, request: PreparedRequest, context: SendContext): Promise<SendOutcome> {
  const { clock, scheduler } = context;
  const startedAt = clock.now();
  for (let attempts = 1; ; attempts++) {
    if (context.beforeAttempt) await context.beforeAttempt(runtime);
    if (context.retries && runtime.pacer) await runtime.pacer.take(context.sleepSignal);
    const result = await sendRequest(runtime, request, { scheduler, now: () => clock.now(), signal: context.requestSignal });
    if (!context.retries) return { result, attempts };
    if (result.ok) {
      context.events.delivered(runtime.id, context.flowId, result.response.status);
      return { result, attempts };
    }
    if (!result.retryable) return { result, attempts };
    const delay = retryDelay({
      retry: attempts, startedAt, now: clock.now(), retryAfterMs: result.retryAfterMs, settings: runtime.state.settings.retry,
      random: context.random,
    });
    if (delay === null) return { result, attempts };
    context.events.retrying(runtime.id, context.flowId, result.response?.status ?? null);
    await scheduler.sleep(delay, { signal: context.sleepSignal, reason: 'backoff' });
  }
}
