import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The logger type every runtime API accepts: a pino logger (children carry context fields). */
export type Logger = PinoLogger;

export interface LoggerOptions {
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
    name: opts.name,
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    base: opts.base ?? {},
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that drops everything: the default where a component got none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
