import { apiCall, apiRequest } from '../api-request.ts';
import { eventually } from '../eventually.ts';
import type { ControlPlane } from '../types.ts';
import type { PodSpecLike } from './hardening.ts';

export interface PodLike {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: PodSpecLike;
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      state?: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
      lastState?: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
    }[];
  };
}

interface DeploymentLike {
  metadata: { generation?: number };
  spec: { replicas?: number; selector: { matchLabels?: Record<string, string> } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** The pods matching a label selector (`a=b,c=d`), running or not. */
export async function listPods(
  cp: Pick<ControlPlane, 'kubeConfig'>,
  namespace: string,
  selector: string,
): Promise<PodLike[]> {
  const list = await apiCall<{ items: PodLike[] }>(
    cp.kubeConfig,
    'GET',
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
  );
  return list.items;
}

/** One line per container that is not ready or has restarted, with why: for assertion messages. */
export function describePods(pods: PodLike[]): string {
  return pods
    .map((p) => {
      const containers = (p.status?.containerStatuses ?? []).map((c) => {
        const [state, detail] = Object.entries(c.state ?? {})[0] ?? ['unknown', undefined];
        const last = Object.entries(c.lastState ?? {})[0];
        return `${c.name} ready=${c.ready} restarts=${c.restartCount} ${state}${detail?.reason ? `(${detail.reason})` : ''}${
          last
            ? ` last=${last[0]}(${last[1]?.reason ?? ''} exit ${last[1]?.exitCode ?? '?'}: ${last[1]?.message ?? ''})`
            : ''
        }`;
      });
      return `pod ${p.metadata.namespace}/${p.metadata.name} ${p.status?.phase ?? '?'}: ${containers.join('; ') || 'no container status'}`;
    })
    .join('\n');
}

const selectorOf = (labels: Record<string, string> = {}) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * Waits until a Deployment has rolled out and is Available (every replica updated and available,
 * the Available condition True), and returns its pods. On timeout the error describes the pods'
 * containers (state, restarts, last termination), which is where a crash shows.
 */
export async function waitForDeploymentAvailable(
  cp: Pick<ControlPlane, 'kubeConfig'>,
  namespace: string,
  name: string,
  opts: { timeout?: number } = {},
): Promise<PodLike[]> {
  return eventually(
    async () => {
      const d = await apiCall<DeploymentLike>(
        cp.kubeConfig,
        'GET',
        `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      );
      const pods = await listPods(cp, namespace, selectorOf(d.spec.selector.matchLabels));
      const want = d.spec.replicas ?? 1;
      const available = d.status?.conditions?.find((c) => c.type === 'Available');
      const ok =
        (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        d.status?.updatedReplicas === want &&
        d.status?.availableReplicas === want &&
        available?.status === 'True';
      if (!ok)
        throw new Error(
          `deployment ${namespace}/${name}: ${d.status?.availableReplicas ?? 0}/${want} available, Available=${available?.status ?? '-'} ${available?.message ?? ''}\n${describePods(pods)}`,
        );
      return pods.filter((p) => p.status?.phase === 'Running');
    },
    { timeout: opts.timeout ?? 180_000, interval: 1000 },
  );
}

/** Resolves when GET path answers 404 (the object is gone), within the timeout. */
export async function waitForGone(
  cp: Pick<ControlPlane, 'kubeConfig'>,
  path: string,
  opts: { timeout?: number } = {},
): Promise<void> {
  await eventually(
    async () => {
      const res = await apiRequest(cp.kubeConfig, 'GET', path);
      if (res.status !== 404) throw new Error(`${path} still answers ${res.status}`);
    },
    { timeout: opts.timeout ?? 120_000, interval: 1000 },
  );
}
