/** Sign in with an API key, sign out. The key is checked once and never kept. */
import type { Router } from 'express';
import { isAppError } from '../../errors';
import type { ConsoleDeps, ConsoleHandle } from '../index';
import { MOUNT, text, type ConsoleKit } from '../kit';
import { SESSION_COOKIE } from '../sessions';

export function addSignInPages(router: Router, kit: ConsoleKit, handle: ConsoleHandle, deps: ConsoleDeps): void {
  router.get('/sign-in', (req, res) => {
    if (req.consoleKey) return kit.redirect(res, '/listeners');
    // A session without a key carries the sign-in form's CSRF token.
    if (!req.consoleSession) handle.startSession(req, res, null);
    kit.render(req, res, 'sign-in', { title: 'Sign in' });
  });

  router.post('/sign-in', async (req, res) => {
    let key;
    try {
      // The API's own key check: the same limit on failed attempts per address.
      key = await deps.routes.checkKey(text(req.body, 'key'), req);
    } catch (error) {
      if (!isAppError(error) || (error.status !== 401 && error.status !== 429)) throw error;
      const message = error.status === 429 ? error.detail : 'That is not a valid API key.';
      for (const [name, value] of Object.entries(error.headers)) if (name === 'Retry-After') res.setHeader(name, value);
      kit.render(req, res, 'sign-in', { title: 'Sign in', error: message }, error.status);
      return;
    }
    // A new session id at sign-in: an id seen before signing in is worth nothing after.
    handle.sessions.destroy(req.consoleSession!.id);
    handle.startSession(req, res, key.id);
    res.redirect(303, `${MOUNT}/listeners`);
  });

  router.post('/sign-out', (req, res) => {
    if (req.consoleSession) handle.sessions.destroy(req.consoleSession.id);
    res.clearCookie(SESSION_COOKIE, { path: MOUNT });
    res.redirect(303, `${MOUNT}/sign-in`);
  });
}
