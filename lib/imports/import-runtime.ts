/**
 * Imports as delivery uses them: settings with private header values in clear
 * text (kept in memory only, sent only on the outgoing request), the connection
 * applied (base URL, inherited headers), templates compiled, and request pacers:
 * one per import shared by every flow (in memory), and one per connection shared
 * by every import that uses it, kept in the store so that instances sharing it
 * share the spacing too. Refreshed when the admin API changes an import or its
 * connection.
 */
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';
import { compileTemplate, type RenderTemplate } from '../templates';
import type { ConnectionObserver, ConnectionState } from '../connections/connection-service';
import type { ImportObserver, ImportService, ImportState, ResolvedImport } from './import-service';
import { RequestPacer, type Pacer } from './request-pacer';
import { ConnectionPacer, type SlotReserver } from './connection-pacer';
import { compileUrlTemplate, type RenderUrl } from './url-template';
import { secretForms } from '../security/redact';

export interface ImportRuntime {
  readonly id: string;
  /** The import as sent: `settings.url` is the full URL, `settings.headers` include the inherited ones. */
  readonly state: ResolvedImport['state'];
  /** The connection it uses: `uid` tells a shared listener's router which tenant the flow serves. */
  readonly connection: { id: string; uid: string | null; updatedAt: string } | undefined;
  /** Undefined when the URL has no template in it. */
  readonly url: RenderUrl | undefined;
  readonly body: RenderTemplate | undefined;
  readonly pacer: Pacer | undefined;
  /** Private header values (the connection's too) in the forms a destination could echo them: scrubbed from what it answers. */
  readonly privateForms: readonly string[];
}

export function compileImport(resolved: ResolvedImport, pacer: Pacer | undefined): ImportRuntime {
  const { state, connection } = resolved;
  const { settings } = state;
  const field = connection ? '/path' : '/url';
  return {
    id: state.id,
    state,
    connection: connection ? { id: connection.id, uid: connection.settings.uid, updatedAt: connection.updatedAt } : undefined,
    url: settings.url.includes('{{') ? compileUrlTemplate(settings.url, field) : undefined,
    body: settings.bodyTemplate ? compileTemplate(settings.bodyTemplate, '/bodyTemplate') : undefined,
    pacer,
    privateForms: secretForms(settings.headers.filter((header) => header.private).map((header) => header.value)),
  };
}

/** Both limits apply: the import's own and its connection's. */
function both(first: Pacer | undefined, second: Pacer | undefined): Pacer | undefined {
  if (!first || !second) return first ?? second;
  return {
    async take(signal) {
      await first.take(signal);
      await second.take(signal);
    },
  };
}

export class ImportRuntimes implements ImportObserver, ConnectionObserver {
  private readonly cache = new Map<string, ImportRuntime>();
  private readonly pacers = new Map<string, { perSecond: number; pacer: Pacer }>();

  constructor(
    private readonly imports: ImportService,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    /** Where connections' shared slots are kept (Store.connections). */
    private readonly slots: SlotReserver,
  ) {}

  importChanged(state: ImportState | { id: string; deleted: true }): void {
    this.cache.delete(state.id);
    if ('deleted' in state) this.pacers.delete(`import:${state.id}`);
  }

  connectionChanged(state: ConnectionState | { id: string; deleted: true }): void {
    for (const [id, runtime] of this.cache) if (runtime.connection?.id === state.id) this.cache.delete(id);
    if ('deleted' in state) this.pacers.delete(`connection:${state.id}`);
  }

  /** The import, or undefined when it (or its connection) no longer exists. */
  async get(id: string): Promise<ImportRuntime | undefined> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    let resolved: ResolvedImport;
    try {
      resolved = await this.imports.resolve(id);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_NOT_FOUND') return undefined;
      throw error;
    }
    const own = this.pacerFor(`import:${id}`, resolved.state.settings.rateLimit.perSecond, (perSecond) => new RequestPacer(perSecond, this.clock, this.scheduler));
    const connectionId = resolved.connection?.id;
    const shared = connectionId === undefined
      ? undefined
      : this.pacerFor(`connection:${connectionId}`, resolved.connection!.settings.rateLimit.perSecond,
        (perSecond) => new ConnectionPacer(this.slots, connectionId, perSecond, this.clock, this.scheduler));
    const runtime = compileImport(resolved, both(own, shared));
    this.cache.set(id, runtime);
    return runtime;
  }

  /** Forgets cached imports changed or deleted since they were read (through another instance), their connections too. */
  async dropChanged(): Promise<void> {
    for (const [id, runtime] of [...this.cache]) {
      const current = await this.imports.resolve(id).catch(() => undefined);
      if (!current || current.state.updatedAt !== runtime.state.updatedAt || current.connection?.updatedAt !== runtime.connection?.updatedAt) {
        this.cache.delete(id);
      }
    }
  }

  /** A pacer survives edits that keep the rate, so an edit cannot reset the spacing. */
  private pacerFor(key: string, perSecond: number | null | undefined, create: (perSecond: number) => Pacer): Pacer | undefined {
    if (perSecond === null || perSecond === undefined) {
      this.pacers.delete(key);
      return undefined;
    }
    const kept = this.pacers.get(key);
    if (kept && kept.perSecond === perSecond) return kept.pacer;
    const pacer = create(perSecond);
    this.pacers.set(key, { perSecond, pacer });
    return pacer;
  }
}
