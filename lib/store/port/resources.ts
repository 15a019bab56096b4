/**
 * The store port, resources: the documents the admin API creates and edits
 * (API keys, listeners, imports, connections, flows), the CRUD every kind of them
 * shares, and list paging (`ListOptions` in, one `ListPage` out).
 */
export type Role = 'admin' | 'integrator' | 'support';

export interface ResourceDoc {
  id: string;
  /** ISO-8601 with milliseconds. */
  createdAt: string;
  updatedAt: string;
}

export interface ApiKeyDoc extends ResourceDoc {
  name: string;
  role: Role;
  /** sha256 hex of the whole key; the key itself is never stored. */
  keyHash: string;
  /** How lists show the key: the first 8 characters of a generated key (`hpk_…`), `****` + the last 4 of a chosen one. */
  keyPrefix: string;
  /** Where the key came from; `environment` and `bootstrap` keys are replaced when HOOKPORT_ADMIN_KEY changes. Absent on keys stored before it existed. */
  source?: ApiKeySource;
}

export type ApiKeySource = 'generated' | 'environment' | 'bootstrap';

export interface ListenerDoc extends ResourceDoc {
  /** Everything the API accepts for a listener (name included), secrets sealed. */
  settings: Record<string, unknown>;
  /** Set when deleted; a deleted listener answers 410. */
  deletedAt: string | null;
  /** End of the current debug session, if any (ISO-8601). */
  debugUntil: string | null;
  /** Where an attached webhook stands with its partner (issue 14); absent or null when never attached. */
  attachment?: Record<string, unknown> | null;
}

export interface ImportDoc extends ResourceDoc {
  /** Everything the API accepts for an import, private header values sealed. */
  settings: Record<string, unknown>;
}

/** A connection (issue 14): base URL, headers, shared rate limit, optional tenant `uid`. */
export interface ConnectionDoc extends ResourceDoc {
  /** Everything the API accepts for a connection, private header values sealed. `settings.uid` is unique when set. */
  settings: Record<string, unknown> & { uid?: string | null };
}

export interface FlowDoc extends ResourceDoc {
  name: string;
  listenerId: string;
  imports: string[];
  enabled: boolean;
  maxQueuedJobs: number;
  /** Where new errors are announced (SPEC §11 visible failures); null or absent for none. */
  alert?: FlowAlert | null;
  /** A retry policy for every import of the flow (lib/imports/retry-schedule.ts), in place of each import's; null or absent for theirs. */
  retry?: Record<string, unknown> | null;
  /** Pages in flight at once and what orders them (lib/flows/keyed-worker.ts); absent on flows stored before it existed: concurrency 1. */
  delivery?: FlowDelivery | null;
}

export interface FlowDelivery {
  /** Pages in flight at once; 1 is strict FIFO. */
  concurrency: number;
  /** A Handlebars template over a page's first record: pages with the same key go in order; null: no order when concurrency > 1. */
  orderingKey: string | null;
}

export interface FlowAlert {
  importId: string;
  /** At most one alert per flow this often; errors in between are counted into the next. */
  minIntervalSeconds: number;
}

export interface ListOptions {
  limit: number;
  /** The `nextCursor` of the previous list page. */
  after?: string | undefined;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * CRUD over one kind of resource, ordered by creation for listing. Every write is
 * one document: atomic for that document, last writer wins between writers
 * unless a method says otherwise.
 */
export interface Collection<T extends ResourceDoc> {
  /** Atomic: one document. Order: readable by every instance once resolved. @throws DuplicateKeyError when the id exists (unique key: one writer wins). */
  insert(doc: T): Promise<T>;
  /** Order: sees every write resolved before it was called. */
  get(id: string): Promise<T | null>;
  /** Oldest first; `nextCursor` is null on the last list page. */
  list(options: ListOptions): Promise<ListPage<T>>;
  /**
   * Replaces the document. Atomic: one document. With `expectedUpdatedAt`, at most
   * one of several writers replacing the same version wins (the version is claimed
   * by a unique insert); the others get StaleWriteError. Without it, last writer wins.
   * Returns null when the id does not exist.
   * @throws StaleWriteError when `expectedUpdatedAt` does not match, or another writer won that version.
   */
  replace(doc: T, expectedUpdatedAt?: string): Promise<T | null>;
  /** Atomic: one document. Returns false when the id did not exist (of two deleting writers, one gets true). */
  delete(id: string): Promise<boolean>;
}
