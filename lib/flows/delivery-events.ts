/**
 * What the delivery engine tells the rest of hookport (metrics, listener
 * status): every member is optional, called synchronously, and an observer
 * that throws is logged and ignored, never allowed to stop delivery.
 */
import type { Logger } from '../logger';

/** One request that failed (SPEC §11): what the failure log line and counters say. Never a body or a secret. */
export interface FailedAttempt {
  flowId: string;
  importId: string;
  jobId: string;
  pageIndex: number;
  /** Record mode: the record's index in the page. */
  recordIndex: number | null;
  /** 1 for the first try. */
  attempt: number;
  /** `http`, `network` or `timeout`. */
  kind: string;
  status: number | null;
  message: string;
  /** ISO-8601 of the next try, or null when this was the last. */
  nextAttemptAt: string | null;
  /** A replayed page (header Hookport-Replay). */
  replay: boolean;
}

/** A page (or record) that became an open error: a new one, or a resubmitted one that failed again. */
export interface OpenedError {
  flowId: string;
  importId: string | null;
  errorId: string;
  jobId: string;
  pageIndex: number | null;
  kind: string;
  status: number | null;
  message: string;
  attempts: number;
  /** True when a resubmitted error failed again. */
  reopened: boolean;
  /** ISO-8601. */
  at: string;
}

export interface DeliveryObserver {
  /** An import's destination accepted a page (or, in record mode, a record): `status` is its 2xx. */
  delivered?(importId: string, flowId: string, status: number): void;
  /** An attempt failed and will be tried again after a backoff. `status` is null for network errors and timeouts. */
  retrying?(importId: string, flowId: string, status: number | null): void;
  /** A page (or record) became an error. `importId` is null for a record too large for any page. */
  failed?(importId: string | null, flowId: string, kind: string): void;
  /** A request failed; `nextAttemptAt` says whether and when it is tried again. */
  attemptFailed?(attempt: FailedAttempt): void;
  /** An error opened (stored, or a resubmitted one reopened). */
  errorOpened?(error: OpenedError): void;
  /** An error alert (lib/flows/alerts.ts) was sent, failed, or was left out by the flow's rate limit. */
  alerted?(flowId: string, result: 'sent' | 'failed' | 'suppressed'): void;
  /** A flow's queue depth changed: after a job was appended for it, or its cursor passed a job. */
  queueDepth?(flowId: string, listenerId: string, depth: number): void;
  /** A page, or a resubmitted error, is finished and its outcome stored (cursor moved, errors written). */
  settled?(flowId: string): void;
}

export class DeliveryEvents {
  private readonly observers: DeliveryObserver[] = [];

  constructor(private readonly logger: Logger) {}

  subscribe(observer: DeliveryObserver): void {
    this.observers.push(observer);
  }

  get wantsDepth(): boolean {
    return this.observers.some((o) => o.queueDepth);
  }

  delivered(importId: string, flowId: string, status: number): void {
    this.each((o) => o.delivered?.(importId, flowId, status));
  }

  retrying(importId: string, flowId: string, status: number | null): void {
    this.each((o) => o.retrying?.(importId, flowId, status));
  }

  failed(importId: string | null, flowId: string, kind: string): void {
    this.each((o) => o.failed?.(importId, flowId, kind));
  }

  attemptFailed(attempt: FailedAttempt): void {
    this.each((o) => o.attemptFailed?.(attempt));
  }

  errorOpened(error: OpenedError): void {
    this.each((o) => o.errorOpened?.(error));
  }

  alerted(flowId: string, result: 'sent' | 'failed' | 'suppressed'): void {
    this.each((o) => o.alerted?.(flowId, result));
  }

  queueDepth(flowId: string, listenerId: string, depth: number): void {
    this.each((o) => o.queueDepth?.(flowId, listenerId, depth));
  }

  settled(flowId: string): void {
    this.each((o) => o.settled?.(flowId));
  }

  private each(call: (observer: DeliveryObserver) => void): void {
    for (const observer of this.observers) {
      try {
        call(observer);
      } catch (error) {
        this.logger.warn({ err: error }, 'a delivery observer failed');
      }
    }
  }
}
