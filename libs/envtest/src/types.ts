import type { KubeConfig } from '@kubernetes/client-node';
import type { LocalApiServer } from '@kubeloop/local-apiserver';

/** Which kind of API server a ControlPlane talks to. */
export type ControlPlaneKind = 'local' | 'real' | 'existing';

/**
 * A running API server for tests. Whatever its kind, tests use only `kubeConfig` (or
 * `kubeconfigPath` for child processes and kubectl), so the same suite runs against the local
 * API server, real binaries, or an existing cluster. `local` is there for the few tests that need
 * to poke the local server (restart, compaction); they must skip when it is undefined.
 */
export interface ControlPlane {
  kubeConfig: KubeConfig;
  kubeconfigPath: string;
  kind: ControlPlaneKind;
  local?: LocalApiServer;
  /**
   * Restarts the API server on the same address with the same objects, resourceVersions and
   * credentials — as a cluster's kube-apiserver restarts over its etcd: clients keep their
   * kubeconfig, their watches are cut and must resume. Real: kube-apiserver is stopped and started
   * again over the same etcd. Local: the server is stopped and a new one loads the state directory
   * (`startControlPlane({ local: { stateDir } })`; without one, restart() throws). Existing
   * clusters: undefined.
   */
  restart?(): Promise<void>;
  stop(): Promise<void>;
}

/** Anything envtest's helpers can talk to. */
export type Target = ControlPlane | KubeConfig;

export function kubeConfigOf(target: Target): KubeConfig {
  return 'kubeConfig' in target && 'stop' in target ? target.kubeConfig : target;
}
