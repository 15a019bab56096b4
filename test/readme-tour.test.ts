/**
 * Runs the README's "A five-minute tour" as written: every ```sh block of that
 * section, in order, in one bash. Only the ports change (8080 and 9090 may be
 * taken on a shared machine): the test exports PORT and rewrites the two
 * numbers in the text. It runs in a scratch directory whose entries link to
 * the repository, so hookport.log and sink.log stay out of the clone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './helpers/harness';

const ROOT = path.resolve(__dirname, '../..');
const LINKED = ['package.json', 'package-lock.json', 'node_modules', 'dist', 'config', 'scripts', 'bin', 'lib', 'plugins', 'tsconfig.json', 'tsconfig.build.json'];

export function tourScript(readme: string): string {
  const start = readme.indexOf('## A five-minute tour');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.join('\n');
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('README tour', function () {
  this.timeout(240_000);

  it('runs as written and delivers the records to the sink it starts', async () => {
    const script = tourScript(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    assert.match(script, /npm start/);
    assert.match(script, /FLOW_ID=/);
    assert.match(script, /date -u -d '\+1 day'/);
    assert.doesNotMatch(script, /HOOKPORT_ADMIN_KEY=[a-z-]/, 'no fixed sample key');
    const [hookportPort, sinkPort] = [await freePort(), await freePort()];
    const scratch = tempDir('hookport-tour-');
    for (const entry of LINKED) fs.symlinkSync(path.join(ROOT, entry), path.join(scratch, entry));
    const runnable = `set -euo pipefail\n${script.replace(/\b8080\b/g, String(hookportPort)).replace(/\b9090\b/g, String(sinkPort))}`;
    const child = spawn('bash', ['-c', runnable], {
      cwd: scratch,
      env: { ...process.env, MONGODB_URI: '', PORT: String(hookportPort), HOST: '127.0.0.1', DATA_DIR: path.join(scratch, 'data'), NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, `the tour failed:\n${stdout}\n${stderr}\n${fs.existsSync(path.join(scratch, 'hookport.log')) ? fs.readFileSync(path.join(scratch, 'hookport.log'), 'utf8') : ''}`);
      assert.match(stdout, /^HTTP\/1\.1 204 No Content/m, 'the signed webhook is accepted');
      assert.match(stdout, /^HTTP\/1\.1 401 Unauthorized/m, 'the wrong signature is refused');
      assert.match(stdout, /POST \/api\/orders \[\{"id":1001\},\{"id":1002\}\]$/m, `the records reached the sink:\n${stdout}`);
      assert.equal(fs.readFileSync(path.join(scratch, 'sink.log'), 'utf8').trim(), 'POST /api/orders [{"id":1001},{"id":1002}]');
      assert.match(stdout, /"outcome":"ERR_UNAUTHORIZED"/, 'the request history shows the refusal');
      // the last reply is the rotated listener (curl -s adds no newline, so replies run together)
      const rotatedAt = stdout.lastIndexOf('{"id":"', stdout.lastIndexOf('","name":"Shopify orders"'));
      const rotated = JSON.parse(stdout.slice(rotatedAt).trim());
      assert.deepEqual(rotated.verification.secrets.map((secret: any) => typeof secret === 'string' ? secret : secret.value), ['****-key', '****cret']);
      assert.ok(Date.parse(rotated.verification.secrets[1].expiresAt) > Date.now(), 'the computed expiresAt is in the future');
      assert.ok(!(rotated.warnings ?? []).some((warning: string) => /expiresAt/.test(warning)), 'no warning about a past expiresAt');
    } finally {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
