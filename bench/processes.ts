/** Starting and measuring the servers under test, each in its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Resident memory in MiB, read from /proc. */
  rssMiB(): number;
  stop(): Promise<void>;
}

function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

function start(script: string, env: Record<string, string>, portFrom: (line: string) => number | undefined): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        const port = portFrom(line);
        if (port) {
          clearTimeout(timer);
          child.stdout!.removeAllListeners('data');
          child.stdout!.resume();
          resolve({
            child,
            port,
            rssMiB: () => rssOf(child.pid!),
            stop: () =>
              new Promise<void>((done) => {
                child.once('exit', () => done());
                child.kill('SIGTERM');
              }),
          });
          return;
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** One of the comparison receivers in bench/ (bare-server, express-receiver, fastify-receiver). */
export function startBare(script = 'bare-server', env: Record<string, string> = {}): Promise<ServerProcess> {
  return start(path.resolve(__dirname, `${script}.js`), env, (line) => {
    try {
      return JSON.parse(line).port;
    } catch {
      return undefined;
    }
  });
}

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

export function startHookport(extraEnv: Record<string, string> = {}): Promise<ServerProcess & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookport-bench-'));
  return start(
    path.resolve(__dirname, '..', 'lib', 'server.js'),
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      HOOKPORT_ADMIN_KEY: BENCH_ADMIN_KEY,
      HOOKPORT__instanceLimits: JSON.stringify({ capacity: 10_000_000, leakPerSecond: 10_000_000 }),
      // no flow is attached in the benchmark: let the listener keep every job it accepts
      HOOKPORT__jobs__unattachedLimit: '100000000',
      // the debug scenario records every request of its run, not only the first 10,000
      HOOKPORT__debug__maxEntries: '100000000',
      ...extraEnv,
    },
    (line) => {
      const match = /"port":(\d+)/.exec(line);
      return match ? Number(match[1]) : undefined;
    },
  ).then((server) => ({
    ...server,
    dataDir,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  }));
}
