/**
 * Runs every `sh` block of docs/integrations.md, in order and as written, in one
 * bash, against a real hookport (this process, on a loopback port) and local
 * fakes: the tenants' ERP API, GitHub and Stripe. Then checks what arrived where.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDestination, type Destination } from '../flows/destinations';
import { deliveryHarness, type DeliveryHarness } from '../flows/delivery-setup';
import { fakeGitHub, fakeStripe, type FakePartner } from '../attach/fake-partners';

const DOC = path.resolve(__dirname, '../../../docs/integrations.md');

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

function runBash(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('docs/integrations.md', function () {
  this.timeout(60_000);
  let h: DeliveryHarness;
  let erp: Destination;
  let github: FakePartner;
  let stripe: FakePartner;
  before(async () => {
    h = await deliveryHarness();
    erp = await startDestination();
    github = await fakeGitHub('ghp_docsExampleToken');
    stripe = await fakeStripe('sk_test_docsExampleKey');
  });
  after(async () => {
    await Promise.all([erp.close(), github.close(), stripe.close()]);
    await h.close();
  });

  it('runs every shell example as written, and each feature does what the page says', async () => {
    const blocks = shellBlocks(fs.readFileSync(DOC, 'utf8'));
    assert.ok(blocks.length >= 8, `found only ${blocks.length} sh blocks`);
    const base = await h.listen();
    // The connection's rate limit spaces Acme's requests on the test's manual clock: move it as they wait.
    let running = true;
    const pacing = (async () => {
      while (running) {
        const waiting = h.scheduler.pending('rate-limit')[0];
        if (waiting) h.scheduler.advance(Math.max(0, waiting.due - h.clock.now()));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const result = await runBash(blocks.join('\n'), {
      HOOKPORT: base, KEY: h.adminKey, ERP: erp.url, GITHUB_API: github.url, STRIPE_API: stripe.url,
      GITHUB_TOKEN: 'ghp_docsExampleToken', GITHUB_WEBHOOK_SECRET: 'docs-webhook-secret', STRIPE_SECRET_KEY: 'sk_test_docsExampleKey',
    });
    assert.equal(result.code, 0, `the examples failed:\n${result.stderr}\n${result.stdout}`);
    const lines = result.stdout.trim().split('\n');

    // 1. connections: the private header is masked; deleting a connection in use is refused
    assert.deepEqual(JSON.parse(lines[0]!), { name: 'Authorization', value: '****1234', private: true, inherit: true });
    assert.equal(lines[1], 'ERR_CONNECTION_IN_USE');
    // 2. output mapping: 204, the sample's mapped record, the record schema
    assert.equal(lines[2], '204');
    assert.deepEqual(JSON.parse(lines[3]!), { orderId: 1001, total: 12.5 });
    assert.equal(lines[4], 'number');
    // 3. shared listener: three success answers, one unrouted
    assert.deepEqual(lines.slice(5, 8).map((line) => JSON.parse(line)), [{ received: true }, { received: true }, { received: true }]);
    assert.equal(lines[8], '1');
    // 4. attached webhooks
    assert.equal(lines[9], 'attached');
    assert.match(lines[10]!, /^we_/);
    assert.equal(lines[11], 'attached');

    await erp.waitFor(3);
    running = false;
    await pacing;
    const byPath = (p: string) => erp.received.filter((r) => r.path === p).map((r) => r.json);
    const acme = byPath('/acme/v1/orders');
    assert.equal(acme.length, 2);
    const [mapped] = acme[0] as any[];
    assert.equal(mapped.total, 12.5);
    assert.deepEqual(mapped.customer, { name: 'Ada', vip: true });
    assert.equal(mapped.label, 'Order 1001 for Ada');
    assert.equal(erp.received.find((r) => r.path === '/acme/v1/orders')!.headers['x-api-version'], '2025-06');
    assert.equal(erp.received.find((r) => r.path === '/acme/v1/orders')!.headers.authorization, 'Bearer acme-token-1234');
    assert.deepEqual((acme[1] as any[]).map((r) => r.id), [1], 'the shared listener sent Acme only its own event');
    assert.deepEqual((byPath('/globex/v1/orders')[0] as any[]).map((r) => r.id), [2]);
    // both webhooks were registered and then unregistered by the deletes at the end
    assert.equal(github.requests.filter((r) => r.method === 'POST').length, 1);
    assert.equal(github.hooks.size, 0);
    assert.equal(stripe.hooks.size, 0);
    assert.equal(new URLSearchParams(stripe.requests[0]!.body).getAll('enabled_events[]').length, 2);
  });
});
