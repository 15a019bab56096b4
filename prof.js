const { startHookport, BENCH_ADMIN_KEY } = require('./dist/bench/processes');
const { startSink } = require('./dist/bench/sink');
const autocannon = require('autocannon');
async function api(s, m, p, b) { const r = await fetch(`http://127.0.0.1:${s.port}/api/v1${p}`, { method: m, headers: { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: b && JSON.stringify(b) }); if (!r.ok) throw new Error(await r.text()); return r.status === 204 ? undefined : r.json(); }
(async () => {
  const h = await startHookport();
  const sink = await startSink();
  const l = await api(h, 'POST', '/listeners', { name: 'p', limits: { capacity: 1e7, leakPerSecond: 1e7 } });
  const i = await api(h, 'POST', '/imports', { name: 's', url: sink.url });
  const f = await api(h, 'POST', '/flows', { name: 'p', listenerId: l.id, imports: [i.id], enabled: false, maxQueuedJobs: 1e7 });
  await autocannon({ url: `http://127.0.0.1:${h.port}/hooks/${l.id}`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}', connections: 20, amount: 4000 });
  const t = Date.now();
  await api(h, 'PATCH', `/flows/${f.id}`, { enabled: true });
  while (sink.pages < 4000) await new Promise((r) => setTimeout(r, 20));
  console.log('pages/s', 4000 / ((Date.now() - t) / 1000));
  await sink.close(); await h.stop();
})();
