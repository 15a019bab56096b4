/**
 * multipart/form-data (RFC 7578) through busboy, fed from the bytes the ingest
 * stage already read. Fields nest by the same bracket rules as urlencoded
 * forms; each file becomes `{ name, mime, data }` with `data` in base64, the
 * shape Make gives files, and a second file under one field name makes an array.
 */
import busboy from 'busboy';
import { AppError } from '../errors';
import { FormBuilder } from './form-builder';
import { TurnBudget } from '../slices';
import type { BodyParser, ParseContext, ParseLimits } from './types';

export interface MultipartFile {
  /** The filename the sender gave (without any directory part). */
  name: string;
  mime: string;
  /** The file's bytes, base64. */
  data: string;
}

function malformed(error: unknown): AppError {
  return new AppError('ERR_MALFORMED_BODY', `multipart body is malformed: ${(error as Error).message}`);
}

function createBusboy(contentType: string, limits: ParseLimits): busboy.Busboy {
  try {
    return busboy({
      headers: { 'content-type': contentType },
      // Browsers send UTF-8 filenames as raw bytes in the part header.
      defParamCharset: 'utf8',
      // busboy flags a part that *reaches* its limit; one more byte (or part)
      // lets a part of exactly the configured size through.
      limits: {
        parts: limits.multipartMaxParts + 1,
        fileSize: limits.multipartMaxFileBytes + 1,
        fieldSize: limits.multipartMaxFieldBytes + 1,
      },
    });
  } catch (error) {
    // Thrown synchronously for a missing boundary or an unparsable Content-Type.
    throw malformed(error);
  }
}

/** Parses a multipart body. Rejects with ERR_PAYLOAD_TOO_LARGE naming the limit, or ERR_MALFORMED_BODY. */
export function parseMultipart(raw: Buffer, contentType: string, limits: ParseLimits): Promise<Record<string, unknown>> {
  const parser = createBusboy(contentType, limits);
  const form = new FormBuilder(limits.maxDepth, 'multipart field');
  let parts = 0;
  let failure: AppError | undefined;

  const fail = (error: unknown): void => {
    failure ??= error instanceof AppError ? error : malformed(error);
  };
  const acceptPart = (): boolean => {
    parts += 1;
    if (parts > limits.multipartMaxParts) {
      fail(new AppError('ERR_PAYLOAD_TOO_LARGE', `more than ${limits.multipartMaxParts} parts (multipartMaxParts)`));
    }
    return failure === undefined;
  };

  return new Promise((resolve, reject) => {
    parser.on('field', (name, value, info) => {
      if (!acceptPart() || !name) return;
      if (info.valueTruncated) {
        fail(new AppError('ERR_PAYLOAD_TOO_LARGE', `field "${name}" is larger than ${limits.multipartMaxFieldBytes} bytes (multipartMaxFieldBytes)`));
      } else if (typeof value !== 'string') {
        // busboy yields no value for a part charset it cannot decode.
        fail(new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', `the charset of field "${name}" is not supported`));
      } else {
        try {
          form.add(name, value);
        } catch (error) {
          fail(error);
        }
      }
    });

    parser.on('file', (name, stream, info) => {
      // busboy reports a truncated body on the parser too; this only keeps the
      // file stream's own copy of that error from going unhandled.
      stream.on('error', () => undefined);
      if (!acceptPart() || !name) {
        stream.resume();
        return;
      }
      const file: MultipartFile = { name: info.filename ?? '', mime: info.mimeType, data: '' };
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        fail(new AppError('ERR_PAYLOAD_TOO_LARGE', `file "${file.name}" in field "${name}" is larger than ${limits.multipartMaxFileBytes} bytes (multipartMaxFileBytes)`));
      });
      stream.on('end', () => {
        file.data = Buffer.concat(chunks).toString('base64');
      });
      try {
        form.add(name, file);
      } catch (error) {
        fail(error);
      }
    });

    parser.on('error', (error) => reject(failure ?? malformed(error)));
    parser.on('close', () => (failure === undefined ? resolve(form.result) : reject(failure)));
    void feedInSlices(parser, raw);
  });
}

/** Bytes handed to busboy at a time; between them the event loop may turn (#11 finding 1). */
const FEED_BYTES = 256 * 1024;

/** Writes `raw` into the parser in pieces, letting the event loop turn when this work used its budget. */
async function feedInSlices(parser: busboy.Busboy, raw: Buffer): Promise<void> {
  try {
    const budget = new TurnBudget();
    let from = 0;
    for (; from + FEED_BYTES < raw.length; from += FEED_BYTES) {
      parser.write(raw.subarray(from, from + FEED_BYTES));
      await budget.pause();
      if (parser.destroyed) return;
    }
    parser.end(raw.subarray(from));
  } catch (error) {
    parser.destroy(error as Error);
  }
}

export const multipartParser: BodyParser = {
  name: 'multipart',
  matches: (mediaType) => mediaType === 'multipart/form-data',
  parse(raw: Buffer, context: ParseContext): Promise<unknown> {
    return parseMultipart(raw, context.contentType, context.limits);
  },
};
