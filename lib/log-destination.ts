/**
 * Where the JSON logs go: stdout, written so that a log pipe that dies or stops
 * reading never blocks the server (#11 finding 13: with stdout piped to a process
 * that exited, SIGTERM left the server running forever).
 *
 * pino's default stdout destination writes synchronously, and on a full pipe
 * (EAGAIN) it sleeps and retries in a loop on the main thread; at exit it flushes
 * synchronously the same way. Here writes are asynchronous, at most
 * LOG_BUFFER_BYTES wait for a slow reader (later lines are dropped), a broken
 * pipe (EPIPE) turns logging off, and nothing flushes synchronously at exit:
 * `flushWithin` gives the buffer a bounded time during shutdown instead.
 */
import pino from 'pino';

/** Log lines waiting for a slow reader, at most; beyond it new lines are dropped. */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

export interface LogDestination extends pino.DestinationStream {
  /** Resolves once buffered lines are written, or after `ms`, whichever is first. */
  flushWithin(ms: number): Promise<void>;
}

export function stdoutDestination(): LogDestination {
  const stream = pino.destination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES });
  let broken = false;
  // pino.destination turns logging off on EPIPE; any other write error does the same here.
  stream.on('error', () => {
    broken = true;
    stream.write = () => true;
  });
  // The exit hook pino registers would flush synchronously, blocking on a full pipe.
  stream.flushSync = () => undefined;
  return Object.assign(stream, {
    flushWithin(ms: number): Promise<void> {
      if (broken) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        timer.unref();
        try {
          stream.flush(() => {
            clearTimeout(timer);
            resolve();
          });
        } catch {
          clearTimeout(timer);
          resolve();
        }
      });
    },
  });
}

/** Gives a logger's stdout destination up to `ms` to write what it buffered (a no-op for other destinations). */
export function flushLogs(logger: pino.Logger, ms: number): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as Partial<LogDestination> | undefined;
  return typeof stream?.flushWithin === 'function' ? stream.flushWithin(ms) : Promise.resolve();
}
