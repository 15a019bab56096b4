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

/** Reads at most MAX_KEPT_BODY_BYTES of the body, then cancels the rest of the stream. */
async function readBounded(response: Response): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), truncated: false };
      chunks.push(Buffer.from(value));
      size += value.byteLength;
      if (size > MAX_KEPT_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        return { bytes: Buffer.concat(chunks).subarray(0, MAX_KEPT_BODY_BYTES), truncated: true };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export async function captureResponse(response: Response): Promise<ImportResponseDoc> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const { bytes, truncated } = await readBounded(response);
  const body = bytes.toString('utf8');
  const captured: ImportResponseDoc = { status: response.status, headers, body, truncated };
  if (!truncated && body.length > 0 && isJson(headers['content-type'])) {
    try {
      captured.json = JSON.parse(body);
    } catch {
      // a destination that says JSON but sends something else: keep the text only
    }
  }
  return captured;
}

/** The body as templates see it: parsed JSON when there is some, else the text. */
export function responseBodyValue(response: ImportResponseDoc): unknown {
  return response.json !== undefined ? response.json : response.body;
}
