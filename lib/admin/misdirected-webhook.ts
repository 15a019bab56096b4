/**
 * A webhook POSTed to the admin API (`/api/v1/listeners/{id}`, or the list
 * path) instead of the listener's URL: the refusal says where it should go.
 */
const LISTENER_PATH = /^\/listeners(?:\/([^/]+))?\/?$/;

/** Text to append to the 404/405 detail, or '' when the request does not look like a misdirected webhook. */
export function misdirectedWebhookHint(method: string, path: string): string {
  const match = LISTENER_PATH.exec(path);
  if (!match || !['POST', 'PUT'].includes(method) || (match[1] === undefined && method === 'POST')) return '';
  const id = match[1] ?? '{id}';
  return `. To send a webhook, ${method} it to the listener's url, /hooks/${id}; /api/v1/listeners/{id} is the admin API`;
}
