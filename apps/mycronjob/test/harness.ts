import { Client, startLocalManager } from '@kubeloop/runtime';
import { operatorTestHarness } from '@kubeloop/envtest';
import { join } from 'node:path';
import { app, namespaced } from '../src/manifests.ts';
import { setupMycronjob } from '../src/setup.ts';
import type { MyCronJobControllerOptions } from '../src/controllers/my-cron-job.controller.ts';

/**
 * The CRDs as `nx run mycronjob:manifests` generates them (every version, conversion included)
 * in a control plane (the local API server; real binaries with KUBEBUILDER_ASSETS; an existing
 * cluster with USE_EXISTING_CLUSTER=true), a test namespace, and the manager running in this
 * process with its webhooks registered by URL: what `install` + `serve` give a user.
 * The second argument is the controller's options (a test's clock).
 * `client` is a user's own (field manager `mycronjob-test`).
 */
export const startMycronjob = operatorTestHarness({
  crdPaths: [join(import.meta.dirname, '../../../deploy/mycronjob/crd')],
  namespacePrefix: `${app}-`,
  async start({ cp, namespace }, options: MyCronJobControllerOptions = {}) {
    const local = await startLocalManager({
      name: app,
      kubeConfig: cp.kubeConfig,
      namespace: namespaced ? namespace : undefined,
      setup: (mgr) => setupMycronjob(mgr, options),
    });
    return { ...local, client: new Client(cp.kubeConfig, { fieldManager: `${app}-test` }) };
  },
});

export type MycronjobEnv = Awaited<ReturnType<typeof startMycronjob>>;
