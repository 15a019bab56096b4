/**
 * How long `npm start` takes to serve when nothing changed (issue 13: within 2 s),
 * next to `node dist/lib/server.js` without npm. Each run: a fresh DATA_DIR,
 * PORT=0, time from spawn until GET /healthz answers 200, then SIGTERM.
 * Run with `npm run build && node dist/bench/start-time.js [runs]` (default 5).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

async function timeStart(command: string, args: string[]): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookport-start-'));
  const began = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MONGODB_URI: '', NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"port":(\d+),[^\n]*"msg":"hookport listening"/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
    return performance.now() - began;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  for (const [label, command, args] of [
    ['npm start (nothing changed)', 'npm', ['start']],
    ['node dist/lib/server.js', process.execPath, ['dist/lib/server.js']],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) times.push(await timeStart(command, [...args]));
    console.log(`${label}: median ${Math.round(median(times))} ms, min ${Math.round(Math.min(...times))} ms, max ${Math.round(Math.max(...times))} ms (${runs} runs)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
