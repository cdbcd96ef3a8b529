import { isAbsolute, resolve } from 'node:path';
import { UsageError } from './errors.ts';

export type LogFormat = 'pretty' | 'json';

export interface StartOptions {
  /** The local API server's port (`--port`, KUBELOOP_PORT; default 8001, as `kubectl proxy`). */
  port: number;
  /** The first book's port; further MarkdownViews get the next free ports (`--book-port`). */
  bookPort: number;
  /** The markdown-view webhook server's port; 0 picks a free one (`--webhook-port`). */
  webhookPort: number;
  /** Every listener binds here: the demo is for this machine only. */
  host: string;
  /**
   * Absolute path of the state directory: the API server's objects and credentials
   * (`apiserver/`, kept across starts), kubeconfig, webhook certificates, book files.
   */
  stateDir: string;
  /** Start the API server with no objects (`--fresh`); resourceVersions still move forward. */
  fresh: boolean;
  logLevel: string;
  logFormat: LogFormat;
  /** Serve the apps' webhooks: admission and conversion (`--no-webhooks` turns them off). */
  webhooks: boolean;
  /** Apply the samples of deploy/<app>/samples (`--no-samples`). */
  samples: boolean;
  help: boolean;
}

export const DEFAULT_PORT = 8001;
export const DEFAULT_BOOK_PORT = 3001;

export const USAGE = `Usage: npm start -- [options]

Starts a local Kubernetes API server with every operator app of the workspace (math,
markdown-view, cronjob, mycronjob, ...: apps/*/src/manifests.ts), applies their samples, and
serves each MarkdownView's book. Nothing runs Pods: each book is served by a local
markdown-viewer standing in for the viewer Deployment, and Jobs complete after 10 s (simulated).

Options:
  --port <n>          API server port (default ${DEFAULT_PORT}; env KUBELOOP_PORT)
  --book-port <n>     first book port; more books take the next ones (default ${DEFAULT_BOOK_PORT}; env KUBELOOP_BOOK_PORT)
  --webhook-port <n>  the first webhook server's port (default 0: any free port; others take free ports)
  --state-dir <dir>   the API server's objects (kept across starts), kubeconfig, certificates and
                      book files (default .kubeloop; env KUBELOOP_STATE_DIR)
  --fresh             start with no objects (the samples are applied again); without it a start
                      continues with the objects of the last one
  --log-level <lvl>   trace|debug|info|warn|error|silent (default info; env LOG_LEVEL)
  --log-format <f>    pretty|json (default: pretty on a terminal, json otherwise)
  --no-webhooks       do not serve the apps' webhooks (admission, and CronJob's v1<->v2 conversion)
  --no-samples        do not apply the samples (they are applied only to a new or --fresh state)
  -h, --help          show this text
`;

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

interface Context {
  /** Whether the log stream is a terminal: decides the default log format. */
  isTTY: boolean;
  cwd: string;
}

/**
 * Flags win over environment variables, which win over defaults. Ports accept 1..65535 only
 * where a fixed, printed address is promised (API server, books); the webhook port may be 0.
 */
export function parseStartOptions(argv: readonly string[], env: NodeJS.ProcessEnv, ctx: Context): StartOptions {
  const flags = new Map<string, string | true>();
  const valued = new Set(['--port', '--book-port', '--webhook-port', '--state-dir', '--log-level', '--log-format']);
  const switches = new Set(['--no-webhooks', '--no-samples', '--fresh', '--help', '-h']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (switches.has(name) && eq < 0) {
      flags.set(name === '-h' ? '--help' : name, true);
    } else if (valued.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  const str = (flag: string, envName?: string): string | undefined => {
    const v = flags.get(flag);
    if (typeof v === 'string') return v;
    return envName && env[envName] ? env[envName] : undefined;
  };
  const port = (flag: string, envName: string | undefined, fallback: number, min: number): number => {
    const raw = str(flag, envName);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > 65535) {
      const source = typeof flags.get(flag) === 'string' ? flag : envName;
      throw new UsageError(`${source} must be a port number between ${min} and 65535, not "${raw}"`);
    }
    return n;
  };
  const logLevel = str('--log-level', 'LOG_LEVEL') ?? 'info';
  if (!LEVELS.has(logLevel))
    throw new UsageError(`--log-level must be one of ${[...LEVELS].join(', ')}, not "${logLevel}"`);
  const format = str('--log-format') ?? (ctx.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty' && format !== 'json')
    throw new UsageError(`--log-format must be pretty or json, not "${format}"`);
  const stateDir = str('--state-dir', 'KUBELOOP_STATE_DIR') ?? '.kubeloop';
  return {
    port: port('--port', 'KUBELOOP_PORT', DEFAULT_PORT, 1),
    bookPort: port('--book-port', 'KUBELOOP_BOOK_PORT', DEFAULT_BOOK_PORT, 1),
    webhookPort: port('--webhook-port', undefined, 0, 0),
    host: '127.0.0.1',
    stateDir: isAbsolute(stateDir) ? stateDir : resolve(ctx.cwd, stateDir),
    fresh: flags.has('--fresh'),
    logLevel,
    logFormat: format,
    webhooks: !flags.has('--no-webhooks'),
    samples: !flags.has('--no-samples'),
    help: flags.has('--help'),
  };
}
