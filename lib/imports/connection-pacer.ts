/**
 * A connection's shared rate limit (`rateLimit.perSecond`): every import that
 * uses the connection, in every flow and on every instance sharing the store,
 * takes its turn from the one spacing kept on the connection's document
 * (`Store.connections.reserveSlot`), then waits on the injected scheduler.
 * Like the import's own pacer: no burst, callers go in the order they asked.
 */
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';
import type { Pacer } from './request-pacer';

/** The store operation this needs (Store.connections). */
export interface SlotReserver {
  reserveSlot(id: string, now: number, intervalMs: number): Promise<number | null>;
}

export class ConnectionPacer implements Pacer {
  private readonly intervalMs: number;

  constructor(
    private readonly slots: SlotReserver,
    private readonly connectionId: string,
    perSecond: number,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  async take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = await this.slots.reserveSlot(this.connectionId, now, this.intervalMs);
    if (slot !== null && slot > now) await this.scheduler.sleep(slot - now, { signal, reason: 'rate-limit' });
  }
}
