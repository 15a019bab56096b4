/**
 * Finding 13 of #11: with stdout piped to a process that then exited, SIGTERM
 * left the server serving forever (SIGKILL needed). A dead log destination must
 * not block shutdown, nor anything else: requests are still answered, and
 * shutdown ends within server.shutdownTimeoutMs whatever stdout does.
 */
import assert from 'node:assert/strict';
import { startChildServer } from '../helpers/child-server';
import { tempDir } from '../helpers/harness';
import { send } from './probe';

describe('hostile: the log pipe dies', () => {
  it('keeps answering and exits on SIGTERM within shutdownTimeoutMs', async () => {
    const dataDir = tempDir();
    const child = await startChildServer({
      DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: 'a-long-enough-admin-key-for-this-test-0123456789', HOOKPORT__server__shutdownTimeoutMs: '2000',
    });
    try {
      // The reader of the server's stdout goes away, as a log shipper that exits would.
      child.process.stdout!.destroy();
      for (let i = 0; i < 20; i++) {
        const reply = await send(child.baseUrl, '/healthz', { method: 'GET', timeoutMs: 5000 });
        assert.equal(reply.status, 200, 'still answering with nobody reading its logs');
      }
      const started = Date.now();
      child.process.kill('SIGTERM');
      const exit = await Promise.race([child.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 6000))]);
      assert.notEqual(exit, 'hung', 'the server did not exit within 6 s of SIGTERM');
      assert.ok(Date.now() - started < 4000, `exited after ${Date.now() - started} ms`);
    } finally {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    }
  });
});
