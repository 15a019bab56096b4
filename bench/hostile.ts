/**
 * `npm run bench:hostile`: the figures of hardening issue #11, measured on this
 * machine in one process (the server and the sender share it, so the event-loop
 * delay seen here is the server's). Prints a table; asserts nothing. The hostile
 * tests in test/hostile/ check the same cases with generous safety bounds.
 */
import { createHarness, createListener, hookPath } from '../test/helpers/harness';
import { maximalBodies } from '../test/hostile/maximal-bodies';
import { measure, send, type Measured, type Reply } from '../test/hostile/probe';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Row {
  case: string;
  status: string;
  ms: number;
  loopDelayMs: number;
  loopCpuMs: number;
  rssGrowthMiB: number;
}

function row(name: string, measured: Measured<Reply | Reply[]>): Row {
  const replies = Array.isArray(measured.result) ? measured.result : [measured.result];
  return {
    case: name,
    status: [...new Set(replies.map((r) => r.status))].join('/'),
    ms: Math.round(measured.ms),
    loopDelayMs: Math.round(measured.maxLoopDelayMs),
    loopCpuMs: Math.round(measured.maxLoopCpuMs),
    rssGrowthMiB: Math.round(measured.rssGrowthMiB),
  };
}

async function main(): Promise<void> {
  const h = await createHarness({ env: { NODE_ENV: 'bench' } });
  const base = await h.listen();
  const rows: Row[] = [];
  try {
    const open = await createListener(h, {});
    const json = { 'Content-Type': 'application/json' };
    const million = `[${'1,'.repeat(999_999)}1]`;
    const slack = await createListener(h, { verification: { type: 'preset', provider: 'slack', secrets: ['slack-signing-secret'] } });
    const bomb = ['<a', ...Array.from({ length: 420_000 }, (_, i) => ` a${i}="1"`), '/>'].join('');
    const deep = `{"name":"x","mockOutput":${'['.repeat(3_999_990)}${']'.repeat(3_999_990)}}`;
    const maximal = await Promise.all(maximalBodies().map(async (body) => ({ ...body, listener: await createListener(h, body.settings) })));
    for (let round = 0; round < ROUNDS; round++) {
      rows.push(row('1,000,000 records (413)', await measure(() => send(base, hookPath(open), { headers: json, body: million }))));
      for (const body of maximal) {
        // Until the sample is written too: that work follows the answer.
        const measured = await measure(async () => {
          const reply = await send(base, hookPath(body.listener), { headers: { 'Content-Type': body.contentType }, body: body.body, timeoutMs: 60_000 });
          await h.services.samples.settled();
          return reply;
        });
        rows.push(row(`maximal ${body.name}`, measured));
      }
      rows.push(row('unsigned 4.7 MiB XML to Slack (401)', await measure(() => send(base, hookPath(slack), { headers: { 'Content-Type': 'application/xml' }, body: bomb }))));
      rows.push(row('8 MB nested JSON, no key (401)', await measure(() => send(base, '/api/v1/listeners', { headers: json, body: deep }))));
      rows.push(row('5 MB of <a> (400)', await measure(() => send(base, hookPath(open), { headers: { 'Content-Type': 'application/xml' }, body: '<a>'.repeat(1_700_000) }))));
    }
  } finally {
    await h.close();
  }
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
