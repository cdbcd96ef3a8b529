/**
 * A SIMULATION of kube-controller-manager's deployment and replicaset controllers (§9.4 DEP-3).
 * local-apiserver runs no kubelet and no Pods, yet operators wait for their Deployments to
 * become available. This controller makes every Deployment look as if its Pods started and
 * became ready at once:
 *
 * - the current pod template gets a ReplicaSet `<deployment>-<pod-template-hash>` owned by the
 *   Deployment (controller reference, `pod-template-hash` label in its selector and template),
 *   with `spec.replicas` and a status of that many ready, available Pods; ReplicaSets of older
 *   templates are scaled to 0 (so a rollout shows up as a new ReplicaSet);
 * - the Deployment's status says every replica is updated, ready and available, with
 *   `observedGeneration` = `generation` and the conditions Available (MinimumReplicasAvailable)
 *   and Progressing (NewReplicaSetAvailable).
 *
 * No Pod objects are created, `paused` and rollout strategies are ignored, and the hash is not
 * the one kube-controller-manager computes (same shape, different value). Turn it off with
 * `simulateDeployments: false` / `setDeploymentSimulation(false)` to test code that must cope
 * with Deployments that never become ready.
 */
import type { ApiEngine } from '../engine/api-engine.ts';
import type { ControllerApi, GroupVersionResource, KubeObject, OwnerReference, Obj } from '../types.ts';
import { startSweeping, type SweepingController } from './sweeper.ts';

const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
const REPLICASETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';

/** Go's rand.SafeEncodeString alphabet: no vowels, no confusable characters. */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Stable JSON (sorted keys) so that equal templates hash equally. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Obj)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The `pod-template-hash` of a pod template: FNV-32a, then safe-encoded like the real one. */
export function podTemplateHash(template: unknown): string {
  const digits = String(fnv32a(canonical(template ?? {})));
  return [...digits].map((d) => SAFE[Number(d) % SAFE.length]).join('');
}

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function isOwnedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata?.uid);
}

function condition(prev: Obj[] | undefined, type: string, reason: string, message: string, now: string): Obj {
  const old = prev?.find((c) => c.type === type);
  const same = old && old.status === 'True' && old.reason === reason;
  return {
    type,
    status: 'True',
    lastUpdateTime: same ? old.lastUpdateTime : now,
    lastTransitionTime: old && old.status === 'True' ? old.lastTransitionTime : now,
    reason,
    message,
  };
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** One level-based pass over every Deployment. */
export async function reconcileDeployments(api: ControllerApi): Promise<void> {
  if (!api.resourceTypes().some((t) => t.group === 'apps' && t.plural === 'replicasets')) return;
  for (const d of api.list(DEPLOYMENTS)) {
    if (d.metadata?.deletionTimestamp) continue;
    await reconcileOne(api, d);
  }
}

async function reconcileOne(api: ControllerApi, d: KubeObject): Promise<void> {
  const ns = d.metadata!.namespace!;
  const spec = obj(d.spec);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const template = obj(spec.template);
  const hash = podTemplateHash(template);
  const rsName = `${d.metadata!.name}-${hash}`;
  const owned = api.list(REPLICASETS, ns).filter((rs) => isOwnedBy(rs, d));
  const revisions = owned.map((rs) => Number(rs.metadata?.annotations?.[REVISION] ?? 0));
  const now = nowSeconds();

  const templateMeta = obj(template.metadata);
  const labels = { ...(templateMeta.labels as Record<string, string> | undefined), [HASH_LABEL]: hash };
  const selector = obj(spec.selector);
  const rsStatus = (n: number, generation: number | undefined) => ({
    replicas: n,
    ...(n > 0 ? { fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n } : {}),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  });

  let current = owned.find((rs) => rs.metadata?.name === rsName);
  if (!current) {
    const revision = String(Math.max(0, ...revisions) + 1);
    current = await api.create(REPLICASETS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        labels,
        annotations: {
          [REVISION]: revision,
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas,
        selector: { ...selector, matchLabels: { ...obj(selector.matchLabels), [HASH_LABEL]: hash } },
        template: { ...template, metadata: { ...templateMeta, labels } },
      },
    });
  } else if (obj(current.spec).replicas !== replicas) {
    current = await api.mergePatch(REPLICASETS, ns, rsName, {
      metadata: {
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas),
        },
      },
      spec: { replicas },
    });
  }
  const wantRsStatus = rsStatus(replicas, current.metadata?.generation);
  if (!sameJson(current.status ?? {}, wantRsStatus)) {
    await api.update(REPLICASETS, { ...current, status: wantRsStatus }, { subresource: 'status' });
  }

  for (const old of owned) {
    if (old.metadata?.name === rsName) continue;
    let o = old;
    if (obj(o.spec).replicas !== 0)
      o = await api.mergePatch(REPLICASETS, ns, o.metadata!.name!, { spec: { replicas: 0 } });
    const want = rsStatus(0, o.metadata?.generation);
    if (!sameJson(o.status ?? {}, want))
      await api.update(REPLICASETS, { ...o, status: want }, { subresource: 'status' });
  }

  const prev = obj(d.status).conditions as Obj[] | undefined;
  const status: Obj = {
    observedGeneration: d.metadata?.generation ?? 1,
    ...(replicas > 0
      ? { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas }
      : {}),
    conditions: [
      condition(prev, 'Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now),
      condition(
        prev,
        'Progressing',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        now,
      ),
    ],
  };
  if (!sameJson(d.status ?? {}, status)) await api.update(DEPLOYMENTS, { ...d, status }, { subresource: 'status' });
}

/** Start the simulation on a controller API; it reacts to Deployment and ReplicaSet changes. */
export function startDeploymentSimulation(
  api: ControllerApi,
  onError: (e: unknown) => void = () => {},
): SweepingController {
  return startSweeping(
    () => reconcileDeployments(api),
    onError,
    1,
    (trigger) => [
      api.onChange((e) => {
        if (
          e.storageKey === 'apps/deployments' ||
          e.storageKey === 'apps/replicasets' ||
          e.object.kind === 'Deployment' ||
          e.object.kind === 'ReplicaSet'
        )
          trigger();
      }),
    ],
  );
}

/** The starter server.ts calls (registerDeploymentSimulation). */
export function deploymentSimulationStarter(engine: ApiEngine): SweepingController {
  return startDeploymentSimulation(engine.controllerApi());
}
