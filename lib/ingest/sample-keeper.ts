/**
 * The listener's sample (SPEC §10) is the last accepted request. Under load most
 * requests are immediately superseded, so the ingest path only remembers how to
 * build the latest one per listener; once per event-loop turn, the survivors are
 * built and handed to the store. Building a sample (copying and masking headers)
 * thus costs once per turn, not once per request.
 */
import type { Logger } from '../logger';
import type { Sample, Store } from '../store/store';

export class SampleKeeper {
  private readonly latest = new Map<string, () => Sample>();
  private scheduled = false;

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
      this.store
        .saveSample(listenerId, build())
        .catch((error) => this.logger.warn({ err: error, listenerId }, 'could not save the sample'));
    }
    this.latest.clear();
  }
}
