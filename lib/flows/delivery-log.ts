/**
 * The structured log lines of delivery failures (SPEC §16): one per failed
 * request and one per error that opens, with where it happened (flow, import,
 * job, page, record), the attempt, the HTTP status or network error, and when
 * the next attempt is due. Never a body, a header or a URL: those may carry
 * secrets or personal data. The message of an `http` failure is only its
 * status; network and timeout messages are the transport's error code and text.
 */
import type { Logger } from '../logger';
import type { DeliveryObserver, FailedAttempt, OpenedError } from './delivery-events';

export class DeliveryLog implements DeliveryObserver {
  constructor(private readonly logger: Logger) {}

  attemptFailed(attempt: FailedAttempt): void {
    const { flowId, importId, jobId, pageIndex, recordIndex, attempt: number, kind, status, nextAttemptAt, replay } = attempt;
    this.logger.warn(
      {
        event: 'delivery.attempt_failed', flowId, importId, jobId, pageIndex, recordIndex, attempt: number, kind, status,
        ...(kind === 'http' ? {} : { error: attempt.message }), nextAttemptAt, ...(replay ? { replay } : {}),
      },
      nextAttemptAt ? `delivery attempt ${number} failed; next attempt at ${nextAttemptAt}` : `delivery attempt ${number} failed; no attempt left`,
    );
  }

  errorOpened(error: OpenedError): void {
    const { flowId, importId, errorId, jobId, pageIndex, kind, status, attempts, reopened } = error;
    this.logger.error(
      { event: 'delivery.error_opened', flowId, importId, errorId, jobId, pageIndex, kind, status, attempts, reopened },
      reopened ? 'a resubmitted delivery error failed again and is open' : 'delivery error opened',
    );
  }
}
