/**
 * Drives the console without a browser: a supertest agent that keeps the
 * session cookie, signs in with a key, and reads each page's CSRF token.
 */
import supertest from 'supertest';
import type { RequestHandler } from '../../lib/app';

export interface ConsoleAgent {
  agent: supertest.Agent;
  csrf: string;
  /** GET a page and remember its CSRF token. */
  page(path: string): Promise<supertest.Response>;
  /** POST a form with the current CSRF token (unless `_csrf` is given). */
  submit(path: string, form?: Record<string, string>): Promise<supertest.Response>;
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no CSRF token');
  return match[1]!;
}

export async function consoleAgent(app: RequestHandler, key?: string): Promise<ConsoleAgent> {
  const agent = supertest.agent(app);
  const signIn = await agent.get('/console/sign-in');
  const result: ConsoleAgent = {
    agent,
    csrf: csrfOf(signIn.text),
    async page(path) {
      const response = await agent.get(path);
      const match = /name="_csrf" value="([^"]+)"/.exec(response.text);
      if (match) result.csrf = match[1]!;
      return response;
    },
    submit(path, form = {}) {
      return agent.post(path).type('form').send({ _csrf: result.csrf, ...form });
    },
  };
  if (key !== undefined) {
    const response = await result.submit('/console/sign-in', { key });
    if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
    await result.page('/console/listeners');
  }
  return result;
}
