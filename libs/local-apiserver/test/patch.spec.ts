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

  it("PATCH-4 JSON patch has json-patch v4's semantics and kube-apiserver's generic 422 without causes", async () => {
    await t.post(cms, CM('p4v'));
    const p = (ops: unknown, q = '') => t.patch(`${cms}/p4v${q}`, ops, 'json');
    // replace of a missing member adds it; copy from a missing member and add without value write null ("")
    const r = await p([
      { op: 'replace', path: '/data/zzz', value: 'x' },
      { op: 'copy', from: '/data/nope', path: '/data/c' },
      { op: 'add', path: '/data/n' },
      { op: 'add', path: '/metadata/finalizers', value: ['a.io/x'] },
      { op: 'add', path: '/metadata/finalizers/-1', value: 'b.io/y' },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ a: '1', zzz: 'x', c: '', n: '' });
    expect(r.body.metadata.finalizers).toEqual(['a.io/x', 'b.io/y']);
    expect((await p([{ op: 'test', path: '/data/nope', value: null }])).status).toBe(200);
    const bad = await p([{ op: 'remove', path: '/data/nope' }]);
    expect(bad.status).toBe(422);
    expect(bad.body.details).toEqual({});
    expect((await p([{ op: 'add', path: '', value: { a: 1 } }])).status).toBe(422);
    // decoding errors are 400s in Go's words; unknown op fields are warnings, or a 422 under Strict
    expect((await p('[{"op":1}]')).body.message).toBe(
      'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string',
    );
    expect((await p('{"op":"add"}')).body.message).toBe(
      'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    );
    expect((await p('[')).body.message).toBe('error decoding patch: unexpected end of JSON input');
    const warned = await p([{ op: 'add', path: '/data/w', value: '1', extra: 1 }]);
    expect(warned.headers.get('warning')).toBe('299 - "json patch unknown field \\"[0].extra\\""');
    const strict = await p([{ op: 'add', path: '/data/s', value: '1', extra: 1 }], '?fieldValidation=Strict');
    expect(strict.status).toBe(422);
    expect(strict.body.message).toMatch(
      /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: json patch unknown field "\[0\]\.extra"$/,
    );
  });

  it('PATCH-3 PATCH-6 PATCH-7 patch bodies and results that do not decode answer as kube-apiserver', async () => {
    await t.post(cms, CM('p7'));
    expect((await t.patch(`${cms}/p7`, 'null')).body.message).toBe('Invalid JSON Patch');
    expect((await t.patch(`${cms}/p7`, '[]')).body.message).toBe(
      'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    expect((await t.patch(`${cms}/p7`, 'null', 'strategic')).status).toBe(200);
    expect((await t.patch(`${cms}/p7`, '{"data":', 'strategic')).body.message).toBe('unexpected end of JSON input');
    const merge = await t.patch(`${cms}/p7`, { data: { a: 5 } });
    expect(merge.status).toBe(422);
    expect(merge.body.details.causes[0].field).toBe('patch');
    expect(merge.body.message).toMatch(
      /^ "" is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"v1\\",\\"data\\":\{\\"a\\":5\}.*": json: cannot unmarshal number into Go struct field ConfigMap.data of type string$/,
    );
    const smp = await t.patch(`${cms}/p7`, { data: { a: 5 } }, 'strategic');
    expect(smp.body.message).toBe(
      ' "" is invalid: patch: Invalid value: "map[data:map[a:5]]": cannot convert int64 to string',
    );
    const labels = await t.patch(`${cms}/p7`, { metadata: { labels: 'x' } }, 'strategic');
    expect(labels.body.message).toBe(
      ' "" is invalid: patch: Invalid value: "map[metadata:map[labels:x]]": cannot restore map from string',
    );
    // a patch has no uid precondition: a changed uid is an immutable field (422), not a 409
    const uid = await t.patch(`${cms}/p7`, { metadata: { uid: '6b0c3a3e-0000-4000-8000-000000000009' } });
    expect(uid.status).toBe(422);
    expect(uid.body.message).toBe(
      'ConfigMap "p7" is invalid: metadata.uid: Invalid value: "6b0c3a3e-0000-4000-8000-000000000009": field is immutable',
    );
    // built-ins are routed by go-restful: a content type that is no patch type is its bare 415
    const plain = await t.req('PATCH', `${cms}/p7`, { data: { a: '2' } }, 'application/json');
    expect(plain.status).toBe(415);
    expect(plain.body.message).toBe('415: Unsupported Media Type');
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
    expect(cs.map((c: { name: string }) => c.name)).toEqual(['a']);
    expect(cs[0].image).toBe('a:2');
    // New items land before the live ones (apimachinery's normalizeElementOrder).
    expect(cs[0].env.map((e: { name: string }) => e.name)).toEqual(['Y', 'X']);
    expect(r.body.metadata.finalizers).toEqual(['b.io/two', 'a.io/one']);
    await t.patch('/apis/apps/v1/namespaces/default/deployments/smp', { metadata: { finalizers: null } });
  });
});
