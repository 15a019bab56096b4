/**
 * The usual hand-written webhook receiver the issue compares against: Express 5,
 * `express.json()` keeping the raw body, a GitHub-style HMAC-SHA256 check with
 * `timingSafeEqual`, 204. Nothing is stored (not durable).
 */
import crypto from 'node:crypto';
import express from 'express';

const secret = process.env.BENCH_SECRET ?? '';
const app = express();
app.use(express.json({ limit: '1mb', verify: (req, _res, buf) => { (req as unknown as { rawBody: Buffer }).rawBody = buf; } }));
app.post('/', (req, res) => {
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update((req as unknown as { rawBody: Buffer }).rawBody).digest('hex')}`);
  const given = Buffer.from(req.get('x-hub-signature-256') ?? '');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    res.status(401).end();
    return;
  }
  res.status(204).end();
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
