import { resolve } from 'node:path';
import { createLogger } from '../logging.ts';
import { ensureLocalWebhookCerts } from '../webhook/local-certs.ts';
import { registerLocalWebhooks } from '../webhook/local-registration.ts';
import { Manager, type ManagerOptions } from './manager.ts';
import { FlagError, managerOptionsFrom, managerUsage } from './options.ts';

export interface RunManagerOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Default process.exit; tests pass their own. */
  exit?: (code: number) => void;
  /**
   * The manager watches one namespace, WATCH_NAMESPACE (or --namespace), and must be told
   * which: its RBAC is a Role in that namespace (kubebuilder's `init --namespaced`). Unset, it
   * exits 1 instead of watching every namespace it may not read.
   */
  namespaced?: boolean;
  /** Where `--local-webhooks` keeps its CA and certificate (default .kubeloop/<name>/webhook-certs). */
  localCertDir?: string;
}

/**
 * `--local-webhooks`: a self-signed CA and serving certificate (reused while valid) and the
 * webhook server on 127.0.0.1, then — once it listens — the app's webhook configurations (and
 * conversion CRDs) registered with that URL. Works when the API server runs on this machine
 * (the local API server, an envtest or kind control plane); a remote API server cannot call
 * back. A --cert-dir given explicitly is used as it is.
 */
function localWebhooks(name: string, options: Omit<ManagerOptions, 'name'>, certDir: string | undefined) {
  if (!options.localWebhooks || options.webhook === false) return undefined;
  const dir = options.webhook?.certDir ?? certDir ?? resolve('.kubeloop', name, 'webhook-certs');
  const { caBundle } = ensureLocalWebhookCerts(dir, ['localhost', '127.0.0.1']);
  options.webhook = { ...options.webhook, certDir: dir, host: '127.0.0.1' };
  return { caBundle };
}

/**
 * The whole `main.ts` of an operator: options from flags and environment, a JSON logger, the
 * setup callback to add controllers and webhooks, then run until SIGTERM/SIGINT. The first
 * signal drains (in-flight reconciles finish within the grace period, the lease is released)
 * and exits 0; a second signal exits 1 at once. Failures (lost lease, bad flags, unreachable
 * API server) exit 1 so the pod restarts.
 */
export async function runManager(
  name: string,
  setup: (mgr: Manager) => void | Promise<void>,
  opts: RunManagerOptions = {},
): Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const env = opts.env ?? process.env;
  const argv = opts.argv ?? process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(managerUsage(name));
    exit(0);
    return;
  }
  let logger = createLogger({ name, level: env.LOG_LEVEL });
  let mgr: Manager;
  try {
    const options = managerOptionsFrom(argv, env);
    logger = createLogger({ name, level: options.logLevel ?? env.LOG_LEVEL });
    if (opts.namespaced && !options.namespace)
      throw new FlagError(
        `Unable to get WATCH_NAMESPACE: ${name} is namespace-scoped (its RBAC is a Role in one namespace); set WATCH_NAMESPACE or --namespace to the namespace it watches`,
      );
    const local = localWebhooks(name, options, opts.localCertDir);
    mgr = new Manager({ ...options, name, logger });
    await setup(mgr);
    const registrations = mgr.webhooks.registrations();
    if (local && registrations.length > 0) {
      const manager = mgr;
      mgr.add({
        needLeaderElection: false,
        async start() {
          const url = (await manager.serving()).webhook;
          if (!url) return;
          const registered = await registerLocalWebhooks(manager.client, name, registrations, {
            url,
            caBundle: local.caBundle,
          });
          logger.info({ url, ...registered }, 'registered the webhooks of this local manager');
        },
      });
    }
  } catch (err) {
    logger.fatal({ err }, 'setting up the manager failed');
    exit(1);
    return;
  }
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      logger.warn({ signal: sig }, 'second signal: exiting without draining');
      exit(1);
      return;
    }
    logger.info({ signal: sig }, 'shutdown signal received; draining');
    abort.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await mgr.start(abort.signal);
    logger.info('manager stopped cleanly');
    logger.flush();
    exit(0);
  } catch (err) {
    logger.fatal({ err }, 'manager failed');
    logger.flush();
    exit(1);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
