/**
 * Console sign-in sessions, kept in this process's memory. The browser holds only
 * a random session id in an httpOnly cookie; the API key itself is never stored
 * (the session names the key's record, re-read on every request so a revoked key
 * ends its sessions at once). Sessions end after `idleMinutes` without a request
 * or `maxHours` after sign-in, and with a restart of the process.
 *
 * A session without a key (`keyId: null`) exists before sign-in only to carry the
 * CSRF token of the sign-in form.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock';

/** The cookie that carries the session id (Path=/console). */
export const SESSION_COOKIE = 'hookport_console';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
  /** A secret or key shown once, on the next page only. */
  secret?: string;
}

export interface ConsoleSession {
  id: string;
  csrf: string;
  keyId: string | null;
  createdAt: number;
  lastSeenAt: number;
  flash?: Flash;
}

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
  /** Cap on sessions held; the least recently used go first past it. */
  maxSessions: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMinutes: 30, maxHours: 12, maxSessions: 10_000 };

function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export class ConsoleSessions {
  /** Insertion order is least recently used first: `get` re-inserts. */
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly clock: Clock, private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  create(keyId: string | null): ConsoleSession {
    const now = this.clock.now();
    const session: ConsoleSession = { id: randomToken(), csrf: randomToken(), keyId, createdAt: now, lastSeenAt: now };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.limits.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    return session;
  }

  /** The live session with this id (touched), or undefined when unknown or expired. */
  get(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock.now();
    const idle = now - session.lastSeenAt > this.limits.idleMinutes * 60_000;
    const old = now - session.createdAt > this.limits.maxHours * 3_600_000;
    if (idle || old) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }
}
