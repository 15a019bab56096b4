import assert from 'node:assert/strict';
import { DebugCapture } from '../../lib/debug/debug-capture';
import { DebugSessions } from '../../lib/debug/debug-sessions';
import type { Exchange } from '../../lib/ingest/exchange';
import type { ListenerState } from '../../lib/listeners/listener-service';
import { createLogger } from '../../lib/logger';
import type { Store } from '../../lib/store/store';

const NOW = Date.UTC(2026, 5, 1, 8, 0, 0);

/** An exchange that lets `observe` read its arrival time and fails the test on any other read. */
function exchangeAt(receivedAt: number): Exchange {
  return new Proxy({ receivedAt } as Exchange, {
    get(target, property) {
      if (property === 'receivedAt') return target.receivedAt;
      throw new Error(`observe read exchange.${String(property)}`);
    },
  });
}

function state(id: string, debugUntil: string | null): ListenerState {
  return { id, settings: {} as ListenerState['settings'], createdAt: '', updatedAt: '', deletedAt: null, debugUntil, attachment: null };
}

describe('debug capture when nobody is debugging', () => {
  const unusedStore = {} as Store;
  const options = { maxEntries: 10, retentionHours: 24 };

  it('looks at nothing but the arrival time: one comparison, then returns', () => {
    const sessions = new DebugSessions();
    const capture = new DebugCapture(sessions, unusedStore, createLogger('silent'), options);
    capture.observe(exchangeAt(NOW));
    sessions.listenerChanged(state('a'.repeat(32), new Date(NOW + 60_000).toISOString()));
    capture.observe(exchangeAt(NOW + 60_000));
    capture.observe(exchangeAt(NOW + 3_600_000));
  });

  it('does read further while a session runs (so the test above would catch a change)', () => {
    const sessions = new DebugSessions();
    const capture = new DebugCapture(sessions, unusedStore, createLogger('silent'), options);
    sessions.listenerChanged(state('a'.repeat(32), new Date(NOW + 60_000).toISOString()));
    assert.throws(() => capture.observe(exchangeAt(NOW)), /observe read exchange\.listener/);
  });

  it('goes back to the single comparison once the last session is stopped', () => {
    const sessions = new DebugSessions();
    const capture = new DebugCapture(sessions, unusedStore, createLogger('silent'), options);
    sessions.listenerChanged(state('a'.repeat(32), new Date(NOW + 60_000).toISOString()));
    sessions.listenerChanged(state('a'.repeat(32), null));
    capture.observe(exchangeAt(NOW));
    assert.equal(sessions.latestUntil, 0);
  });
});
