/**
 * A local keep-alive destination for the delivery scenarios: answers 200 after
 * `delayMs` and counts pages (requests) and records (a page is a JSON array of
 * records). Delivery order is proven by test/flows/delivery.test.ts, not here.
 */
import http from 'node:http';

export interface Sink {
  url: string;
  pages: number;
  records: number;
  close(): Promise<void>;
}

export function startSink(delayMs = 0): Promise<Sink> {
  const sink = { url: '', pages: 0, records: 0, close: async () => undefined } as Sink;
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (): void => {
        try {
          const page = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const records = Array.isArray(page) ? page : [page];
          sink.pages += 1;
          sink.records += records.length;
        } catch {
          // not JSON: still counted as a page
          sink.pages += 1;
        }
        res.statusCode = 200;
        res.end('ok');
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      sink.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/import`;
      sink.close = () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); });
      resolve(sink);
    });
  });
}
