import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/harness';

const ROOT = path.resolve(__dirname, '../../..');
/** What a clone holds that start needs (tests, bench and docs left out on purpose: start must not need them). */
const SHIPPED = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'lib', 'plugins', 'config', 'scripts', 'bin'];

interface Started {
  stderr: string;
  stop(): Promise<void>;
}

/** `npm start` in `dir`; resolves once the server answers /healthz. */
function npmStart(dir: string): Promise<Started> {
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: { ...process.env, MONGODB_URI: '', NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: npm and the server stop together
  });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', async (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+),[^\n]*"msg":"hookport listening"/.exec(out);
      if (!match) return;
      child.stdout.removeAllListeners('data');
      const health = await fetch(`http://127.0.0.1:${match[1]}/healthz`);
      assert.equal(health.status, 200);
      resolve({
        stderr,
        async stop() {
          process.kill(-child.pid!, 'SIGTERM');
          await closed;
        },
      });
    });
    child.once('close', (code) => reject(new Error(`npm start exited ${code}:\n${out}\n${stderr}`)));
  });
}

describe('production start', function () {
  this.timeout(600_000);

  it('works after npm ci --omit=dev on a clean copy, and a start with nothing changed compiles nothing', async () => {
    const dir = tempDir('hookport-production-');
    try {
      for (const entry of SHIPPED) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
      await promisify(execFile)('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 16 << 20 });
      assert.ok(!fs.existsSync(path.join(dir, 'node_modules', 'mocha')), 'dev dependencies are not installed');

      const first = await npmStart(dir);
      await first.stop();
      assert.match(first.stderr, /compiling TypeScript/, 'the first start compiles: dist/ is missing');

      const began = Date.now();
      const second = await npmStart(dir);
      const tookMs = Date.now() - began;
      await second.stop();
      assert.doesNotMatch(second.stderr, /compiling/, 'nothing changed, nothing compiled');
      process.stdout.write(`      (second npm start served after ${tookMs} ms)\n`);

      // a changed source is noticed
      const check = () => promisify(execFile)(process.execPath, ['scripts/build-if-stale.js', '--check'], { cwd: dir }).then(() => 0, (error) => error.code);
      assert.equal(await check(), 0);
      const later = new Date(Date.now() + 5_000);
      fs.utimesSync(path.join(dir, 'lib', 'app.ts'), later, later);
      assert.equal(await check(), 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
