import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The logger type every runtime API accepts: a pino logger (children carry context fields). */
export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Written as `logger` on every line (not `name`: that is the reconciled object's name). */
  name?: string;
  /** Default: $LOG_LEVEL, else 'info'. */
  level?: string;
  /** Default: stdout. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/**
 * One JSON line per event on stdout, timestamps in ISO form, `msg` as the message key — what
 * log pipelines in clusters expect. Components derive children (`logger.child({ controller })`)
 * instead of creating more root loggers.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    // pino's own `name` key would collide with the object `name` every reconcile line carries.
    base: { ...(opts.name ? { logger: opts.name } : {}), ...(opts.base ?? {}) },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that drops everything: the default where a component got none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
