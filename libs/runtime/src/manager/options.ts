import { KubeConfig } from '@kubernetes/client-node';
import type { ManagerOptions } from './manager.ts';

export class FlagError extends Error {
  readonly code = 'BadFlag';
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

const BOOLEAN_FLAGS = new Set(['leader-elect', 'local-webhooks']);
const VALUE_FLAGS = new Set([
  'metrics-bind-address',
  'health-probe-bind-address',
  'leader-election-id',
  'leader-election-namespace',
  'namespace',
  'kubeconfig',
  'webhook-port',
  'cert-dir',
  'log-level',
  'zap-log-level',
  'graceful-shutdown-timeout',
  'max-concurrent-reconciles',
]);

function parseBool(flag: string, v: string): boolean {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new FlagError(`--${flag}=${v}: expected true or false`);
}

function parseDuration(flag: string, v: string): number {
  // Go durations as controller-runtime flags take them (30s, 1m, 500ms), or plain milliseconds.
  if (/^\d+$/.test(v)) return Number(v);
  let total = 0;
  let rest = v;
  const re = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  while (rest) {
    const m = re.exec(rest);
    if (!m) throw new FlagError(`--${flag}=${v}: expected a duration such as 30s or 1m30s`);
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    rest = rest.slice(m[0].length);
  }
  return total;
}

function parsePort(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new FlagError(`--${flag}=${v}: expected a port number (0 for a free port)`);
  return n;
}

/** What `--help` prints: every flag with its environment variable and default. */
export function managerUsage(name: string): string {
  return [
    `Usage: ${name} [flags]   (every flag also reads its environment variable; flags win)`,
    '',
    '  --kubeconfig PATH                    KUBECONFIG; default: in-cluster, then ~/.kube/config',
    '  --namespace NS                       WATCH_NAMESPACE; watch one namespace (default: all)',
    '  --metrics-bind-address ADDR          METRICS_BIND_ADDRESS (default :8080; 0 disables)',
    '  --health-probe-bind-address ADDR     HEALTH_PROBE_BIND_ADDRESS (default :8081; 0 disables)',
    '  --leader-elect[=true|false]          LEADER_ELECT (default false)',
    '  --leader-election-id ID              LEADER_ELECTION_ID',
    '  --leader-election-namespace NS       LEADER_ELECTION_NAMESPACE',
    '  --webhook-port PORT                  WEBHOOK_PORT (default 9443); ENABLE_WEBHOOKS=false turns webhooks off',
    '  --cert-dir DIR                       WEBHOOK_CERT_DIR (tls.crt, tls.key; reloaded on change)',
    '  --local-webhooks[=true|false]        LOCAL_WEBHOOKS: serve webhooks on 127.0.0.1 with a local CA and register',
    "                                       them by URL (a manager run on the API server's machine: nx run <app>:serve)",
    '  --log-level LEVEL                    LOG_LEVEL (trace, debug, info, warn, error)',
    '  --graceful-shutdown-timeout DURATION GRACEFUL_SHUTDOWN_TIMEOUT (default 30s)',
    '  --max-concurrent-reconciles N        MAX_CONCURRENT_RECONCILES (per process)',
    '  -h, --help                           this text',
    '',
  ].join('\n');
}

/**
 * Manager options from kubebuilder's flags and their environment equivalents; flags win.
 * Unknown flags are an error (a typo must not silently run with defaults).
 *
 *   --metrics-bind-address (METRICS_BIND_ADDRESS, default :8080; 0 disables)
 *   --health-probe-bind-address (HEALTH_PROBE_BIND_ADDRESS, default :8081)
 *   --leader-elect[=bool] (LEADER_ELECT), --leader-election-id, --leader-election-namespace
 *   --namespace (WATCH_NAMESPACE), --kubeconfig (KUBECONFIG)
 *   --webhook-port (WEBHOOK_PORT, default 9443), --cert-dir (WEBHOOK_CERT_DIR), ENABLE_WEBHOOKS=false
 *   --log-level / --zap-log-level (LOG_LEVEL), --graceful-shutdown-timeout (30s)
 *   --max-concurrent-reconciles (per process)
 */
export function managerOptionsFrom(argv: string[], env: NodeJS.ProcessEnv = {}): Omit<ManagerOptions, 'name'> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}": flags look like --name=value`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, eq < 0 ? 'true' : arg.slice(eq + 1));
    } else if (VALUE_FLAGS.has(name)) {
      if (eq >= 0) flags.set(name, arg.slice(eq + 1));
      else if (i + 1 < argv.length) flags.set(name, argv[++i]!);
      else throw new FlagError(`--${name} needs a value`);
    } else {
      throw new FlagError(`unknown flag --${name}`);
    }
  }
  const get = (flag: string, envName?: string) => flags.get(flag) ?? (envName ? env[envName] || undefined : undefined);

  const opts: Omit<ManagerOptions, 'name'> = {
    metricsBindAddress: get('metrics-bind-address', 'METRICS_BIND_ADDRESS') ?? ':8080',
    healthProbeBindAddress: get('health-probe-bind-address', 'HEALTH_PROBE_BIND_ADDRESS') ?? ':8081',
    leaderElection: parseBool('leader-elect', get('leader-elect', 'LEADER_ELECT') ?? 'false'),
  };
  const id = get('leader-election-id', 'LEADER_ELECTION_ID');
  if (id) opts.leaderElectionID = id;
  const leNs = get('leader-election-namespace', 'LEADER_ELECTION_NAMESPACE');
  if (leNs) opts.leaderElectionNamespace = leNs;
  const ns = get('namespace', 'WATCH_NAMESPACE');
  if (ns) {
    if (ns.includes(','))
      throw new FlagError(`--namespace=${ns}: one namespace only (a manager watches one namespace or all of them)`);
    opts.namespace = ns;
  }
  const level = get('log-level', 'LOG_LEVEL') ?? get('zap-log-level');
  if (level) opts.logLevel = level;
  const grace = get('graceful-shutdown-timeout', 'GRACEFUL_SHUTDOWN_TIMEOUT');
  if (grace) opts.gracefulShutdownMs = parseDuration('graceful-shutdown-timeout', grace);
  const maxc = get('max-concurrent-reconciles', 'MAX_CONCURRENT_RECONCILES');
  if (maxc) opts.maxConcurrentReconciles = parsePort('max-concurrent-reconciles', maxc) || undefined;

  if (parseBool('local-webhooks', get('local-webhooks', 'LOCAL_WEBHOOKS') ?? 'false')) opts.localWebhooks = true;
  if (env.ENABLE_WEBHOOKS === 'false') {
    opts.webhook = false;
  } else {
    const port = get('webhook-port', 'WEBHOOK_PORT');
    const certDir = get('cert-dir', 'WEBHOOK_CERT_DIR');
    opts.webhook = { ...(port ? { port: parsePort('webhook-port', port) } : {}), ...(certDir ? { certDir } : {}) };
  }

  const kubeconfigPath = get('kubeconfig');
  if (kubeconfigPath) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    opts.kubeConfig = kc;
  }
  return opts;
}
