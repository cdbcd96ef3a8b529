import { join } from 'node:path';
import { startApiServer } from './server.ts';

export const USAGE =
  'usage: kubeloop-apiserver [--port 8001] [--host 127.0.0.1] [--state-dir DIR [--fresh]] [--kubeconfig PATH] [--token TOKEN] [--no-simulate-deployments] [--no-simulate-jobs] [--job-completion-seconds N] [--watch-history N] [--verbose]\n' +
  '  Serves HTTPS only; every request but /healthz /readyz /livez /version needs the token in the kubeconfig (mode 0600).\n' +
  '  --state-dir DIR   keep objects, resourceVersions and credentials across restarts (kubeconfig default DIR/kubeconfig)\n' +
  '  --fresh           with --state-dir: start with no objects (resourceVersions still move forward)\n' +
  '  --token TOKEN     the bearer token (default: random on the first start of a state dir, or per start without one)\n';

/**
 * `kubeloop-apiserver`: runs local-apiserver until SIGINT/SIGTERM. The kubeconfig written (mode
 * 0600) carries the server's CA and bearer token; kubectl and operators use it as for any cluster.
 */
export function parseArgs(argv: string[]): {
  port: number;
  host: string;
  kubeconfig?: string;
  token?: string;
  stateDir?: string;
  fresh: boolean;
  simulateDeployments: boolean;
  simulateJobs: boolean;
  jobCompletionSeconds?: number;
  watchHistory?: number;
  verbose: boolean;
  help: boolean;
} {
  const out = {
    port: 8001,
    host: '127.0.0.1',
    fresh: false,
    simulateDeployments: true,
    simulateJobs: true,
    verbose: false,
    help: false,
  } as ReturnType<typeof parseArgs>;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value (see --help)`);
      return v;
    };
    switch (flag) {
      case '--port':
        out.port = Number(value());
        break;
      case '--host':
        out.host = value();
        break;
      case '--kubeconfig':
        out.kubeconfig = value();
        break;
      case '--token':
        out.token = value();
        break;
      case '--state-dir':
        out.stateDir = value();
        break;
      case '--fresh':
        out.fresh = true;
        break;
      case '--no-simulate-deployments':
        out.simulateDeployments = false;
        break;
      case '--no-simulate-jobs':
        out.simulateJobs = false;
        break;
      case '--job-completion-seconds':
        out.jobCompletionSeconds = Number(value());
        if (!Number.isFinite(out.jobCompletionSeconds) || out.jobCompletionSeconds < 0)
          throw new Error(`invalid --job-completion-seconds ${String(out.jobCompletionSeconds)}`);
        break;
      case '--watch-history':
        out.watchHistory = Number(value());
        break;
      case '--verbose':
      case '-v':
        out.verbose = true;
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new Error(`unknown flag ${argv[i]} (see --help)`);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`invalid --port ${out.port}`);
  if (out.fresh && !out.stateDir) throw new Error('--fresh needs --state-dir (without one every start is fresh)');
  if (out.stateDir && !out.kubeconfig) out.kubeconfig = join(out.stateDir, 'kubeconfig');
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const server = await startApiServer({
    port: args.port,
    host: args.host,
    ...(args.token ? { token: args.token } : {}),
    ...(args.stateDir ? { stateDir: args.stateDir, fresh: args.fresh } : {}),
    simulateDeployments: args.simulateDeployments,
    simulateJobs: !args.simulateJobs
      ? false
      : args.jobCompletionSeconds !== undefined
        ? { completeAfterSeconds: args.jobCompletionSeconds }
        : true,
    ...(args.watchHistory ? { watchHistory: args.watchHistory } : {}),
    logger: (line) => {
      const l = line as { level?: string };
      if (args.verbose || l.level === 'error') process.stderr.write(`${JSON.stringify(line)}\n`);
    },
  });
  if (args.kubeconfig) server.writeKubeconfig(args.kubeconfig);
  process.stdout.write(
    `${JSON.stringify({ msg: 'local-apiserver listening', url: server.url, kubeconfig: args.kubeconfig ?? null, stateDir: server.stateDir ?? null })}\n`,
  );
  if (!args.kubeconfig)
    process.stderr.write('no --kubeconfig: clients cannot get the token of this server (every start has a new one)\n');
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && /kubeloop-apiserver|cli\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
