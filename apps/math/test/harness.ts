import { Client, crdFor, startLocalManager } from '@kubeloop/runtime';
import { operatorTestHarness } from '@kubeloop/envtest';
import { kinds } from '../src/manifests.ts';
import { setupMath } from '../src/setup.ts';

/**
 * A control plane (local-apiserver, or real binaries with KUBEBUILDER_ASSETS, or an existing
 * cluster) with the math CRDs installed and the math manager running in-process — what
 * `nx run math:install` + `nx run math:serve` give a user. Tests talk to the API server only
 * through the same client code path as the manager.
 */
export const startMath = operatorTestHarness({
  crds: kinds.map((k) => crdFor(k)),
  namespacePrefix: 'math-',
  async start({ cp }) {
    const local = await startLocalManager({ name: 'math', kubeConfig: cp.kubeConfig, setup: setupMath });
    return { ...local, client: new Client(cp.kubeConfig, { fieldManager: 'math-test' }) };
  },
});

export type MathEnv = Awaited<ReturnType<typeof startMath>>;
