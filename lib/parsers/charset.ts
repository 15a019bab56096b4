/**
 * Turns body bytes into text using the `charset` of the Content-Type.
 *
 * Labels are those of the WHATWG Encoding Standard, which TextDecoder
 * implements (https://encoding.spec.whatwg.org/#names-and-labels). It maps
 * `latin1`, `iso-8859-1` and `us-ascii` to windows-1252, as browsers do:
 * senders that say latin1 nearly always mean windows-1252 (curly quotes, €).
 * Decoding is strict: bytes that are invalid in the charset are a 400, never
 * silently replaced with U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { AppError } from '../errors';
import { decodeWindows1252 } from './windows-1252';

type Decode = (bytes: Buffer) => string;

const BYTE_ORDER_MARK = 0xfeff;
const REPLACEMENT_CHARACTER = '\uFFFD';

const strictDecoders = new Map<string, Decode>();
const lenientDecoders = new Map<string, Decode>();

/** True for the labels that take the fast path (Buffer#toString, no TextDecoder). */
export function isUtf8Label(charset: string | undefined): boolean {
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

function createDecoder(charset: string, fatal: boolean): Decode {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal });
  } catch {
    // Node throws RangeError ERR_ENCODING_NOT_SUPPORTED for unknown labels and for
    // the WHATWG "replacement" labels (iso-2022-kr, …), which decode nothing useful.
    throw new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', `charset "${charset}" is not supported`);
  }
  if (decoder.encoding === 'windows-1252') return decodeWindows1252;
  return (bytes) => {
    try {
      // TextDecoder drops the byte order mark of its own encoding itself.
      return decoder.decode(bytes);
    } catch {
      throw new AppError('ERR_MALFORMED_BODY', `body is not valid ${decoder.encoding}`);
    }
  };
}

function decoderFor(cache: Map<string, Decode>, charset: string, fatal: boolean): Decode {
  let decode = cache.get(charset);
  if (decode === undefined) {
    decode = createDecoder(charset, fatal);
    // Only labels TextDecoder accepted get here, so the cache stays small.
    cache.set(charset, decode);
  }
  return decode;
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/**
 * Decodes a whole body. UTF-8 (the default) uses Buffer#toString, the fastest
 * decoder Node has, and validates only when the result contains U+FFFD (a real
 * U+FFFD, or an invalid byte sequence). A leading byte order mark is dropped.
 * Throws ERR_MALFORMED_BODY for invalid bytes and ERR_UNSUPPORTED_MEDIA_TYPE
 * for an unknown charset.
 */
export function decodeText(raw: Buffer, charset: string | undefined): string {
  if (isUtf8Label(charset)) {
    const text = raw.toString('utf8');
    if (text.includes(REPLACEMENT_CHARACTER) && !isUtf8(raw)) {
      throw new AppError('ERR_MALFORMED_BODY', 'body is not valid utf-8');
    }
    return stripByteOrderMark(text);
  }
  return decoderFor(strictDecoders, charset as string, true)(raw);
}

/**
 * Decodes bytes that came out of percent-encoding. Invalid sequences become
 * U+FFFD, as WHATWG form decoding does
 * (https://url.spec.whatwg.org/#application/x-www-form-urlencoded).
 */
export function decodeBytesLeniently(bytes: Buffer, charset: string | undefined): string {
  if (isUtf8Label(charset)) return bytes.toString('utf8');
  return decoderFor(lenientDecoders, charset as string, false)(bytes);
}
