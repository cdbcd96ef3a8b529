import { Client, startLocalManager } from '@kubeloop/runtime';
import { operatorTestHarness } from '@kubeloop/envtest';
import { join } from 'node:path';
import { app, namespaced } from '../src/manifests.ts';
import { setupSampleController } from '../src/setup.ts';

/**
 * The CRDs as `nx run sample-controller:manifests` generates them (every version, conversion included)
 * in a control plane (the local API server; real binaries with KUBEBUILDER_ASSETS; an existing
 * cluster with USE_EXISTING_CLUSTER=true), a test namespace, and the manager running in this
 * process with its webhooks registered by URL: what `install` + `serve` give a user.
 * `client` is a user's own (field manager `sample-controller-test`).
 */
export const startSampleController = operatorTestHarness({
  crdPaths: [join(import.meta.dirname, '../../../deploy/sample-controller/crd')],
  namespacePrefix: `${app}-`,
  async start({ cp, namespace }) {
    const local = await startLocalManager({
      name: app,
      kubeConfig: cp.kubeConfig,
      namespace: namespaced ? namespace : undefined,
      setup: setupSampleController,
    });
    return { ...local, client: new Client(cp.kubeConfig, { fieldManager: `${app}-test` }) };
  },
});

export type SampleControllerEnv = Awaited<ReturnType<typeof startSampleController>>;
