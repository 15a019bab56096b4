/**
 * The same non-durable work as express-receiver.ts on fastify: parse JSON while
 * keeping the raw body, check the GitHub-style HMAC with `timingSafeEqual`, 204.
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';

const secret = process.env.BENCH_SECRET ?? '';
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
  (req as unknown as { rawBody: Buffer }).rawBody = body as Buffer;
  try {
    done(null, JSON.parse((body as Buffer).toString('utf8')));
  } catch (error) {
    done(error as Error, undefined);
  }
});
app.post('/', async (req, reply) => {
  const raw = (req as unknown as { rawBody: Buffer }).rawBody;
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`);
  const header = req.headers['x-hub-signature-256'];
  const given = Buffer.from(typeof header === 'string' ? header : '');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return reply.code(401).send();
  return reply.code(204).send();
});
app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  const address = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
