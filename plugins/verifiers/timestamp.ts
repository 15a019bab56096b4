/**
 * Signature timestamps and replay tolerance. A timestamp is read in one of three
 * formats:
 * - `unix`: Unix seconds; a value of 13 or more digits (>= 1e12) is read as
 *   milliseconds where `allowMilliseconds` is set (in seconds it would be past
 *   the year 33,000, so the intent is unambiguous);
 * - `unix-ms`: Unix milliseconds (Airwallex, Webflow, Revolut, HubSpot v3, Sanity);
 * - `rfc3339`: an RFC 3339 date-time with a time zone (Twitch, Zendesk, Box).
 */
const MILLISECONDS_THRESHOLD = 1e12;

export const TIMESTAMP_FORMATS = ['unix', 'unix-ms', 'rfc3339'] as const;
export type TimestampFormat = (typeof TIMESTAMP_FORMATS)[number];

export type TimestampResult = { ok: true; seconds: number } | { ok: false; reason: string };

/** RFC 3339 §5.6 date-time: a date, `T`, a time with optional fraction, and `Z` or an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function readTimestamp(raw: string | undefined, source: string, allowMilliseconds: boolean, format: TimestampFormat = 'unix'): TimestampResult {
  if (raw === undefined || raw.trim().length === 0) return { ok: false, reason: `missing timestamp (${source})` };
  const text = raw.trim();
  if (format === 'rfc3339') {
    const parsed = RFC3339.test(text) ? Date.parse(text.replace(' ', 'T')) : Number.NaN;
    if (!Number.isFinite(parsed)) return { ok: false, reason: `timestamp (${source}) is not an RFC 3339 date-time: "${text.slice(0, 40)}"` };
    return { ok: true, seconds: Math.floor(parsed / 1000) };
  }
  const unit = format === 'unix-ms' ? 'milliseconds' : 'seconds';
  if (!/^\d{1,16}$/.test(text)) return { ok: false, reason: `timestamp (${source}) is not a whole number of ${unit}: "${text.slice(0, 40)}"` };
  const value = Number(text);
  if (format === 'unix-ms') return { ok: true, seconds: Math.floor(value / 1000) };
  if (allowMilliseconds && value >= MILLISECONDS_THRESHOLD) return { ok: true, seconds: Math.floor(value / 1000) };
  return { ok: true, seconds: value };
}

/** Undefined when `seconds` is within `toleranceSeconds` of `nowMs` in either direction, else the reason. */
export function checkTolerance(seconds: number, nowMs: number, toleranceSeconds: number): string | undefined {
  const nowSeconds = Math.floor(nowMs / 1000);
  const age = nowSeconds - seconds;
  if (age > toleranceSeconds) return `timestamp is ${age} s old, outside the ${toleranceSeconds} s tolerance`;
  if (-age > toleranceSeconds) return `timestamp is ${-age} s in the future, outside the ${toleranceSeconds} s tolerance`;
  return undefined;
}

/** Unix seconds for `sign`. */
export function unixSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

/** `nowMs` written in `format`, as a sender would put it in a request. */
export function formatTimestamp(nowMs: number, format: TimestampFormat): string {
  if (format === 'unix-ms') return String(Math.floor(nowMs));
  if (format === 'rfc3339') return new Date(unixSeconds(nowMs) * 1000).toISOString();
  return String(unixSeconds(nowMs));
}
