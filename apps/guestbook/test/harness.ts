import { Client, startLocalManager } from '@kubeloop/runtime';
import { operatorTestHarness } from '@kubeloop/envtest';
import { join } from 'node:path';
import { app, namespaced } from '../src/manifests.ts';
import { setupGuestbook } from '../src/setup.ts';

/**
 * The CRDs as `nx run guestbook:manifests` generates them (every version, conversion included)
 * in a control plane (the local API server; real binaries with KUBEBUILDER_ASSETS; an existing
 * cluster with USE_EXISTING_CLUSTER=true), a test namespace, and the manager running in this
 * process with its webhooks registered by URL: what `install` + `serve` give a user.
 * The manager watches only the test namespace (its WATCH_NAMESPACE).
 * `client` is a user's own (field manager `guestbook-test`).
 */
export const startGuestbook = operatorTestHarness({
  crdPaths: [join(import.meta.dirname, '../../../deploy/guestbook/crd')],
  namespacePrefix: `${app}-`,
  async start({ cp, namespace }) {
    const local = await startLocalManager({
      name: app,
      kubeConfig: cp.kubeConfig,
      namespace: namespaced ? namespace : undefined,
      setup: setupGuestbook,
    });
    return { ...local, client: new Client(cp.kubeConfig, { fieldManager: `${app}-test` }) };
  },
});

export type GuestbookEnv = Awaited<ReturnType<typeof startGuestbook>>;
