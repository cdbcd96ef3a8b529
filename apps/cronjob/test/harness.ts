import { Client, startLocalManager } from '@kubeloop/runtime';
import { operatorTestHarness } from '@kubeloop/envtest';
import { join } from 'node:path';
import { app, namespaced } from '../src/manifests.ts';
import { setupCronjob } from '../src/setup.ts';
import type { CronJobControllerOptions } from '../src/controllers/cron-job.controller.ts';

/**
 * The CRDs as `nx run cronjob:manifests` generates them (every version, conversion included)
 * in a control plane (the local API server; real binaries with KUBEBUILDER_ASSETS; an existing
 * cluster with USE_EXISTING_CLUSTER=true), a test namespace, and the manager running in this
 * process with its webhooks registered by URL: what `install` + `serve` give a user.
 * The second argument is the controller's options (a test's clock).
 * `client` is a user's own (field manager `cronjob-test`).
 */
export const startCronjob = operatorTestHarness({
  crdPaths: [join(import.meta.dirname, '../../../deploy/cronjob/crd')],
  namespacePrefix: `${app}-`,
  async start({ cp, namespace }, options: CronJobControllerOptions = {}) {
    const local = await startLocalManager({
      name: app,
      kubeConfig: cp.kubeConfig,
      namespace: namespaced ? namespace : undefined,
      setup: (mgr) => setupCronjob(mgr, options),
    });
    return { ...local, client: new Client(cp.kubeConfig, { fieldManager: `${app}-test` }) };
  },
});

export type CronjobEnv = Awaited<ReturnType<typeof startCronjob>>;
