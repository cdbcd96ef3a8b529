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

export function apiGroupList(types: readonly ResourceType[]): unknown {
  const groups: string[] = [];
  for (const t of types) if (t.group && !groups.includes(t.group)) groups.push(t.group);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(types, g)) };
}

export function apiGroupDoc(types: readonly ResourceType[], group: string): unknown | undefined {
  if (!types.some((t) => t.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(types, group) as object) };
}

export function apiResourceList(types: readonly ResourceType[], group: string, version: string): unknown | undefined {
  const selected = types.filter((t) => t.group === group && t.version === version);
  if (selected.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of selected) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
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
  const gv = group ? `${group}/${version}` : version;
  return group
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources }
    : { kind: 'APIResourceList', groupVersion: gv, resources };
}

export const VERSION_INFO = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-kubeloop',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.24.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};
