/**
 * The status changes of a delivery error (DeliveryStore.requestRetry, finishRetry,
 * resolveError): from which statuses each is allowed and what it writes. Shared by
 * the adapters, which differ only in how they make the change atomic.
 */
import type { DeliveryErrorDoc, DeliveryErrorUpdate } from './store';

export interface ErrorTransition {
  from: ReadonlyArray<DeliveryErrorDoc['status']>;
  change: (doc: DeliveryErrorDoc) => DeliveryErrorDoc;
}

export function retryRequested(at: string): ErrorTransition {
  return { from: ['open', 'resolved'], change: (doc) => ({ ...doc, status: 'retrying', retryRequestedAt: at, resolvedAt: null, updatedAt: at }) };
}

export function retryFinished(at: string, failure: DeliveryErrorUpdate | null): ErrorTransition {
  return {
    from: ['retrying'],
    change: (doc) =>
      failure
        ? { ...doc, ...failure, status: 'open', retryCount: doc.retryCount + 1, retryRequestedAt: null, updatedAt: at }
        : { ...doc, status: 'resolved', retryCount: doc.retryCount + 1, resolvedAt: at, updatedAt: at },
  };
}

export function resolvedByHand(at: string): ErrorTransition {
  return { from: ['open'], change: (doc) => ({ ...doc, status: 'resolved', resolvedAt: at, updatedAt: at }) };
}
