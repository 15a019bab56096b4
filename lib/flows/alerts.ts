/**
 * Error alerts (SPEC §11, visible failures): a flow with `alert: { importId,
 * minIntervalSeconds }` announces each new delivery error through that import —
 * any import, typically a chat webhook whose `bodyTemplate` shapes the message,
 * e.g. `{"text": {{json records.[0].text}} }` for Slack.
 *
 * The import receives one record, the alert (see AlertMessage). At most one
 * alert per flow goes out per `minIntervalSeconds`; errors in between are
 * counted and the next alert says how many were left out. The limit is kept in
 * memory: a restart may send one alert early. An alert is sent once, with no
 * retry and off the flow's path: a chat service that is down never holds up
 * delivery, it only fails the alert (logged and counted).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { Store } from '../store/store';
import { ImportRequestError, prepareRequest, type ImportTemplateContext } from '../imports/http-import';
import type { ImportRuntimes } from '../imports/import-runtime';
import type { DeliveryEvents, DeliveryObserver, OpenedError } from './delivery-events';
import { sendWithRetry } from './send-with-retry';

/** The one record an alert import receives. No body, header or URL of the failed delivery is in it. */
export interface AlertMessage {
  /** One line for people: what failed where, and how often since the last alert. */
  text: string;
  flowId: string;
  flowName: string;
  importId: string | null;
  importName: string | null;
  errorId: string;
  jobId: string;
  pageIndex: number | null;
  kind: string;
  status: number | null;
  attempts: number;
  /** True when a resubmitted error failed again. */
  reopened: boolean;
  at: string;
  /** Errors of this flow since the last alert that were not announced (rate limit). */
  suppressed: number;
}

export interface AlertDeps {
  store: Store;
  runtimes: ImportRuntimes;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  events: DeliveryEvents;
}

export class AlertSender implements DeliveryObserver {
  private readonly state = new Map<string, { lastSentAt: number; suppressed: number }>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: AlertDeps) {}

  errorOpened(error: OpenedError): void {
    const sending = this.announce(error).catch((cause) => {
      this.deps.logger.warn({ err: cause, event: 'delivery.alert_failed', flowId: error.flowId }, 'could not send an error alert');
      this.deps.events.alerted(error.flowId, 'failed');
    });
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  /** Resolves when the alerts being sent are done (shutdown, tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async announce(error: OpenedError): Promise<void> {
    const { store, runtimes, clock, events, logger } = this.deps;
    const flow = await store.flows.get(error.flowId);
    if (!flow?.alert) return;
    const now = clock.now();
    const state = this.state.get(flow.id) ?? { lastSentAt: -Infinity, suppressed: 0 };
    this.state.set(flow.id, state);
    if (now - state.lastSentAt < flow.alert.minIntervalSeconds * 1000) {
      state.suppressed++;
      events.alerted(flow.id, 'suppressed');
      return;
    }
    const runtime = await runtimes.get(flow.alert.importId);
    const failedImport = error.importId ? await runtimes.get(error.importId) : undefined;
    const message = alertMessage(error, flow.name, failedImport?.state.settings.name ?? null, state.suppressed);
    state.lastSentAt = now;
    state.suppressed = 0;
    if (!runtime) throw new Error(`the alert import ${flow.alert.importId} no longer exists`);
    const context: ImportTemplateContext = {
      records: [message],
      page: { index: 0, count: 1, traceKeys: [error.errorId] },
      job: { id: error.jobId, seq: 0, requestId: '', receivedAt: error.at, recordCount: 1, meta: {} },
      listener: { id: flow.listenerId, name: '' },
    };
    const key = createHash('sha256').update(`alert|${error.errorId}|${error.at}`).digest('hex').slice(0, 32);
    let request;
    try {
      request = prepareRequest(runtime, context, undefined, key);
    } catch (cause) {
      if (cause instanceof ImportRequestError) throw new Error(`the alert import's template failed: ${cause.message}`);
      throw cause;
    }
    const { result } = await sendWithRetry(runtime, request, { clock, scheduler: this.deps.scheduler, random: Math.random, events, flowId: flow.id, retries: false });
    if (result.ok) {
      events.alerted(flow.id, 'sent');
      return;
    }
    logger.warn(
      { event: 'delivery.alert_failed', flowId: flow.id, importId: runtime.id, kind: result.kind, status: result.response?.status ?? null },
      'an error alert was not accepted',
    );
    events.alerted(flow.id, 'failed');
  }
}

function alertMessage(error: OpenedError, flowName: string, importName: string | null, suppressed: number): AlertMessage {
  const where = importName ? `to "${importName}"` : '(before any import)';
  const what = error.status === null ? error.kind : `${error.kind} ${error.status}`;
  const more = suppressed > 0 ? ` (${suppressed} more error${suppressed === 1 ? '' : 's'} since the last alert)` : '';
  const text = `hookport: delivery ${where} in flow "${flowName}" failed: ${what} after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}; job ${error.jobId}, page ${error.pageIndex ?? '-'}, error ${error.errorId}${more}`;
  return {
    text, flowId: error.flowId, flowName, importId: error.importId, importName, errorId: error.errorId, jobId: error.jobId, pageIndex: error.pageIndex,
    kind: error.kind, status: error.status, attempts: error.attempts, reopened: error.reopened, at: error.at, suppressed,
  };
}
