/**
 * The store port, errors: adapters translate driver errors into these classes.
 * Any other rejection means the store is unavailable (the caller answers 503).
 */
/** A flow's queue is full (SPEC §11); nothing was written. */
export class QueueFullError extends Error {
  constructor(readonly flowId: string | null, readonly depth: number) {
    super(flowId ? `flow ${flowId} has ${depth} jobs queued` : `${depth} jobs are waiting for a flow`);
    this.name = 'QueueFullError';
  }
}

/** An insert collided with an existing id or unique key. */
export class DuplicateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}

/** A conditional update found the record changed since it was read. */
export class StaleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleWriteError';
  }
}
