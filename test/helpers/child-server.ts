/**
 * Runs the real server (`node dist/lib/server.js`) as a child process, for tests
 * that need a real process boundary: restart, SIGTERM, SIGKILL after a 2xx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ChildServer {
  process: ChildProcess;
  baseUrl: string;
  port: number;
  stdout: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const SERVER = path.resolve(__dirname, '../../lib/server.js');

/**
 * This process's environment without MONGODB_URI: CI runs the whole suite under
 * scripts/test-mongo.sh, but a child server keeps its data in its own DATA_DIR
 * (a test that wants MongoDB passes the URI itself).
 */
export function withoutSharedMongo(): NodeJS.ProcessEnv {
  const { MONGODB_URI: _shared, ...rest } = process.env;
  return rest;
}

export function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...withoutSharedMongo(), NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${out}\n${err}`));
    }, 15_000);
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+),[^\n]*"msg":"hookport listening"/.exec(out);
      if (match) {
        clearTimeout(timer);
        const port = Number(match[1]);
        resolve({ process: child, baseUrl: `http://127.0.0.1:${port}`, port, stdout: () => out, exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
}
