/**
 * Reads a request body once, for every parser and verifier to share (they need
 * the raw bytes). `Content-Length` is checked before reading; the bytes are
 * counted while reading, and reading stops as soon as the limit is passed —
 * nothing past it is buffered.
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';

/** The client went away before the body was complete; there is no one to answer. */
export class ClientAbortedError extends Error {
  constructor() {
    super('the client closed the connection before sending the whole body');
    this.name = 'ClientAbortedError';
  }
}

const EMPTY = Buffer.alloc(0);

export function tooLarge(limit: number): AppError {
  return new AppError('ERR_PAYLOAD_TOO_LARGE', `the body is larger than this listener accepts (${limit} bytes)`);
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    if (length > limit) return Promise.reject(tooLarge(limit));
    if (length === 0) return Promise.resolve(EMPTY);
  } else if (req.headers['transfer-encoding'] === undefined) {
    // Neither header: HTTP/1.1 says there is no body.
    return Promise.resolve(EMPTY);
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(
      new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not supported; send the body uncompressed`),
    );
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error: Error | undefined, body?: Buffer) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (error) reject(error);
      else resolve(body!);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        req.pause();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    const onError = (error: Error) => finish(error.message === 'aborted' ? new ClientAbortedError() : error);
    const onAborted = () => finish(new ClientAbortedError());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
