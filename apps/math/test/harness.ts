import { createLogger, Client, crdFor, Manager } from '@kubeloop/runtime';
import { startControlPlane, type ControlPlane, type StartControlPlaneOptions } from '@kubeloop/envtest';
import { kinds } from '../src/manifests.ts';
import { setupMath } from '../src/setup.ts';

export interface MathEnv {
  cp: ControlPlane;
  client: Client;
  stop(): Promise<void>;
}

/**
 * A control plane (local-apiserver, or real binaries with KUBEBUILDER_ASSETS, or an existing
 * cluster) with the math CRDs installed and the math manager running in-process — what
 * `nx run math:install` + `nx run math:serve` give a user. Tests talk to the API server only
 * through the same client code path as the manager.
 */
export async function startMath(controlPlane: StartControlPlaneOptions = {}): Promise<MathEnv> {
  const cp = await startControlPlane({ ...controlPlane, crds: kinds.map((k) => crdFor(k)) });
  const abort = new AbortController();
  const mgr = new Manager({
    name: 'math',
    kubeConfig: cp.kubeConfig,
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    leaderElection: false,
    leaderElectionID: 'math.kubeloop.dev',
    gracefulShutdownMs: 5_000,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
  });
  setupMath(mgr);
  const running = mgr.start(abort.signal);
  running.catch(() => {});
  return {
    cp,
    client: new Client(cp.kubeConfig, { fieldManager: 'math-test' }),
    async stop() {
      abort.abort();
      await running.catch(() => {});
      await cp.stop();
    },
  };
}
