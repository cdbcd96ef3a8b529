import { Client, createLogger, ensureLocalWebhookCerts, Manager, registerLocalWebhooks } from '@kubeloop/runtime';
import {
  createTestNamespace,
  startControlPlane,
  type ControlPlane,
  type StartControlPlaneOptions,
} from '@kubeloop/envtest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, namespaced } from '../src/manifests.ts';
import { setupMycronjob } from '../src/setup.ts';
import type { MyCronJobControllerOptions } from '../src/controllers/my-cron-job.controller.ts';

const CRD_DIR = join(import.meta.dirname, '../../../deploy/mycronjob/crd');

export interface MycronjobEnv {
  cp: ControlPlane;
  /** A client of its own (field manager `mycronjob-test`), as a user would be. */
  client: Client;
  mgr: Manager;
  /** A fresh namespace for the test's objects. */
  namespace: string;
  stop(): Promise<void>;
}

/**
 * A control plane (the local API server; real binaries with KUBEBUILDER_ASSETS; an existing
 * cluster with USE_EXISTING_CLUSTER=true) with the mycronjob CRDs installed and the manager
 * running in this process — what `nx run mycronjob:install` + `serve` give a user. Its
 * webhooks (if any) are served on a free local port and registered by URL, as `serve` does.
 */
export async function startMycronjob(
  controlPlane: StartControlPlaneOptions = {},
  setupOptions: MyCronJobControllerOptions = {},
): Promise<MycronjobEnv> {
  // The generated CRDs (`nx run mycronjob:manifests`), as kubebuilder's suite_test installs
  // config/crd/bases: one CRD per kind with all its versions, conversion included (its URL is
  // registered below once the manager serves).
  const crdPaths = readdirSync(CRD_DIR)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .map((f) => join(CRD_DIR, f));
  const cp = await startControlPlane({ ...controlPlane, crdPaths });
  const namespace = await createTestNamespace(cp, `${app}-`);
  const certs = ensureLocalWebhookCerts(mkdtempSync(join(tmpdir(), `${app}-webhook-`)), ['127.0.0.1', 'localhost']);
  const mgr = new Manager({
    name: app,
    kubeConfig: cp.kubeConfig,
    ...(namespaced ? { namespace } : {}),
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    leaderElection: false,
    gracefulShutdownMs: 5_000,
    webhook: { port: 0, host: '127.0.0.1', certDir: certs.certDir },
    logger: createLogger({ level: process.env['LOG_LEVEL'] ?? 'silent' }),
  });
  setupMycronjob(mgr, setupOptions);
  const abort = new AbortController();
  const running = mgr.start(abort.signal);
  running.catch(() => {});
  const client = new Client(cp.kubeConfig, { fieldManager: `${app}-test` });
  const { webhook } = await mgr.serving();
  if (webhook)
    await registerLocalWebhooks(client, app, mgr.webhooks.registrations(), { url: webhook, caBundle: certs.caBundle });
  return {
    cp,
    client,
    mgr,
    namespace,
    async stop() {
      abort.abort();
      await running.catch(() => {});
      await cp.stop();
    },
  };
}
