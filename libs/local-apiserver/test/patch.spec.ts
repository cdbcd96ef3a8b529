import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CM, W, installWidgets, TestServer } from './helpers.ts';

let t: TestServer;
const cms = '/api/v1/namespaces/default/configmaps';
const widgets = '/apis/example.com/v1/namespaces/default/widgets';

beforeAll(async () => {
  t = await TestServer.start();
  await installWidgets(t);
});
afterAll(() => t.stop());

describe('patch', () => {
  it('PATCH-1 strategic merge patch on a CR is 415', async () => {
    await t.post(widgets, W('p1'));
    const r = await t.patch(`${widgets}/p1`, { spec: { replicas: 2 } }, 'strategic');
    expect(r.status).toBe(415);
    expect(r.body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('PATCH-8 a fieldManager over 128 bytes is a 422 on create, update and patch (as kube-apiserver v1.36)', async () => {
    const long = `?fieldManager=${'x'.repeat(129)}`;
    const c = await t.post(cms + long, CM('p8'));
    expect(c.status).toBe(422);
    expect(c.body.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
    expect((await t.post(`${cms}?fieldManager=${'x'.repeat(128)}`, CM('p8'))).status).toBe(201);
    const u = await t.put(`${cms}/p8${long}`, CM('p8'));
    expect(u.body.message).toBe(
      'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
    const p = await t.patch(`${cms}/p8${long}`, { data: { a: '2' } });
    expect(p.status).toBe(422);
    expect(p.body.details).toEqual({
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [
        { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 128 bytes', field: 'fieldManager' },
      ],
    });
  });

  it('PATCH-2 merge patch on a missing object is 404', async () => {
    expect((await t.patch(`${cms}/nothere`, { data: {} })).status).toBe(404);
  });

  it('PATCH-3 merge patch: null deletes, arrays replace', async () => {
    await t.post(cms, { metadata: { name: 'p3', finalizers: ['a.io/x', 'b.io/y'] }, data: { a: '1', b: '2' } });
    const r = await t.patch(`${cms}/p3`, { data: { a: null }, metadata: { finalizers: ['c.io/z'] } });
    expect(r.body.data).toEqual({ b: '2' });
    expect(r.body.metadata.finalizers).toEqual(['c.io/z']);
    await t.patch(`${cms}/p3`, { metadata: { finalizers: null } });
  });

  it('PATCH-4 failed JSON patch test is 422', async () => {
    await t.post(cms, CM('p4'));
    const r = await t.patch(`${cms}/p4`, [{ op: 'test', path: '/data/a', value: 'nope' }], 'json');
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('the server rejected our request due to an error in our request');
    const ok = await t.patch(
      `${cms}/p4`,
      [
        { op: 'add', path: '/data/b', value: '2' },
        { op: 'remove', path: '/data/a' },
      ],
      'json',
    );
    expect(ok.body.data).toEqual({ b: '2' });
  });

  it('PATCH-5 patch carrying a stale RV is 409', async () => {
    const c = await t.post(cms, CM('p5'));
    await t.patch(`${cms}/p5`, { data: { x: '1' } });
    const r = await t.patch(`${cms}/p5`, {
      metadata: { resourceVersion: c.body.metadata.resourceVersion },
      data: { y: '1' },
    });
    expect(r.status).toBe(409);
  });

  it('PATCH-6 SMP merges containers by name, finalizers as a set, honours $setElementOrder and $patch: delete', async () => {
    const dep = {
      metadata: { name: 'smp', finalizers: ['a.io/one'] },
      spec: {
        selector: { matchLabels: { app: 'smp' } },
        template: {
          metadata: { labels: { app: 'smp' } },
          spec: {
            containers: [
              { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
              { name: 'b', image: 'b:1' },
            ],
          },
        },
      },
    };
    expect((await t.post('/apis/apps/v1/namespaces/default/deployments', dep)).status).toBe(201);
    const r = await t.patch(
      '/apis/apps/v1/namespaces/default/deployments/smp',
      {
        metadata: { finalizers: ['b.io/two'] },
        spec: {
          template: {
            spec: {
              $setElementOrder: undefined,
              '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
              containers: [
                { name: 'a', image: 'a:2', env: [{ name: 'Y', value: '2' }] },
                { name: 'b', $patch: 'delete' },
              ],
            },
          },
        },
      },
      'strategic',
    );
    expect(r.status).toBe(200);
    const cs = r.body.spec.template.spec.containers;
    expect(cs.map((c: any) => c.name)).toEqual(['a']);
    expect(cs[0].image).toBe('a:2');
    // New items land before the live ones (apimachinery's normalizeElementOrder).
    expect(cs[0].env.map((e: any) => e.name)).toEqual(['Y', 'X']);
    expect(r.body.metadata.finalizers).toEqual(['b.io/two', 'a.io/one']);
    await t.patch('/apis/apps/v1/namespaces/default/deployments/smp', { metadata: { finalizers: null } });
  });
});
