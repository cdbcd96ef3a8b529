import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { createLogger, type Logger } from '../logging.ts';
import { ensureLocalWebhookCerts } from '../webhook/local-certs.ts';
import { registerLocalWebhooks } from '../webhook/local-registration.ts';
import { Manager, type ManagerOptions } from './manager.ts';

export interface LocalManagerOptions<R> {
  /** The app's name: manager name, fieldManager, and the names of its webhook configurations. */
  name: string;
  kubeConfig: KubeConfig;
  /** Watch only this namespace (a namespaced operator's WATCH_NAMESPACE). */
  namespace?: string;
  /** The app's setup (what its main.ts passes to runManager); what it returns is handed back. */
  setup: (mgr: Manager) => R;
  /** Default: silent unless $LOG_LEVEL is set. */
  logger?: Logger;
  /** Anything else of ManagerOptions (leader election stays off). */
  managerOptions?: Partial<Omit<ManagerOptions, 'name' | 'kubeConfig' | 'namespace' | 'webhook' | 'logger'>>;
}

export interface LocalManager<R> {
  mgr: Manager;
  /** What setup returned (markdown-view's availability gauge). */
  setup: R;
  /** https://127.0.0.1:PORT of the webhook server; undefined when the app registers no webhooks. */
  webhookUrl?: string;
  /** The CA that signed the webhook server's certificate, PEM. */
  caPem: string;
  /** Stops the manager (in-flight reconciles drain for up to 5 s). */
  stop(): Promise<void>;
}

/**
 * The app's manager in this process, as `nx run <app>:serve` runs it beside a local or envtest
 * API server: no leader election, no metrics or probe listeners (nothing to collide with), its
 * webhooks (admission and conversion) served on a free port of 127.0.0.1 with a fresh CA and
 * registered with the API server by URL before this resolves. A remote API server cannot call
 * back to 127.0.0.1: this is for test and laptop control planes only.
 */
export async function startLocalManager<R>(opts: LocalManagerOptions<R>): Promise<LocalManager<R>> {
  const certs = ensureLocalWebhookCerts(mkdtempSync(join(tmpdir(), `${opts.name}-webhook-`)), [
    '127.0.0.1',
    'localhost',
  ]);
  const mgr = new Manager({
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    gracefulShutdownMs: 5_000,
    ...opts.managerOptions,
    leaderElection: false,
    name: opts.name,
    kubeConfig: opts.kubeConfig,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    webhook: { port: 0, host: '127.0.0.1', certDir: certs.certDir },
    logger: opts.logger ?? createLogger({ level: process.env['LOG_LEVEL'] ?? 'silent' }),
  });
  const setup = opts.setup(mgr);
  const abort = new AbortController();
  const running = mgr.start(abort.signal);
  running.catch(() => {});
  const stop = async () => {
    abort.abort();
    await running.catch(() => {});
  };
  try {
    const { webhook } = await Promise.race([mgr.serving(), running.then(() => ({ webhook: undefined }))]);
    if (webhook)
      await registerLocalWebhooks(mgr.client, opts.name, mgr.webhooks.registrations(), {
        url: webhook,
        caBundle: certs.caBundle,
      });
    return { mgr, setup, webhookUrl: webhook, caPem: certs.caPem, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
