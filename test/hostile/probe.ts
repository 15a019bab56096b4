/**
 * One hostile request against a real server on 127.0.0.1, measured the way the
 * hardening issue (#11) asks: status, time to answer, the worst event-loop delay
 * while it was being handled (perf_hooks.monitorEventLoopDelay: a long delay means
 * every other listener and the admin API stalled), resident memory growth, and
 * whether a normal request is served right after.
 *
 * The server runs in this process, so the event-loop delay measured here is the
 * server's. Every request goes to 127.0.0.1 only.
 */
import fs from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** Give up (and fail the case) after this long. */
  timeoutMs?: number;
}

/** One HTTP request to `base + path`; resolves with the whole reply. */
export function send(base: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const url = new URL(path, base);
  if (url.hostname !== '127.0.0.1') throw new Error(`hostile tests send to 127.0.0.1 only, not ${url.hostname}`);
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? 'POST',
        agent: false,
        headers: { ...(body ? { 'Content-Length': body.length } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface Measured<T> {
  result: T;
  /** Wall time of `work`, ms. */
  ms: number;
  /** Longest event-loop stall while `work` ran, ms (wall clock: includes time the OS ran other processes). */
  maxLoopDelayMs: number;
  /**
   * Most CPU time the event-loop thread spent between two turns of a 1 ms timer, ms:
   * the stall this process caused itself, whatever else the machine runs. From
   * /proc/thread-self/schedstat (Linux); where that is missing or stays 0, the same as `maxLoopDelayMs`.
   */
  maxLoopCpuMs: number;
  /** Growth of resident memory across `work`, MiB (noisy: bounds only). */
  rssGrowthMiB: number;
}

/** Nanoseconds the calling thread has run on a CPU, or undefined where the kernel does not say. */
function threadCpuNs(): number | undefined {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** The event-loop delay histogram's sampling period, ms. */
const RESOLUTION_MS = 10;

/**
 * Runs `work` while sampling the event-loop delay every 10 ms, and the loop thread's CPU time every 1 ms.
 * The histogram runs two periods before `work` starts (a stall in its first period went unseen)
 * and one period after it ends (so that a stall at the very end is sampled).
 */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const rssBefore = process.memoryUsage().rss;
  const firstCpu = threadCpuNs();
  let lastCpu = firstCpu;
  let maxCpuNs = 0;
  const cpuTicker = lastCpu === undefined ? undefined : setInterval(() => {
    const cpu = threadCpuNs()!;
    maxCpuNs = Math.max(maxCpuNs, cpu - lastCpu!);
    lastCpu = cpu;
  }, 1);
  histogram.enable();
  try {
    await sleep(2 * RESOLUTION_MS);
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    await sleep(RESOLUTION_MS + 5);
    histogram.disable();
    const maxLoopDelayMs = histogram.max / 1e6;
    // A kernel that keeps no schedstat counts reports 0 throughout: then only the wall clock is known.
    const cpuKnown = cpuTicker !== undefined && threadCpuNs()! > firstCpu!;
    return {
      result, ms, maxLoopDelayMs, maxLoopCpuMs: cpuKnown ? maxCpuNs / 1e6 : maxLoopDelayMs,
      rssGrowthMiB: (process.memoryUsage().rss - rssBefore) / 1024 / 1024,
    };
  } finally {
    histogram.disable();
    clearInterval(cpuTicker);
  }
}

/** For a failing assertion: what was measured. */
export function summary(measured: Measured<Reply | Reply[]>): string {
  const replies = Array.isArray(measured.result) ? measured.result : [measured.result];
  return `status ${replies.map((r) => r.status).join(',')} in ${measured.ms.toFixed(0)} ms, loop delay ${measured.maxLoopDelayMs.toFixed(0)} ms (CPU ${measured.maxLoopCpuMs.toFixed(0)} ms), rss +${measured.rssGrowthMiB.toFixed(0)} MiB; ${replies[0]?.body.slice(0, 200)}`;
}
