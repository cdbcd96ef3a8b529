import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startControlPlane } from '../control-plane.ts';
import { ClusterUnavailableError, connectCluster } from './cluster.ts';

/** An e2e suite must never pass vacuously: each way of not having a usable cluster is refused. */
describe('connectCluster', () => {
  const kubeconfigFor = (server: string, context: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-cluster-'));
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "${server}"}}]`,
        'users: [{name: u, user: {token: t}}]',
        `contexts: [{name: ${context}, context: {cluster: c, user: u}}]`,
        `current-context: ${context}`,
      ].join('\n'),
    );
    return file;
  };

  it('refuses the local API server (a control plane that never runs Pods)', async () => {
    const cp = await startControlPlane({ kind: 'local' });
    try {
      await expect(connectCluster({ KUBECONFIG: cp.kubeconfigPath })).rejects.toThrow(ClusterUnavailableError);
    } finally {
      await cp.stop();
    }
  });

  it('refuses a cluster whose nodes are not Ready, naming them; accepts it once one is', async () => {
    let ready = 'False';
    const server = createServer((req, res) => {
      expect(req.url).toBe('/api/v1/nodes');
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'NodeList',
          items: [
            { metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: ready }] } },
            { metadata: { name: 'n2' } },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const kubeconfig = kubeconfigFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'kind-e2e');
      await expect(connectCluster({ KUBECONFIG: kubeconfig })).rejects.toThrow(
        /context "kind-e2e" .* has no Ready node \(nodes: n1, n2\)/,
      );
      ready = 'True';
      const cluster = await connectCluster({ KUBECONFIG: kubeconfig });
      expect(cluster).toMatchObject({
        context: 'kind-e2e',
        kindCluster: 'e2e',
        readyNodes: ['n1'],
        kubeconfigPath: kubeconfig,
      });
      await cluster.stop();
    } finally {
      server.close();
    }
  });

  it('refuses a server that does not answer', async () => {
    await expect(connectCluster({ KUBECONFIG: kubeconfigFor('http://127.0.0.1:1', 'kind-gone') })).rejects.toThrow(
      /cluster of context "kind-gone" \(http:\/\/127.0.0.1:1\) cannot be used/,
    );
  });

  it('refuses when there is no kubeconfig at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-cluster-'));
    await expect(connectCluster({ KUBECONFIG: join(dir, 'missing'), HOME: dir })).rejects.toBeInstanceOf(
      ClusterUnavailableError,
    );
  });
});
