import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type LocalApiServer } from '../src/index.ts';
import { podTemplateHash } from '../src/controllers/deployment-simulation.ts';

/** Bounded polling: retries `fn` until it stops throwing or the timeout passes. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('DEP-3 deployment simulation over HTTP', () => {
  let server: LocalApiServer;
  const api = (path: string, init?: RequestInit) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init?.headers ?? {}) } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const deployment = (name: string, image: string, replicas = 3) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', annotations: { a: 'b' } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } },
  });

  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(() => server?.stop());

  it('DEP-3 a Deployment gets an owned ReplicaSet with pod-template-hash and a ready status', async () => {
    const created = await api('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', body: JSON.stringify(deployment('web', 'nginx:1')) });
    expect(created.status).toBe(201);
    const d = await eventually(async () => {
      const { body } = await api('/apis/apps/v1/namespaces/default/deployments/web');
      expect(body.status?.availableReplicas).toBe(3);
      return body;
    });
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const { body: list } = await api('/apis/apps/v1/namespaces/default/replicasets');
    expect(list.items).toHaveLength(1);
    const rs = list.items[0];
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it('DEP-3 a template change rolls out a new ReplicaSet and scales the old one to 0', async () => {
    const { body: cur } = await api('/apis/apps/v1/namespaces/default/deployments/web');
    const next = { ...cur, spec: { ...cur.spec, replicas: 2, template: { ...cur.spec.template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } };
    expect((await api('/apis/apps/v1/namespaces/default/deployments/web', { method: 'PUT', body: JSON.stringify(next) })).status).toBe(200);
    await eventually(async () => {
      const { body: d } = await api('/apis/apps/v1/namespaces/default/deployments/web');
      expect(d.status.observedGeneration).toBe(d.metadata.generation);
      expect(d.status.availableReplicas).toBe(2);
      const { body: list } = await api('/apis/apps/v1/namespaces/default/replicasets');
      const byReplicas = list.items.map((rs: any) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs.spec.replicas]).sort();
      expect(byReplicas).toEqual([['1', 0], ['2', 2]]);
    });
  });

  it('DEP-3 setDeploymentSimulation(false) leaves new Deployments without status', async () => {
    server.setDeploymentSimulation(false);
    try {
      expect((await api('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', body: JSON.stringify(deployment('quiet', 'nginx:1')) })).status).toBe(201);
      await server.controllersIdle();
      const { body } = await api('/apis/apps/v1/namespaces/default/deployments/quiet');
      expect(body.status?.availableReplicas).toBeUndefined();
    } finally {
      server.setDeploymentSimulation(true);
    }
    await eventually(async () => {
      const { body } = await api('/apis/apps/v1/namespaces/default/deployments/quiet');
      expect(body.status?.availableReplicas).toBe(3);
    });
  });

  it('DEP-3 equal templates hash equally whatever the key order', () => {
    expect(podTemplateHash({ a: 1, b: { c: 2 } })).toBe(podTemplateHash({ b: { c: 2 }, a: 1 }));
    expect(podTemplateHash({ a: 1 })).not.toBe(podTemplateHash({ a: 2 }));
  });
});
