import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from '@kubeloop/runtime';
import type { LogFormat } from './options.ts';

/** The components whose logs share the one stream; the prefix every pretty line starts with. */
export type Component = 'start' | 'apiserver' | 'math' | 'markdown-view' | 'books';

const COMPONENT_WIDTH = 13;
const COLORS: Record<string, number> = { start: 37, apiserver: 36, math: 33, 'markdown-view': 35, books: 32 };
const LEVEL_COLORS: Record<string, number> = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 31 };
const NUMERIC_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
/** Keys the prefix already shows, or that only machines want. */
const HIDDEN = new Set([
  'time',
  'level',
  'msg',
  'component',
  'logger',
  'pid',
  'hostname',
  'namespace',
  'name',
  'reconcileID',
  'err',
  'v',
]);

export interface PrettyOptions {
  color: boolean;
  /**
   * Print whole error stacks (default false: `Type: message` only). A terminal full of stacks
   * for routine errors (a 409 on a stale cache, retried at once) hides what matters; at debug
   * level, or in the JSON stream, the stacks are all there.
   */
  stacks?: boolean;
}

/**
 * One JSON log line → one human line: `12:00:01.234 math          INFO  msg key=value`. Stacks
 * of `err` follow indented. A line that is not JSON passes through unchanged, so nothing a
 * component writes is ever lost to the formatter.
 */
export function formatLogLine(line: string, opts: PrettyOptions): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const paint = (code: number | undefined, text: string) => (opts.color && code ? `\x1b[${code}m${text}\x1b[0m` : text);
  // A field that is not a string or number is shown as JSON (String() would print `[object Object]`).
  const text = (v: unknown, fallback: string) =>
    v === undefined || v === null ? fallback : typeof v === 'string' ? v : JSON.stringify(v);
  const component = text(entry['component'] ?? entry['logger'], 'start');
  const level =
    typeof entry['level'] === 'number'
      ? (NUMERIC_LEVELS[entry['level']] ?? String(entry['level']))
      : text(entry['level'], 'info');
  const time = clock(entry['time']);
  const parts: string[] = [];
  const namespace = entry['namespace'];
  const name = entry['name'];
  if (typeof name === 'string' && name)
    parts.push(typeof namespace === 'string' && namespace ? `${namespace}/${name}` : name);
  for (const [key, value] of Object.entries(entry)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    parts.push(`${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`);
  }
  const msg = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  let out = `${paint(90, time)} ${paint(COLORS[component] ?? 37, component.padEnd(COMPONENT_WIDTH))} ${paint(LEVEL_COLORS[level], level.toUpperCase().padEnd(5))} ${msg}`;
  if (parts.length > 0) out += ` ${paint(90, parts.join(' '))}`;
  const stack = errorText(entry['err'], opts.stacks ?? false);
  if (stack)
    out += `\n${stack
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}`;
  return out;
}

function clock(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  if (Number.isNaN(date.getTime())) return String(time);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function errorText(err: unknown, stacks: boolean): string | undefined {
  if (err === undefined || err === null) return undefined;
  if (typeof err === 'string') return err;
  if (typeof err === 'object') {
    const e = err as { stack?: unknown; message?: unknown; type?: unknown };
    if (stacks && typeof e.stack === 'string') return e.stack;
    if (typeof e.message === 'string') return `${typeof e.type === 'string' ? `${e.type}: ` : ''}${e.message}`;
    if (typeof e.stack === 'string') return e.stack;
  }
  return JSON.stringify(err);
}

/**
 * A pino destination that prints each line through formatLogLine. pino hands a destination
 * whole lines (synchronously, one write per event), so no buffering across writes is needed.
 */
export function prettyDestination(out: { write(text: string): unknown }, opts: PrettyOptions): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(`${formatLogLine(line, opts)}\n`);
    },
  };
}

export interface StartLoggerOptions {
  level: string;
  format: LogFormat;
  /** Where lines go (default stderr, so stdout holds only progress and the summary). */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * The root logger of `npm start`: the runtime's JSON logger (one line per event, ISO time), with
 * every component a child `{component}`; on a terminal the same lines are pretty-printed.
 */
export function createStartLogger(opts: StartLoggerOptions): Logger {
  const out = opts.out ?? process.stderr;
  const destination: DestinationStream =
    opts.format === 'pretty'
      ? prettyDestination(out, {
          color: Boolean(out.isTTY) && !process.env['NO_COLOR'],
          stacks: opts.level === 'debug' || opts.level === 'trace',
        })
      : { write: (chunk: string) => void out.write(chunk) };
  return createLogger({ level: opts.level, destination });
}

/** Adapts the local API server's `(line) => void` logger to a pino child. */
export function apiServerLogSink(log: Logger): (line: object) => void {
  return (line) => {
    const { level, msg, ...rest } = line as { level?: string; msg?: string } & Record<string, unknown>;
    const method =
      level && typeof (log as unknown as Record<string, unknown>)[level] === 'function' ? (level as 'info') : 'info';
    log[method](rest, msg ?? '');
  };
}
