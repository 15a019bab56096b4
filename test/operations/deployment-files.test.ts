/**
 * The Dockerfile and the systemd unit cannot be built or run here, so this keeps
 * them to what the suite proves: the commands they run are the ones the
 * production-start and CLI tests exercise, and they keep the promised shape.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const PROVEN_RUN = [
  'npm ci --omit=dev --no-audit --no-fund',
  'node scripts/build-if-stale.js',
  'mkdir -p /data && chown node:node /data',
];

describe('deployment files', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));

  it('Dockerfile: two stages, only proven commands, non-root, DATA_DIR a volume, a /healthz HEALTHCHECK', () => {
    assert.equal(instructions.filter((line) => line.startsWith('FROM ')).length, 2);
    for (const run of instructions.filter((line) => line.startsWith('RUN '))) assert.ok(PROVEN_RUN.includes(run.slice(4)), run);
    assert.deepEqual(instructions.filter((line) => line.startsWith('USER ')), ['USER node']);
    assert.match(dockerfile, /^ENV .*DATA_DIR=\/data/m);
    assert.match(dockerfile, /^VOLUME \["\/data"\]/m);
    assert.match(dockerfile, /^HEALTHCHECK [\s\S]*\/healthz/m);
    assert.match(dockerfile, /^CMD \["node", "bin\/hookport\.js", "start"\]/m);
  });

  it('the systemd unit in docs/operations.md starts hookport the way the CLI tests do', () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
    const unit = /```ini\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    assert.match(unit, /^ExecStart=\/usr\/bin\/node \/opt\/hookport\/bin\/hookport\.js start$/m);
    assert.match(unit, /^ExecStartPre=\/usr\/bin\/node \/opt\/hookport\/bin\/hookport\.js check-config$/m);
    assert.match(unit, /^KillSignal=SIGTERM$/m);
    assert.match(unit, /^RestartPreventExitStatus=78$/m);
    assert.match(unit, /^User=hookport$/m);
  });
});
