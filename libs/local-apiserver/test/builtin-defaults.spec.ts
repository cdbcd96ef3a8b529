import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { W, installWidgets, TestServer } from './helpers.ts';

let t: TestServer;

beforeAll(async () => {
  t = await TestServer.start();
  await installWidgets(t);
});
afterAll(() => t.stop());

describe('built-in defaults', () => {
  it('NS-2 namespaces get the kubernetes finalizer, metadata.name label and Active phase', async () => {
    const r = await t.post('/api/v1/namespaces', { metadata: { name: 'ns2' } });
    expect(r.body.spec.finalizers).toEqual(['kubernetes']);
    expect(r.body.metadata.labels['kubernetes.io/metadata.name']).toBe('ns2');
    expect(r.body.status.phase).toBe('Active');
  });

  it('SEC-1 stringData merges into data and bad base64 is 400', async () => {
    const r = await t.post('/api/v1/namespaces/default/secrets', { metadata: { name: 's1' }, stringData: { a: 'hi' } });
    expect(r.body.data).toEqual({ a: Buffer.from('hi').toString('base64') });
    expect(r.body.type).toBe('Opaque');
    expect(r.body).not.toHaveProperty('stringData');
    const bad = await t.post('/api/v1/namespaces/default/secrets', { metadata: { name: 's2' }, data: { a: '!!' } });
    expect(bad.status).toBe(400);
  });

  it('SVC-1 SVC-2 SVC-3 services get defaults and a clusterIP kept across updates', async () => {
    const r = await t.post('/api/v1/namespaces/default/services', {
      metadata: { name: 'svc1' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(r.body.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(r.body.spec.clusterIP).toMatch(/^10\.96\./);
    expect(r.body.spec.clusterIPs).toEqual([r.body.spec.clusterIP]);
    const u = await t.put('/api/v1/namespaces/default/services/svc1', {
      metadata: { name: 'svc1' },
      spec: { ports: [{ port: 81 }] },
    });
    expect(u.body.spec.clusterIP).toBe(r.body.spec.clusterIP);
  });

  it('DEP-1 DEP-3 deployments are defaulted and annotations bump generation', async () => {
    const r = await t.post('/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'dep1' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    expect(r.body.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate' },
    });
    expect(r.body.spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    });
    expect(r.body.spec.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
    });
    const a = await t.patch('/apis/apps/v1/namespaces/default/deployments/dep1', {
      metadata: { annotations: { x: 'y' } },
    });
    expect(a.body.metadata.generation).toBe(2);
  });

  it('LEASE-1 MicroTime survives a round trip and a stale PUT is 409', async () => {
    const base = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const renew = '2026-01-02T03:04:05.123456Z';
    const c = await t.post(base, {
      metadata: { name: 'leader' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: renew, acquireTime: renew },
    });
    expect(c.body.spec.renewTime).toBe(renew);
    const u = await t.put(`${base}/leader`, { ...c.body, spec: { ...c.body.spec, holderIdentity: 'b' } });
    expect(u.status).toBe(200);
    expect((await t.put(`${base}/leader`, { ...c.body, spec: { ...c.body.spec, holderIdentity: 'c' } })).status).toBe(
      409,
    );
  });

  it('SC-1 CR /scale reads and writes spec replicas', async () => {
    await installWidgets(t, { group: 'scale.example.com', scale: true });
    const base = '/apis/scale.example.com/v1/namespaces/default/widgets';
    await t.post(base, { ...W('sc', { replicas: 2 }), apiVersion: 'scale.example.com/v1' });
    const g = await t.get(`${base}/sc/scale`);
    expect(g.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 0 },
    });
    const p = await t.patch(`${base}/sc/scale`, { spec: { replicas: 4 } });
    expect(p.body.spec.replicas).toBe(4);
    expect((await t.get(`${base}/sc`)).body.spec.replicas).toBe(4);
  });
});
