/**
 * The largest requests a listener accepts by default, one per body kind, for
 * the event-loop checks of #11 finding 1 (test/hostile/maximal-bodies.test.ts)
 * and `npm run bench:hostile`. Each stays under the default `maxBodyBytes`
 * (5 MiB) and `records.maxPerRequest` (10,000), and within the multipart limits.
 */
export interface MaximalBody {
  name: string;
  contentType: string;
  body: string;
  /** Listener settings beyond the defaults. */
  settings: Record<string, unknown>;
  /** Records the stored job holds. */
  records: number;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const BOUNDARY = 'hookport-maximal-body';

function flatXml(): string {
  const item = `<i>${'x'.repeat(20)}</i>`;
  const count = Math.floor((MAX_BODY_BYTES - 7) / item.length);
  return `<r>${item.repeat(count)}</r>`;
}

function multipart(parts: string[]): string {
  return `${parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join('')}--${BOUNDARY}--\r\n`;
}

export function maximalBodies(): MaximalBody[] {
  const record = (n: number) => ({ name: 'x'.repeat(400), n });
  return [
    {
      name: 'JSON, 10,000 records (4 MB)', contentType: 'application/json', settings: {}, records: 10_000,
      body: JSON.stringify(Array.from({ length: 10_000 }, (_, n) => record(n))),
    },
    { name: 'XML, flat 5 MiB (one record of 200,000 elements)', contentType: 'application/xml', settings: {}, records: 1, body: flatXml() },
    {
      name: 'XML, 10,000 records (4.3 MB)', contentType: 'application/xml', settings: { records: { resourcePath: '$.r.o[*]' } }, records: 10_000,
      body: `<r>${Array.from({ length: 10_000 }, (_, n) => `<o><name>${'x'.repeat(400)}</name><n>${n}</n></o>`).join('')}</r>`,
    },
    {
      name: 'NDJSON, 10,000 lines (4 MB)', contentType: 'application/x-ndjson', settings: {}, records: 10_000,
      body: Array.from({ length: 10_000 }, (_, n) => JSON.stringify(record(n))).join('\n'),
    },
    {
      name: 'form, 1,000 fields of 5 KB', contentType: 'application/x-www-form-urlencoded', settings: {}, records: 1,
      body: Array.from({ length: 1000 }, (_, n) => `k${n}=${'x'.repeat(5200)}`).join('&'),
    },
    {
      // Base64 makes it 4.9 MiB: the largest file whose record fits a page (records.maxPageBytes, 5 MiB).
      name: 'multipart, one 3.7 MiB file', contentType: `multipart/form-data; boundary=${BOUNDARY}`, settings: {}, records: 1,
      body: multipart([`Content-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'q'.repeat(Math.floor(3.7 * 1024 * 1024))}`]),
    },
    {
      name: 'multipart, 1,000 fields of 5 KB', contentType: `multipart/form-data; boundary=${BOUNDARY}`, settings: {}, records: 1,
      body: multipart(Array.from({ length: 1000 }, (_, n) => `Content-Disposition: form-data; name="k${n}"\r\n\r\n${'x'.repeat(5100)}`)),
    },
  ];
}
