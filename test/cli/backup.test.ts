import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startChildServer } from '../helpers/child-server';
import { childApi } from '../helpers/child-api';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/harness';

const ADMIN_KEY = 'cli-backup-admin-key-0123456789abcdef';

describe('hookport backup', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const made of dirs) fs.rmSync(made, { recursive: true, force: true });
  });

  it('copies the database consistently while requests are being accepted, and the copy restores', async () => {
    const dataDir = tempDir();
    const restoreDir = tempDir();
    dirs.push(dataDir, restoreDir);
    const backupFile = path.join(tempDir(), 'hookport-backup.db');
    dirs.push(path.dirname(backupFile));
    const server = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY });
    let accepted = 0;
    let flowId: string;
    try {
      const api = childApi(server.baseUrl, ADMIN_KEY);
      const listener = await api('POST', '/listeners', { name: 'busy', records: { pageSize: 2 } });
      const imported = await api('POST', '/imports', { name: 'nowhere', url: 'http://127.0.0.1:9/' });
      flowId = (await api('POST', '/flows', { name: 'waits', listenerId: listener.body.id, imports: [imported.body.id], enabled: false })).body.id;

      let sending = true;
      const senders = Array.from({ length: 4 }, async () => {
        while (sending) {
          const response = await fetch(`${server.baseUrl}/hooks/${listener.body.id}`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]),
          });
          await response.arrayBuffer();
          if (response.status === 204) accepted += 1;
        }
      });
      while (accepted < 20) await new Promise((resolve) => setTimeout(resolve, 20));
      const backup = await runCli(['backup', backupFile], { DATA_DIR: dataDir });
      const acceptedDuringBackup = accepted;
      while (accepted < acceptedDuringBackup + 20) await new Promise((resolve) => setTimeout(resolve, 20));
      sending = false;
      await Promise.all(senders);
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /The secret key is not in it: keep .*secret\.key/);

      const refused = await runCli(['backup', backupFile], { DATA_DIR: dataDir });
      assert.equal(refused.code, 1, 'an existing file is never overwritten');
      assert.match(refused.stderr, /already exists/);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }

    // restore as the docs say: the backup becomes hookport.db, secret.key beside it
    fs.copyFileSync(backupFile, path.join(restoreDir, 'hookport.db'));
    fs.copyFileSync(path.join(dataDir, 'secret.key'), path.join(restoreDir, 'secret.key'));
    const restored = await startChildServer({ MONGODB_URI: '', DATA_DIR: restoreDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY });
    try {
      const api = childApi(restored.baseUrl, ADMIN_KEY);
      const jobs: any[] = [];
      let after: string | null = null;
      do {
        const page: { body: { items: any[]; nextCursor: string | null } } = await api('GET', `/flows/${flowId!}/jobs?limit=500${after ? `&after=${after}` : ''}`);
        jobs.push(...page.body.items);
        after = page.body.nextCursor;
      } while (after);
      assert.ok(jobs.length >= 20 && jobs.length < accepted, `a snapshot from the middle of the traffic (${jobs.length} of ${accepted})`);
      // consistent: every job whole (3 records in pages of 2), sequence numbers dense, the queue depth agrees
      for (const job of jobs) {
        assert.equal(job.recordCount, 3);
        assert.deepEqual(job.pages.map((page: any) => page.recordCount), [2, 1]);
      }
      const seqs = jobs.map((job) => job.seq).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: jobs.length }, (_, i) => i + 1));
      const flow = await api('GET', `/flows/${flowId!}`);
      const listenerStatus = await api('GET', `/listeners/${flow.body.listenerId}/status`);
      assert.equal(listenerStatus.body.flows[0].queueDepth, jobs.length);
    } finally {
      restored.process.kill('SIGTERM');
      await restored.exited;
    }
  });
});
