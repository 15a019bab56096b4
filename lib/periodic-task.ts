/**
 * A background chore run on a timer (purges of expired data). The timer only
 * decides how often to look; what is due comes from the injected clock inside
 * `run`. A run never overlaps the previous one, never rejects, and `stop` waits
 * for the run in progress so the store is not closed under it.
 */
import type { Logger } from './logger';

export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  /** @param run does the work; resolves with how many things it removed (for the log) */
  constructor(
    private readonly name: string,
    private readonly run: () => Promise<number>,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    // A chore never keeps the process alive on its own.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  runOnce(): Promise<number> {
    this.running ??= this.run()
      .then((count) => {
        if (count > 0) this.logger.debug({ task: this.name, count }, 'background task removed expired data');
        return count;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error, task: this.name }, 'background task failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
