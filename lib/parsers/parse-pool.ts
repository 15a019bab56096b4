/**
 * Large XML bodies are parsed on a worker thread, so that the event loop keeps
 * serving every other listener and the admin API meanwhile (#11 finding 1:
 * fast-xml-parser's validator and parser took 0.7–3 s over a flat 5 MiB body,
 * in one piece). The event loop only copies the bytes to the worker and
 * receives the parsed value (a structured clone).
 *
 * One pool per process, started on first use and never holding the process
 * open (workers are unref'd). Jobs wait in arrival order for a free worker; a
 * worker that dies fails its job with ERR_INTERNAL and is replaced on the next
 * job. A worker idle for IDLE_MS ends, giving back the memory of what it parsed
 * (a flat 5 MiB document leaves ~150 MiB of heap behind). The answer is exactly what the synchronous parser gives, refusals
 * included (same code, same detail).
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors';

export interface ParseJob {
  id: number;
  raw: Uint8Array;
  charset: string | undefined;
  maxDepth: number;
}

export type ParseAnswer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: ErrorCode; detail: string | undefined };

interface Waiting {
  job: ParseJob;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** One worker per spare core, at least one and at most four. */
const POOL_SIZE = Math.max(1, Math.min(4, os.availableParallelism() - 1));
/** A worker with no job for this long ends. */
const IDLE_MS = 30_000;

class ParsePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Waiting>();
  private readonly queue: Waiting[] = [];
  private readonly idleTimers = new Map<Worker, NodeJS.Timeout>();
  private started = 0;
  private nextId = 1;

  parse(raw: Buffer, charset: string | undefined, maxDepth: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // A copy: the request's buffer may be a slice of a pooled one, and stays the caller's.
      this.queue.push({ job: { id: this.nextId++, raw: new Uint8Array(raw), charset, maxDepth }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.started < POOL_SIZE ? this.start() : undefined);
      if (!worker) return;
      const waiting = this.queue.shift()!;
      clearTimeout(this.idleTimers.get(worker));
      this.idleTimers.delete(worker);
      this.busy.set(worker, waiting);
      worker.ref();
      worker.postMessage(waiting.job, [waiting.job.raw.buffer as ArrayBuffer]);
    }
  }

  private start(): Worker {
    this.started++;
    const worker = new Worker(path.join(__dirname, 'parse-worker.js'));
    worker.unref();
    worker.on('message', (answer: ParseAnswer) => {
      const waiting = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      this.endWhenIdle(worker);
      if (waiting) {
        if (answer.ok) waiting.resolve(answer.value);
        else waiting.reject(new AppError(answer.code, answer.code === 'ERR_INTERNAL' ? undefined : answer.detail, answer.code === 'ERR_INTERNAL' ? { internalReason: answer.detail } : {}));
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the parse worker exited with code ${code}`)));
    return worker;
  }

  /** Ends `worker` if it is still idle after IDLE_MS; taken out of the pool first, so no job goes to it meanwhile. */
  private endWhenIdle(worker: Worker): void {
    const timer = setTimeout(() => {
      this.idleTimers.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index === -1) return;
      this.idle.splice(index, 1);
      this.started--;
      void worker.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idleTimers.set(worker, timer);
  }

  /** A worker died: its job fails, and a new worker takes the next one. */
  private lost(worker: Worker, error: unknown): void {
    clearTimeout(this.idleTimers.get(worker));
    this.idleTimers.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index !== -1) this.idle.splice(index, 1);
    const waiting = this.busy.get(worker);
    if (!this.busy.delete(worker) && index === -1) return;
    this.started--;
    waiting?.reject(new AppError('ERR_INTERNAL', undefined, { cause: error, internalReason: String(error) }));
    this.dispatch();
  }
}

let pool: ParsePool | undefined;

/** Parses an XML body on a worker thread; resolves or rejects as `parseXmlBytes` would. */
export function parseXmlInWorker(raw: Buffer, charset: string | undefined, maxDepth: number): Promise<unknown> {
  pool ??= new ParsePool();
  return pool.parse(raw, charset, maxDepth);
}
