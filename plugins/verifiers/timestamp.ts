/**
 * Signature timestamps and replay tolerance. Timestamps are Unix seconds. Where
 * `allowMilliseconds` is set (the generic hmac verifier), a value of 13 or more
 * digits (>= 1e12) is read as milliseconds: in seconds it would be past the year
 * 33,000, so the intent is unambiguous.
 */
const MILLISECONDS_THRESHOLD = 1e12;

export type TimestampResult = { ok: true; seconds: number } | { ok: false; reason: string };

export function readTimestamp(raw: string | undefined, source: string, allowMilliseconds: boolean): TimestampResult {
  if (raw === undefined || raw.trim().length === 0) return { ok: false, reason: `missing timestamp (${source})` };
  const text = raw.trim();
  if (!/^\d{1,16}$/.test(text)) return { ok: false, reason: `timestamp (${source}) is not a whole number of seconds: "${text.slice(0, 40)}"` };
  const value = Number(text);
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
