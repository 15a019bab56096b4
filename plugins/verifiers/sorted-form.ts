/**
 * Form parameters as Twilio and Mandrill sign them: every parameter of an
 * `application/x-www-form-urlencoded` body as name+value, no separators, names
 * sorted by byte order. A repeated name contributes each distinct value, sorted,
 * as Twilio's own helper libraries do.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 * https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests
 */
export function sortedParamString(params: URLSearchParams): string {
  const grouped = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    if (!grouped.has(name)) grouped.set(name, new Set());
    grouped.get(name)!.add(value);
  }
  return [...grouped.keys()]
    .sort()
    .map((name) => [...grouped.get(name)!].sort().map((value) => name + value).join(''))
    .join('');
}

/** The sorted parameter string of a raw form body (empty for an empty body). */
export function sortedFormParams(body: Buffer): string {
  return sortedParamString(new URLSearchParams(body.toString('utf8')));
}
