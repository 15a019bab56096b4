/**
 * The in-memory map the ingest path reads listeners from: warmed from the store
 * at start, updated on every change the admin API makes. A miss asks the store
 * once (another instance may have created the listener) and remembers a
 * negative answer briefly, so unknown ids cannot turn into a store read each.
 */
import type { Clock } from '../clock';
import type { ListenerObserver, ListenerService, ListenerState } from '../listeners/listener-service';
import type { Store } from '../store/store';
import { compileListener, type CompileOptions, type RuntimeListener } from './runtime-listener';

const NEGATIVE_TTL_MS = 5_000;
const MAX_NEGATIVE = 10_000;

export class ListenerRegistry implements ListenerObserver {
  private readonly states = new Map<string, ListenerState>();
  private readonly compiled = new Map<string, RuntimeListener>();
  private readonly misses = new Map<string, number>();
  /** What `refresh` last applied per listener, to skip the unchanged. */
  private readonly seenVersions = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly listeners: ListenerService,
    private readonly clock: Clock,
    private readonly options: CompileOptions,
  ) {}

  async warm(): Promise<void> {
    for (const doc of await this.store.listeners.all()) this.listenerChanged(this.listeners.toState(doc));
  }

  /**
   * Re-reads every listener and applies those that changed: how changes made
   * through another instance sharing the store reach this one (run periodically
   * by services.ts when the store is shared). Returns how many changed.
   */
  async refresh(): Promise<number> {
    let changed = 0;
    for (const doc of await this.store.listeners.all()) {
      const seen = this.states.get(doc.id);
      if (seen && this.seenVersions.get(doc.id) === version(doc)) continue;
      this.seenVersions.set(doc.id, version(doc));
      this.listenerChanged(this.listeners.toState(doc));
      changed++;
    }
    return changed;
  }

  listenerChanged(state: ListenerState): void {
    this.states.set(state.id, state);
    this.compiled.delete(state.id);
    this.misses.delete(state.id);
  }

  /** Synchronous when cached: the common case costs one Map lookup. */
  peek(id: string): RuntimeListener | undefined {
    let runtime = this.compiled.get(id);
    if (runtime) return runtime;
    const state = this.states.get(id);
    if (!state) return undefined;
    runtime = compileListener(state, this.options);
    this.compiled.set(id, runtime);
    return runtime;
  }

  async find(id: string): Promise<RuntimeListener | undefined> {
    const cached = this.peek(id);
    if (cached) return cached;
    const now = this.clock.now();
    const missedAt = this.misses.get(id);
    if (missedAt !== undefined && now - missedAt < NEGATIVE_TTL_MS) return undefined;
    const doc = await this.store.listeners.get(id);
    if (!doc) {
      if (this.misses.size >= MAX_NEGATIVE) this.misses.clear();
      this.misses.set(id, now);
      return undefined;
    }
    this.listenerChanged(this.listeners.toState(doc));
    return this.peek(id);
  }

  /** Every live listener's state (status pages, debug purge). */
  liveStates(): ListenerState[] {
    return [...this.states.values()].filter((state) => state.deletedAt === null);
  }
}

function version(doc: { updatedAt: string; deletedAt: string | null; debugUntil: string | null }): string {
  return `${doc.updatedAt}|${doc.deletedAt}|${doc.debugUntil}`;
}
