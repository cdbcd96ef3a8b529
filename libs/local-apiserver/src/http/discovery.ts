import { createHash } from 'node:crypto';
import type { ResourceType } from '../types.ts';
import { compareKubeAwareVersions } from '../registry/registry.ts';

/** Legacy discovery documents (DISC-1…DISC-10), served as plain application/json (DISC-12). */

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(types: readonly ResourceType[], group: string): string[] {
  const versions = [...new Set(types.filter((t) => t.group === group).map((t) => t.version))];
  return versions.sort(compareKubeAwareVersions);
}

function apiGroup(types: readonly ResourceType[], group: string): unknown {
  const versions = groupVersions(types, group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/**
 * The order kube-apiserver lists the built-in groups it serves in (by their APIService
 * priorities); CRD groups follow (priority 1000), by name.
 */
const BUILTIN_GROUP_ORDER = [
  'apps',
  'events.k8s.io',
  'rbac.authorization.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'coordination.k8s.io',
];

function groupRank(g: string): number {
  const i = BUILTIN_GROUP_ORDER.indexOf(g);
  return i < 0 ? BUILTIN_GROUP_ORDER.length : i;
}

export function apiGroupList(types: readonly ResourceType[]): unknown {
  const groups = [...new Set(types.filter((t) => t.group).map((t) => t.group))].sort(
    (a, b) => groupRank(a) - groupRank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(types, g)) };
}

/** Whether a group is served at all (its unknown versions and resources get a Status 404). */
export function groupServed(types: readonly ResourceType[], group: string): boolean {
  return types.some((t) => t.group === group);
}

/**
 * discovery.StorageVersionHash: base64 of the first 8 bytes of sha256("group/version/kind") of
 * the version objects are stored in. Two built-ins are stored in another type than they serve:
 * CRDs (apiextensions.k8s.io/v1beta1, still) and events.k8s.io Events (core v1 Events).
 */
export function storageVersionHash(rt: ResourceType, storageVersion: string): string {
  let gvk = `${rt.group}/${storageVersion}/${rt.kind}`;
  if (rt.origin === 'builtin' && rt.group === 'apiextensions.k8s.io')
    gvk = 'apiextensions.k8s.io/v1beta1/CustomResourceDefinition';
  if (rt.origin === 'builtin' && rt.group === 'events.k8s.io') gvk = '/v1/Event';
  return createHash('sha256').update(gvk).digest().subarray(0, 8).toString('base64');
}

export function apiGroupDoc(types: readonly ResourceType[], group: string): object | undefined {
  if (!types.some((t) => t.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(types, group) as object) };
}

export function apiResourceList(
  types: readonly ResourceType[],
  group: string,
  version: string,
  storageVersion: (rt: ResourceType) => string = (rt) => rt.version,
): object | undefined {
  const selected = types.filter((t) => t.group === group && t.version === version);
  if (selected.length === 0) return undefined;
  const resources: ({ name: string } & Record<string, unknown>)[] = [];
  for (const t of selected) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
      storageVersionHash: storageVersionHash(t, storageVersion(t)),
    });
    if (t.subresources.finalize)
      resources.push({
        name: `${t.plural}/finalize`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['update'],
      });
    if (t.subresources.status) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (t.subresources.scale) {
      resources.push({
        name: `${t.plural}/scale`,
        singularName: '',
        namespaced: t.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  // Built-ins are sorted by name, as the real server's installer lists them (a resource, then its
  // subresources by name). The real server's CRD discovery controller lists each custom resource
  // as it builds it instead: the resource, then status, then scale (DISC-3); the CRDs of one
  // group are taken here by plural, so the document does not depend on creation order.
  if (selected.every((t) => t.origin !== 'builtin')) {
    const base = (name: string) => name.split('/')[0]!;
    const rank = (name: string) => ['', 'status', 'scale'].indexOf(name.split('/')[1] ?? '');
    resources.sort((a, b) =>
      base(a.name) !== base(b.name) ? (base(a.name) < base(b.name) ? -1 : 1) : rank(a.name) - rank(b.name),
    );
  } else resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const gv = group ? `${group}/${version}` : version;
  return group
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources }
    : { kind: 'APIResourceList', groupVersion: gv, resources };
}

/** The kube-apiserver release whose behaviour local-apiserver models (its answers are checked against it). */
export const VERSION_INFO = {
  major: '1',
  minor: '36',
  emulationMajor: '1',
  emulationMinor: '36',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '35',
  gitVersion: 'v1.36.2-kubeloop',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.26.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};
