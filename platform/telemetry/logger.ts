import pino, { type Logger } from 'pino';
import { traceIds } from './spans';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * A service's JSON log (pino), the same for the gateway and the registries: each line names the
 * service and, inside a trace, its trace and span ids. Lines say what happened to a request (its id,
 * an error code), never whose data it was: values that could name a person are not logged anywhere,
 * and the fields below are censored should one be passed by mistake.
 */
export function createLogger(options: { service: string; level?: LogLevel; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      mixin: () => traceIds(),
      redact: {
        paths: ['variables', '*.variables', 'req.headers.authorization', 'headers.authorization', 'authorization', 'claims.subject', 'subject'],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
