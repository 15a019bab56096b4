/**
 * What an import's destination answered, kept in a bounded form: errors store it,
 * afterFlow response templates read it (`imports`), the flow test returns it.
 */
import type { ImportResponseDoc } from '../store/store';

/** Bodies longer than this are cut: enough for an error message, never a whole export. */
export const MAX_KEPT_BODY_BYTES = 64 * 1024;

/** Headers worth keeping; the rest (cookies above all) is dropped. */
const KEPT_HEADERS = ['content-type', 'content-length', 'location', 'retry-after', 'etag', 'x-request-id', 'request-id', 'x-correlation-id'];

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** An answer as an HTTP client gives it: `fetch`'s Response and undici's `request` result both fit. */
export interface RawAnswer {
  status: number;
  /** The header's value (repeated headers joined with ", "), or null. */
  header(name: string): string | null;
  /** The body, read chunk by chunk; leaving the loop early stops reading (the rest is discarded). */
  body: AsyncIterable<Uint8Array> | null;
}

/** Reads at most MAX_KEPT_BODY_BYTES of the body, then stops reading the rest. */
async function readBounded(body: AsyncIterable<Uint8Array> | null): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!body) return { bytes: Buffer.alloc(0), truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    size += chunk.byteLength;
    if (size > MAX_KEPT_BODY_BYTES) return { bytes: Buffer.concat(chunks).subarray(0, MAX_KEPT_BODY_BYTES), truncated: true };
  }
  return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), truncated: false };
}

export async function captureAnswer(answer: RawAnswer): Promise<ImportResponseDoc> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = answer.header(name);
    if (value !== null) headers[name] = value;
  }
  const { bytes, truncated } = await readBounded(answer.body);
  const body = bytes.toString('utf8');
  const captured: ImportResponseDoc = { status: answer.status, headers, body, truncated };
  if (!truncated && body.length > 0 && isJson(headers['content-type'])) {
    try {
      captured.json = JSON.parse(body);
    } catch {
      // a destination that says JSON but sends something else: keep the text only
    }
  }
  return captured;
}

/** A `fetch` Response, captured (its body stream is async-iterable). */
export function captureResponse(response: Response): Promise<ImportResponseDoc> {
  return captureAnswer({
    status: response.status,
    header: (name) => response.headers.get(name),
    body: response.body as AsyncIterable<Uint8Array> | null,
  });
}

/** The body as templates see it: parsed JSON when there is some, else the text. */
export function responseBodyValue(response: ImportResponseDoc): unknown {
  return response.json !== undefined ? response.json : response.body;
}
