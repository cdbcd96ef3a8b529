import { startControlPlane } from '../control-plane.ts';
import { apiRequest } from '../api-request.ts';
import { EnvtestError } from '../errors.ts';
import type { ControlPlane } from '../types.ts';

/** The cluster an end-to-end run uses: the current kubeconfig's, checked to run Pods. */
export interface E2ECluster extends ControlPlane {
  kind: 'existing';
  /** The kubeconfig's current context. */
  context: string;
  server: string;
  /** Names of the Ready nodes when the run started. */
  readyNodes: string[];
  /** The kind cluster's name when the context is a kind cluster (`kind-<name>`), for `kind load`. */
  kindCluster?: string;
}

/** No cluster that can run the suite: no kubeconfig, unreachable, or no Ready node. */
export class ClusterUnavailableError extends EnvtestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ClusterUnavailable', message, options);
  }
}

interface NodeList {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/**
 * Connects to the cluster of the current kubeconfig (KUBECONFIG, else ~/.kube/config) for an
 * end-to-end run, as kubebuilder's `make test-e2e` does, and refuses, with a message that says
 * what to do, when that cannot be a real run: no kubeconfig, a server that does not answer, or
 * no Ready node (a control plane alone never starts a Pod, so every check after it would time
 * out). An e2e suite calls this first and fails with this error: it never passes vacuously.
 */
export async function connectCluster(env: NodeJS.ProcessEnv = process.env): Promise<E2ECluster> {
  const hint =
    'The e2e suites need a cluster that runs Pods: kind (`kind create cluster`), minikube, or any kubeconfig (see README, "End-to-end tests").';
  let cp: ControlPlane;
  try {
    cp = await startControlPlane({ kind: 'existing', env });
  } catch (err) {
    throw new ClusterUnavailableError(`no cluster: ${(err as Error).message}. ${hint}`, { cause: err });
  }
  const context = cp.kubeConfig.getCurrentContext();
  const server = cp.kubeConfig.getCurrentCluster()!.server;
  let nodes: NodeList;
  try {
    const res = await apiRequest(cp.kubeConfig, 'GET', '/api/v1/nodes');
    if (res.status !== 200) throw new Error(`GET /api/v1/nodes answered ${res.status}: ${JSON.stringify(res.body)}`);
    nodes = res.body as NodeList;
  } catch (err) {
    await cp.stop();
    throw new ClusterUnavailableError(
      `the cluster of context "${context}" (${server}) cannot be used: ${(err as Error).message}. ${hint}`,
      { cause: err },
    );
  }
  const ready = nodes.items
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata.name);
  if (ready.length === 0) {
    await cp.stop();
    const all = nodes.items.map((n) => n.metadata.name);
    throw new ClusterUnavailableError(
      `the cluster of context "${context}" (${server}) has no Ready node (${all.length ? `nodes: ${all.join(', ')}` : 'no nodes at all'}). ${hint}`,
    );
  }
  const kindCluster = env.KIND_CLUSTER || (context.startsWith('kind-') ? context.slice('kind-'.length) : undefined);
  return { ...cp, kind: 'existing', context, server, readyNodes: ready, ...(kindCluster ? { kindCluster } : {}) };
}
