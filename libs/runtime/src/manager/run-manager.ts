import { createLogger } from '../logging.ts';
import { Manager } from './manager.ts';
import { managerOptionsFrom, managerUsage } from './options.ts';

export interface RunManagerOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Default process.exit; tests pass their own. */
  exit?: (code: number) => void;
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
    mgr = new Manager({ ...options, name, logger });
    await setup(mgr);
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
