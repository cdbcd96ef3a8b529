/**
 * Child process holding the control plane for a benchmark: envtest's choice (local-apiserver by
 * default; real kube-apiserver + etcd with KUBEBUILDER_ASSETS; an existing cluster with
 * USE_EXISTING_CLUSTER=true). Keeping local-apiserver out of the measuring processes gives it a
 * core of its own and keeps its work out of the manager's event-loop and heap numbers.
 */
import { apiRequest, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import type { KubeConfig } from '@kubernetes/client-node';
import { mathCrds } from './math.ts';
import { fooCrd } from './sample-controller.ts';
import { serve } from './child.ts';

let cp: ControlPlane | undefined;

async function serverVersion(kc: KubeConfig): Promise<string> {
  try {
    const res = await apiRequest(kc, 'GET', '/version');
    return (res.body as { gitVersion?: string }).gitVersion ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

serve({
  async start(params: { kind?: 'local' | 'real' | 'existing'; watchHistory?: number; stateDir?: string }) {
    // A state directory starts empty (fresh), so runs stay comparable; only its cost is measured.
    cp = await startControlPlane({
      // Installed before kube-controller-manager starts, so its garbage collector knows them.
      crds: [...mathCrds(), fooCrd()],
      ...(params.kind ? { kind: params.kind } : {}),
      local: {
        simulateDeployments: false,
        ...(params.watchHistory ? { watchHistory: params.watchHistory } : {}),
        ...(params.stateDir ? { stateDir: params.stateDir, fresh: true } : {}),
      },
    });
    const version = await serverVersion(cp.kubeConfig);
    const label =
      cp.kind === 'local'
        ? `local-apiserver (${version})${params.stateDir ? ` with state dir ${params.stateDir}` : ''}`
        : cp.kind === 'real'
          ? `kube-apiserver ${version} + etcd (envtest)`
          : `existing cluster ${version}`;
    return { kubeconfigPath: cp.kubeconfigPath, kind: cp.kind, version, label };
  },
  /** CPU seconds this process has used: the local server's work, when the server lives here. */
  usage() {
    const cpu = process.cpuUsage();
    return { cpuSeconds: (cpu.user + cpu.system) / 1e6, rss: process.memoryUsage().rss };
  },
  async controllersIdle() {
    await cp?.local?.controllersIdle();
    return cp?.kind === 'local';
  },
  async shutdown() {
    await cp?.stop();
    cp = undefined;
  },
});
