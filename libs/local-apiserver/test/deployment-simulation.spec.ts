import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podTemplateHash } from '../src/controllers/deployment-simulation.ts';
import type { KubeObject } from '../src/index.ts';
import { TestServer, type Condition } from './helpers.ts';

describe('DEP-3 deployment simulation over HTTP', () => {
  let t: TestServer;
  const deployment = (name: string, image: string, replicas = 3) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', annotations: { a: 'b' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  });

  beforeAll(async () => {
    t = await TestServer.start({ simulateDeployments: true });
  });
  afterAll(() => t?.stop());

  it('DEP-3 a Deployment gets an owned ReplicaSet with pod-template-hash and a ready status', async () => {
    const created = await t.post('/apis/apps/v1/namespaces/default/deployments', deployment('web', 'nginx:1'));
    expect(created.status).toBe(201);
    const d = await t.eventually(async () => {
      const { body } = await t.get('/apis/apps/v1/namespaces/default/deployments/web');
      expect(body.status?.availableReplicas).toBe(3);
      return body;
    });
    expect(d.status).toMatchObject({
      observedGeneration: d.metadata.generation,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status.conditions.map((c: Condition) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const { body: list } = await t.get('/apis/apps/v1/namespaces/default/replicasets');
    expect(list.items).toHaveLength(1);
    const rs = list.items[0];
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it('DEP-3 a template change rolls out a new ReplicaSet and scales the old one to 0', async () => {
    const { body: cur } = await t.get('/apis/apps/v1/namespaces/default/deployments/web');
    const next = {
      ...cur,
      spec: {
        ...cur.spec,
        replicas: 2,
        template: { ...cur.spec.template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } },
      },
    };
    expect((await t.put('/apis/apps/v1/namespaces/default/deployments/web', next)).status).toBe(200);
    await t.eventually(async () => {
      const { body: d } = await t.get('/apis/apps/v1/namespaces/default/deployments/web');
      expect(d.status.observedGeneration).toBe(d.metadata.generation);
      expect(d.status.availableReplicas).toBe(2);
      const { body: list } = await t.get('/apis/apps/v1/namespaces/default/replicasets');
      const byReplicas = list.items
        .map((rs: KubeObject & { spec: { replicas: number } }) => [
          rs.metadata?.annotations?.['deployment.kubernetes.io/revision'],
          rs.spec.replicas,
        ])
        .sort();
      expect(byReplicas).toEqual([
        ['1', 0],
        ['2', 2],
      ]);
    });
  });

  it('DEP-3 setDeploymentSimulation(false) leaves new Deployments without status', async () => {
    t.server.setDeploymentSimulation(false);
    try {
      expect(
        (await t.post('/apis/apps/v1/namespaces/default/deployments', deployment('quiet', 'nginx:1'))).status,
      ).toBe(201);
      await t.server.controllersIdle();
      const { body } = await t.get('/apis/apps/v1/namespaces/default/deployments/quiet');
      expect(body.status?.availableReplicas).toBeUndefined();
    } finally {
      t.server.setDeploymentSimulation(true);
    }
    await t.eventually(async () => {
      const { body } = await t.get('/apis/apps/v1/namespaces/default/deployments/quiet');
      expect(body.status?.availableReplicas).toBe(3);
    });
  });

  it('DEP-3 equal templates hash equally whatever the key order', () => {
    expect(podTemplateHash({ a: 1, b: { c: 2 } })).toBe(podTemplateHash({ b: { c: 2 }, a: 1 }));
    expect(podTemplateHash({ a: 1 })).not.toBe(podTemplateHash({ a: 2 }));
  });
});
