/**
 * Structured JSON logs (pino). Secrets never go to logs: request bodies are not
 * logged at all outside debug sessions, and these paths are redacted wherever
 * they appear in a logged object.
 */
import pino, { type Logger } from 'pino';
import { MASK } from './security/redact';
import { stdoutDestination } from './log-destination';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hookport' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie', 'key', '*.secret', '*.secrets', '*.password', '*.passwords', '*.keys', '*.tokens', '*.verifyToken'],
        censor: MASK,
      },
    },
    destination ?? stdoutDestination(),
  );
}
