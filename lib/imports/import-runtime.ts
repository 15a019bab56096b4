/**
 * Imports as delivery uses them: settings with private header values in clear
 * text (kept in memory only, sent only on the outgoing request), templates
 * compiled, and one request pacer per import shared by every flow. Refreshed
 * when the admin API changes an import.
 */
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';
import { compileTemplate, type RenderTemplate } from '../templates';
import type { ImportChangeListener, ImportService, ImportState } from './import-service';
import { RequestPacer } from './request-pacer';
import { compileUrlTemplate, type RenderUrl } from './url-template';
import { privateForms } from './scrub-response';

export interface ImportRuntime {
  readonly id: string;
  readonly state: ImportState;
  /** Undefined when the URL has no template in it. */
  readonly url: RenderUrl | undefined;
  readonly body: RenderTemplate | undefined;
  readonly pacer: RequestPacer | undefined;
  /** Private header values in the forms a destination could echo them: scrubbed from what it answers. */
  readonly privateForms: readonly string[];
}

export function compileImport(state: ImportState, pacer: RequestPacer | undefined): ImportRuntime {
  const { settings } = state;
  return {
    id: state.id,
    state,
    url: settings.url.includes('{{') ? compileUrlTemplate(settings.url, '/url') : undefined,
    body: settings.bodyTemplate ? compileTemplate(settings.bodyTemplate, '/bodyTemplate') : undefined,
    pacer,
    privateForms: privateForms(settings.headers.filter((header) => header.private).map((header) => header.value)),
  };
}

export class ImportRuntimes implements ImportChangeListener {
  private readonly cache = new Map<string, ImportRuntime>();
  private readonly pacers = new Map<string, { perSecond: number; pacer: RequestPacer }>();

  constructor(private readonly imports: ImportService, private readonly clock: Clock, private readonly scheduler: Scheduler) {}

  importChanged(state: ImportState | { id: string; deleted: true }): void {
    this.cache.delete(state.id);
    if ('deleted' in state) this.pacers.delete(state.id);
  }

  /** The import, or undefined when it no longer exists. */
  async get(id: string): Promise<ImportRuntime | undefined> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    let state: ImportState;
    try {
      state = await this.imports.getState(id);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_NOT_FOUND') return undefined;
      throw error;
    }
    const runtime = compileImport(state, this.pacerFor(state));
    this.cache.set(id, runtime);
    return runtime;
  }

  /** Forgets cached imports changed or deleted since they were read (through another instance). */
  async dropChanged(): Promise<void> {
    for (const [id, runtime] of [...this.cache]) {
      const current = await this.imports.getState(id).catch(() => undefined);
      if (!current || current.updatedAt !== runtime.state.updatedAt) this.cache.delete(id);
    }
  }

  /** A pacer survives edits that keep the rate, so an edit cannot reset the spacing. */
  private pacerFor(state: ImportState): RequestPacer | undefined {
    const perSecond = state.settings.rateLimit.perSecond;
    if (perSecond === null || perSecond === undefined) {
      this.pacers.delete(state.id);
      return undefined;
    }
    const kept = this.pacers.get(state.id);
    if (kept && kept.perSecond === perSecond) return kept.pacer;
    const pacer = new RequestPacer(perSecond, this.clock, this.scheduler);
    this.pacers.set(state.id, { perSecond, pacer });
    return pacer;
  }
}
