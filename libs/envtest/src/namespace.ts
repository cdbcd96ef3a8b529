import type { KubeConfig } from '@kubernetes/client-node';
import { apiCall, apiRequest } from './api-request.ts';
import { kubeConfigOf, type Target } from './types.ts';

/** Namespaces createTestNamespace made, per client config, for deleteTestNamespaces. */
const created = new WeakMap<KubeConfig, Set<string>>();

/**
 * Creates a namespace with a server-generated name and returns that name. Each test gets its
 * own namespace so suites can share one control plane (and run against a real cluster) without
 * seeing each other's objects. Throwaway control planes are simply stopped; on an existing
 * cluster, stop() deletes the namespaces made here (without waiting for them to go).
 */
export async function createTestNamespace(target: Target, prefix = 'test-'): Promise<string> {
  let generateName = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+/, '')
    .slice(0, 57);
  if (!generateName) generateName = 'test-';
  if (!generateName.endsWith('-')) generateName += '-';
  const kc = kubeConfigOf(target);
  const ns = await apiCall<{ metadata: { name: string } }>(kc, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { generateName, labels: { 'kubeloop.dev/test': 'true' } },
  });
  let names = created.get(kc);
  if (!names) created.set(kc, (names = new Set()));
  names.add(ns.metadata.name);
  return ns.metadata.name;
}

/** Starts deletion of every namespace createTestNamespace made through this config; returns their names. */
export async function deleteTestNamespaces(kc: KubeConfig): Promise<string[]> {
  const names = [...(created.get(kc) ?? [])];
  created.delete(kc);
  await Promise.all(
    names.map(async (name) => {
      const res = await apiRequest(kc, 'DELETE', `/api/v1/namespaces/${name}`, { propagationPolicy: 'Background' });
      if (res.status >= 300 && res.status !== 404) throw new Error(`deleting test namespace ${name}: ${res.status}`);
    }),
  );
  return names;
}
