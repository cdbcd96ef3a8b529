import { apiCall } from './api-request.ts';
import { kubeConfigOf, type Target } from './types.ts';

/**
 * Creates a namespace with a server-generated name and returns that name. Each test gets its
 * own namespace so suites can share one control plane (and run against a real cluster) without
 * seeing each other's objects. Deletion is left to the control plane's teardown: on a real
 * cluster namespace deletion is slow and tests should not wait for it.
 */
export async function createTestNamespace(target: Target, prefix = 'test-'): Promise<string> {
  let generateName = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+/, '').slice(0, 57);
  if (!generateName) generateName = 'test-';
  if (!generateName.endsWith('-')) generateName += '-';
  const ns = await apiCall<{ metadata: { name: string } }>(kubeConfigOf(target), 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { generateName, labels: { 'kubeloop.dev/test': 'true' } },
  });
  return ns.metadata.name;
}
