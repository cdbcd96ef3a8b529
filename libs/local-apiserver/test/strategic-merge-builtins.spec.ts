import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './helpers.ts';

// PATCH-6: list strategies come from the Go struct tags of k8s.io/api v1.36
// (admissionregistration/v1 types.go: `webhooks` patchStrategy merge, patchMergeKey name;
// batch/v1: JobStatus.conditions merge by type, the pod template's containers by name).
let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t?.stop());

const hook = (name: string, path: string) => ({
  name,
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  clientConfig: { url: `https://127.0.0.1:9443${path}` },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
});

async function patchOneWebhook(kind: 'mutating' | 'validating') {
  const path = `/apis/admissionregistration.k8s.io/v1/${kind}webhookconfigurations`;
  const created = await t.post(path, {
    metadata: { name: `smp-${kind}` },
    webhooks: [hook('a.example.com', '/a'), hook('b.example.com', '/b')],
  });
  expect(created.status, created.text).toBe(201);
  const r = await t.patch(
    `${path}/smp-${kind}`,
    { webhooks: [{ name: 'b.example.com', clientConfig: { caBundle: 'Y2E=' } }] },
    'strategic',
  );
  expect(r.status, r.text).toBe(200);
  expect(r.body.webhooks.map((w: { name: string }) => w.name)).toEqual(['a.example.com', 'b.example.com']);
  expect(r.body.webhooks[1].clientConfig).toEqual({ url: 'https://127.0.0.1:9443/b', caBundle: 'Y2E=' });
  expect(r.body.webhooks[0].clientConfig).toEqual({ url: 'https://127.0.0.1:9443/a' });
}

describe('strategic merge patch of built-in lists', () => {
  it('PATCH-6 mutating webhook configuration: a patch of one webhook keeps the others (merge by name)', () =>
    patchOneWebhook('mutating'));
  it('PATCH-6 validating webhook configuration: a patch of one webhook keeps the others (merge by name)', () =>
    patchOneWebhook('validating'));

  it("PATCH-6 Job: the pod template's containers merge by name", async () => {
    const jobs = '/apis/batch/v1/namespaces/default/jobs';
    const created = await t.post(jobs, {
      metadata: { name: 'smp-job' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    expect(created.status, created.text).toBe(201);
    const r = await t.patch(
      `${jobs}/smp-job`,
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } },
      'strategic',
    );
    // The pod template is immutable on a Job: refused, not replaced wholesale.
    expect(r.status).toBe(422);
    // A container named without its image keeps the live image (an atomic list would drop it).
    const labels = await t.patch(
      `${jobs}/smp-job`,
      { metadata: { labels: { a: 'b' } }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } },
      'strategic',
    );
    expect(labels.status, labels.text).toBe(200);
    expect(labels.body.spec.template.spec.containers[0].image).toBe('busybox');
  });
});
