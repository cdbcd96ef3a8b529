import { startApiServer } from './server.ts';

/**
 * `kubeloop-apiserver [--port 8001] [--host 127.0.0.1] [--kubeconfig path] [--token T] [--https]
 * [--no-simulate-deployments] [--no-simulate-jobs] [--job-completion-seconds N] [--watch-history N]
 * [--verbose]`: runs local-apiserver until SIGINT/SIGTERM. The kubeconfig written (mode 0600) points
 * kubectl and operators at it and holds the bearer token (`--token`: then every request but the
 * health checks needs it).
 */
export function parseArgs(argv: string[]): {
  port: number;
  host: string;
  kubeconfig?: string;
  token?: string;
  https: boolean;
  simulateDeployments: boolean;
  simulateJobs: boolean;
  jobCompletionSeconds?: number;
  watchHistory?: number;
  verbose: boolean;
} {
  const out = {
    port: 8001,
    host: '127.0.0.1',
    https: false,
    simulateDeployments: true,
    simulateJobs: true,
    verbose: false,
  } as ReturnType<typeof parseArgs>;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
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
      case '--https':
        out.https = true;
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
        process.stdout.write(
          'usage: kubeloop-apiserver [--port 8001] [--host 127.0.0.1] [--kubeconfig PATH] [--token TOKEN] [--https] [--no-simulate-deployments] [--no-simulate-jobs] [--job-completion-seconds N] [--watch-history N] [--verbose]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${argv[i]} (see --help)`);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`invalid --port ${out.port}`);

  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await startApiServer({
    port: args.port,
    host: args.host,
    https: args.https,
    ...(args.token ? { token: args.token } : {}),
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
    `${JSON.stringify({ msg: 'local-apiserver listening', url: server.url, kubeconfig: args.kubeconfig ?? null })}\n`,
  );
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
