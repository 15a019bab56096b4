import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { BIN, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/harness';

describe('hookport command', function () {
  this.timeout(60_000);

  it('lists its commands with --help (exit 0) and refuses an unknown one (exit 64)', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const name of ['start', 'keys', 'backup', 'sign', 'check-config']) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    for (const name of ['start', 'backup', 'sign', 'check-config']) {
      const sub = await runCli([name, '--help']);
      assert.equal(sub.code, 0, name);
      assert.match(sub.stdout, new RegExp(`Usage: hookport ${name}`), name);
    }
  });

  it('check-config exits 0 for a valid setup and 78 naming the key and its source otherwise', async () => {
    const dataDir = tempDir();
    try {
      const ok = await runCli(['check-config'], { DATA_DIR: dataDir });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /configuration is valid/);
      assert.ok(!fs.existsSync(`${dataDir}/secret.key`), 'check-config writes nothing');
      const bad = await runCli(['check-config'], { DATA_DIR: dataDir, PORT: 'eighty' });
      assert.equal(bad.code, 78);
      assert.match(bad.stderr, /port .*environment variable PORT/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('start serves like npm start, and a port in use is one line and exit 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = tempDir();
    try {
      const child = spawn(process.execPath, [BIN, 'start'], {
        env: { ...process.env, MONGODB_URI: '', NODE_ENV: 'test', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      assert.equal(code, 1);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: it is already in use`));
    } finally {
      blocker.close();
    }
    // the same command with a free port serves
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...process.env, MONGODB_URI: '', NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const listening = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"port":(\d+),[^\n]*"msg":"hookport listening"/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        child.once('exit', (exitCode) => reject(new Error(`exited ${exitCode}: ${out}`)));
      });
      assert.equal((await fetch(`http://127.0.0.1:${listening}/healthz`)).status, 200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
