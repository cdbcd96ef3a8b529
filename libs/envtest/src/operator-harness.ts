import { startControlPlane, type StartControlPlaneOptions } from './control-plane.ts';
import { createTestNamespace } from './namespace.ts';
import type { ControlPlane } from './types.ts';

export interface OperatorHarnessOptions<T extends { stop(): Promise<void> }, O> {
  /** CRD files or directories to install (`deploy/<app>/crd`: all versions, conversion included). */
  crdPaths?: string[];
  /** CRD objects to install (`kinds.map((k) => crdFor(k))`). */
  crds?: object[];
  /** Prefix of the test namespace made for the suite (`<app>-`). */
  namespacePrefix: string;
  /**
   * Starts the app's manager against the control plane (runtime's `startLocalManager`) and returns
   * what the tests use; its stop() runs before the control plane stops. `namespace` is the
   * suite's namespace: a namespaced operator watches it.
   */
  start(ctx: { cp: ControlPlane; namespace: string }, options: O): Promise<T>;
}

/** What a suite gets: the control plane, its namespace, what start returned, and one stop() for all. */
export type OperatorTestEnv<T> = Omit<T, 'stop'> & {
  cp: ControlPlane;
  /** A fresh namespace for the test's objects (the one a namespaced manager watches). */
  namespace: string;
  stop(): Promise<void>;
};

/**
 * An operator's integration-test harness (what kubebuilder's suite_test.go sets up): a control
 * plane (local-apiserver; real binaries with KUBEBUILDER_ASSETS; an existing cluster with
 * USE_EXISTING_CLUSTER=true) with the app's CRDs installed before anything starts — on the real
 * path before kube-controller-manager, so its garbage collector knows the kinds — a test
 * namespace, and the manager running in this process: what `nx run <app>:install` + `serve`
 * give a user. The returned function takes control-plane options (a local stateDir for restart
 * tests) and the app's own start options (an injected clock).
 */
export function operatorTestHarness<T extends { stop(): Promise<void> }, O = undefined>(
  opts: OperatorHarnessOptions<T, O>,
): (controlPlane?: StartControlPlaneOptions, options?: O) => Promise<OperatorTestEnv<T>> {
  return async (controlPlane = {}, options) => {
    const cp = await startControlPlane({
      ...controlPlane,
      crdPaths: [...(controlPlane.crdPaths ?? []), ...(opts.crdPaths ?? [])],
      crds: [...(controlPlane.crds ?? []), ...(opts.crds ?? [])],
    });
    try {
      const namespace = await createTestNamespace(cp, opts.namespacePrefix);
      const started = await opts.start({ cp, namespace }, options as O);
      return {
        ...started,
        cp,
        namespace,
        async stop() {
          try {
            await started.stop();
          } finally {
            await cp.stop();
          }
        },
      };
    } catch (error) {
      await cp.stop();
      throw error;
    }
  };
}
