import type { KubeConfig } from '@kubernetes/client-node';
import { ensureLocalWebhookCerts, Manager, registerLocalWebhooks, type Logger } from '@kubeloop/runtime';
import { eventually } from '@kubeloop/envtest';
import { loadSetup, type OperatorApp } from './apps.ts';
import { StepTimeoutError } from './errors.ts';

export interface OperatorsOptions {
  kubeConfig: KubeConfig;
  /** Root logger; each manager logs through a child `{component: <app>}`. */
  log: Logger;
  host: string;
  /** The operator apps to run (discoverOperatorApps). */
  apps: readonly OperatorApp[];
  /**
   * Webhook servers of the apps that have webhooks (certificates are made in certDir); absent =
   * no webhooks. The first such app listens on `port`, the others on free ports.
   */
  webhook?: { port: number; certDir: string };
  /** How long the managers may take to sync their caches and start controllers (default 30 s). */
  timeoutMs?: number;
}

export interface Operators {
  /** Where the API server calls each app's webhooks (registered before this resolves). */
  webhookUrls: Record<string, string>;
  /** Rejects when a manager stops with an error while the demo runs. */
  failed: Promise<never>;
  /** Stops every manager (in-flight reconciles drain for up to 5 s). */
  stop(): Promise<void>;
}

/** Short enough that Ctrl-C is answered within seconds; the demo's reconciles take milliseconds. */
const GRACEFUL_SHUTDOWN_MS = 5_000;

/**
 * The operators as their main.ts files set them up, in this process: each its own Manager
 * (own client, cache, fieldManager, event source) with the app's controllers, and the apps with
 * webhooks (admission, conversion) serving them on a local certificate. What differs from a
 * cluster deployment is only what a laptop needs: no leader election (one replica), no metrics
 * or probe listeners (no ports to collide with), and loggers that join the one `npm start` stream.
 */
export async function startOperators(opts: OperatorsOptions): Promise<Operators> {
  const common = {
    kubeConfig: opts.kubeConfig,
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    leaderElection: false,
    gracefulShutdownMs: GRACEFUL_SHUTDOWN_MS,
  };
  const caBundle = opts.webhook
    ? ensureLocalWebhookCerts(opts.webhook.certDir, ['localhost', opts.host]).caBundle
    : undefined;
  let fixedPortTaken = false;
  const managers: Manager[] = [];
  for (const app of opts.apps) {
    let webhook: { port: number; certDir: string; host: string } | false = false;
    if (app.webhooks && opts.webhook) {
      webhook = { port: fixedPortTaken ? 0 : opts.webhook.port, certDir: opts.webhook.certDir, host: opts.host };
      fixedPortTaken = true;
    }
    const mgr = new Manager({ ...common, name: app.name, webhook, logger: opts.log.child({ component: app.name }) });
    (await loadSetup(app))(mgr as never);
    managers.push(mgr);
  }

  const abort = new AbortController();
  const runs = managers.map((m) => m.start(abort.signal));
  let stopping = false;
  const failed = Promise.race(
    runs.map((run, i) =>
      run.then(
        () => {
          if (!stopping) throw new Error(`manager ${managers[i]!.name} stopped unexpectedly`);
          return new Promise<never>(() => {});
        },
        (error: unknown) => {
          if (stopping) return new Promise<never>(() => {});
          throw error;
        },
      ),
    ),
  );
  // Handled by whoever awaits `failed`; this keeps a failure during shutdown from being "unhandled".
  failed.catch(() => {});
  const stop = async () => {
    stopping = true;
    abort.abort();
    await Promise.allSettled(runs);
  };

  try {
    // A manager that fails while starting (webhook port taken, caches not syncing) rejects its
    // start(); race that against "every manager leads", which here means controllers running.
    await Promise.race([
      failed,
      eventually(
        () => {
          const waiting = managers.filter((m) => !m.isLeader()).map((m) => m.name);
          if (waiting.length > 0) throw new Error(waiting.join(', '));
        },
        { timeout: opts.timeoutMs ?? 30_000, interval: 50 },
      ).catch((error: unknown) => {
        throw new StepTimeoutError(
          'managers',
          `caches to sync and controllers to start (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : ''})`,
          opts.timeoutMs ?? 30_000,
        );
      }),
    ]);
    const webhookUrls: Record<string, string> = {};
    for (const mgr of managers) {
      const url = caBundle ? (await mgr.serving()).webhook : undefined;
      if (!url || !caBundle) continue;
      // The app's own local-run configurations (as `nx run <app>:serve` registers them): same
      // names, rules and failure policy as deploy/<app>/webhook, reached by URL; a conversion
      // webhook is set on its CRD.
      await registerLocalWebhooks(mgr.client, mgr.name, mgr.webhooks.registrations(), { url, caBundle });
      webhookUrls[mgr.name] = url;
    }
    return { webhookUrls, failed, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
