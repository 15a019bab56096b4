/** Calls to the admin API of a server running as a child process (see child-server.ts). */
export type ChildApi = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export function childApi(baseUrl: string, key: string): ChildApi {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
}

/** POSTs a JSON webhook signed with HTTP Basic credentials; resolves the status. */
export async function sendBasicHook(baseUrl: string, listenerId: string, credentials: string, body: unknown): Promise<number> {
  const response = await fetch(`${baseUrl}/hooks/${listenerId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}
