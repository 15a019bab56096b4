/**
 * The listener's sample (SPEC §10) is the last accepted request. Under load most
 * requests are immediately superseded, so the ingest path only remembers how to
 * build the latest one per listener; once per event-loop turn, the survivors are
 * built and handed to the store. Building a sample (copying and masking headers)
 * thus costs once per turn, not once per request.
 */
import type { Logger } from '../logger';
import { maskSensitiveHeaders } from '../security/redact';
import type { Sample, Store } from '../store/store';
import type { RequestContext } from './request-context';

/** The sample of an accepted request: the stored body, every header with credentials masked. */
export function sampleOf(context: RequestContext, storedBody: unknown, receivedAt: number): Sample {
  const { req, listener } = context;
  return {
    body: storedBody,
    headers: maskSensitiveHeaders(req.headers, listener.sensitiveHeaders),
    receivedAt: new Date(receivedAt).toISOString(),
    contentType: req.headers['content-type'] ?? null,
  };
}

export class SampleKeeper {
  private readonly latest = new Map<string, () => Sample>();
  private scheduled = false;
  private readonly saving = new Set<Promise<void>>();

  constructor(private readonly store: Store, private readonly logger: Logger) {}

  keep(listenerId: string, build: () => Sample): void {
    this.latest.set(listenerId, build);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Hands the latest sample of each listener to the store now. */
  flush(): void {
    this.scheduled = false;
    for (const [listenerId, build] of this.latest) {
      const saving = this.store
        .saveSample(listenerId, build())
        .catch((error) => this.logger.warn({ err: error, listenerId }, 'could not save the sample'))
        .finally(() => this.saving.delete(saving));
      this.saving.add(saving);
    }
    this.latest.clear();
  }

  /** Resolves once every sample kept so far has been written (or failed and was logged). */
  async settled(): Promise<void> {
    while (this.scheduled || this.saving.size > 0) {
      if (this.scheduled) this.flush();
      await Promise.all([...this.saving]);
    }
  }
}
