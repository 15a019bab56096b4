/** A local HTTP destination for flows that answers 200, or 500 while `failing`. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sink {
  url: string;
  failing: boolean;
  received: unknown[];
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const sink = { failing: false, received: [] as unknown[] } as Sink;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (sink.failing) {
        res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":"the ERP is down"}');
        return;
      }
      sink.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
  sink.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return sink;
}
