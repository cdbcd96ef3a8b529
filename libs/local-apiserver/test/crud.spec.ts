import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CM, TestServer, W, installWidgets } from './helpers.ts';

let t: TestServer;
const cms = '/api/v1/namespaces/default/configmaps';
const widgets = '/apis/example.com/v1/namespaces/default/widgets';

beforeAll(async () => {
  t = await TestServer.start();
  await installWidgets(t);
});
afterAll(() => t.stop());

describe('discovery and misc endpoints', () => {
  it('DISC-1 /api lists v1 without apiVersion', async () => {
    const r = await t.get('/api');
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('APIVersions');
    expect(r.body.versions).toEqual(['v1']);
    expect(r.body).not.toHaveProperty('apiVersion');
  });

  it('DISC-3 DISC-4 CR resources list subresources separately with CR verb order', async () => {
    const r = await t.get('/apis/example.com/v1');
    const main = r.body.resources.find((x: any) => x.name === 'widgets');
    expect(main.verbs).toEqual(['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
    expect(main.singularName).toBe('widget');
    expect(r.body.resources.find((x: any) => x.name === 'widgets/status')).toMatchObject({
      singularName: '',
      verbs: ['get', 'patch', 'update'],
    });
    expect(r.body.apiVersion).toBe('v1');
  });

  it('DISC-7 core v1 has configmaps with short name cm and namespaces/status', async () => {
    const r = await t.get('/api/v1');
    expect(r.body).not.toHaveProperty('apiVersion');
    expect(r.body.resources.find((x: any) => x.name === 'configmaps')).toMatchObject({
      namespaced: true,
      kind: 'ConfigMap',
      shortNames: ['cm'],
    });
    expect(r.body.resources.find((x: any) => x.name === 'namespaces/status')).toBeTruthy();
  });

  it('DISC-8 DISC-9 /apis and /apis/{g} list groups with preferred versions', async () => {
    const r = await t.get('/apis');
    expect(r.body.kind).toBe('APIGroupList');
    expect(r.body.groups.map((g: any) => g.name)).toContain('example.com');
    const g = await t.get('/apis/apps');
    expect(g.body).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
  });

  it('DISC-12 discovery is plain application/json even when aggregated is asked first', async () => {
    const r = await t.get('/apis', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(r.headers.get('content-type')).toBe('application/json');
  });

  it('VER-1 /version and URL-8 health endpoints', async () => {
    const v = await t.get('/version');
    expect(v.body).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) });
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const h = await t.get(p);
      expect(h.status).toBe(200);
      expect(h.text).toBe('ok');
    }
  });

  it('URL-6 an unknown resource is a Status 404, an unknown group the plain-text one; OAPI-1 /openapi/v2 is 404', async () => {
    const r = await t.get('/api/v1/nothings');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    const g = await t.get('/apis/nope.example.com/v1/things');
    expect(g.status).toBe(404);
    expect(g.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await t.get('/openapi/v2')).status).toBe(404);
  });

  it('URL-7 POST to an item path is 405 MethodNotAllowed', async () => {
    const r = await t.post(`${cms}/x`, CM('x'));
    expect(r.status).toBe(405);
    expect(r.body.reason).toBe('MethodNotAllowed');
  });

  it('URL-1 namespaced create without a namespace is 405', async () => {
    const r = await t.post('/api/v1/configmaps', CM('nons'));
    expect(r.status).toBe(405);
    expect(r.body.reason).toBe('MethodNotAllowed');
  });

  it('NEG-2 protobuf-only Accept is 406 NotAcceptable', async () => {
    const r = await t.get(cms, { accept: 'application/vnd.kubernetes.protobuf' });
    expect(r.status).toBe(406);
    expect(r.body.reason).toBe('NotAcceptable');
  });

  it('NEG-3 unsupported body type on POST is 415', async () => {
    const r = await t.req('POST', cms, 'x', 'text/plain');
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });
});

describe('create', () => {
  it('CR-1 OBJ-2 OBJ-3 create returns 201 with uid, second-precision timestamp and string RV', async () => {
    const r = await t.post(cms, CM('c1'));
    expect(r.status).toBe(201);
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(typeof r.body.metadata.resourceVersion).toBe('string');
    expect(r.body.metadata).not.toHaveProperty('selfLink');
    expect(r.body.metadata).not.toHaveProperty('generation');
  });

  it('CR-2 STAT-3 duplicate create is 409 AlreadyExists with details.kind = resource', async () => {
    await t.post(cms, CM('dup'));
    const r = await t.post(cms, CM('dup'));
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "dup" already exists',
      reason: 'AlreadyExists',
      details: { name: 'dup', kind: 'configmaps' },
      code: 409,
    });
  });

  it('CR-3 generateName appends 5 characters from the no-vowel alphabet', async () => {
    const r = await t.post(cms, { metadata: { generateName: 'gen-' }, data: {} });
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('CR-3 neither name nor generateName is 422', async () => {
    const r = await t.post(cms, { metadata: {} });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
  });

  it('CR-4 namespace mismatch is 400', async () => {
    const r = await t.post(cms, { metadata: { name: 'm', namespace: 'other' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('CR-5 missing namespace is 404 namespaces "nope" not found', async () => {
    const r = await t.post('/api/v1/namespaces/nope/configmaps', CM('x'));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "nope" not found');
    expect(r.body.details).toEqual({ name: 'nope', kind: 'namespaces' });
  });

  it('CR-6 resourceVersion on create is a 500 with empty reason', async () => {
    const r = await t.post(cms, { metadata: { name: 'rv', resourceVersion: '5' } });
    expect(r.status).toBe(500);
    expect(r.body.reason).toBeUndefined();
    expect(r.body.message).toBe('resourceVersion should not be set on objects to be created');
  });

  it('CR-7 built-in version and kind mismatches are 400; CR without kind is 400', async () => {
    const r = await t.post(cms, { apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'v' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'ConfigMap in version "v2" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "v2" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    );
    const g = await t.post(cms, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'v' } });
    expect(g.body.message).toBe('the API version in the data (apps/v1) does not match the expected API version (v1)');
    const k = await t.post(cms, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'v' } });
    expect(k.body.message).toBe(
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
    );
    const c = await t.post(widgets, { apiVersion: 'example.com/v1', metadata: { name: 'nokind' } });
    expect(c.status).toBe(400);
    expect(c.body.message).toMatch(
      /^the object provided is unrecognized \(must be of type Widget\): Object 'Kind' is missing in/,
    );
  });

  it('CR-8 status in a CR create body is discarded', async () => {
    const r = await t.post(widgets, W('st', { replicas: 1 }, { status: { replicas: 9 } }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBeUndefined();
  });

  it('NAME-1 invalid names are 422 with the RFC 1123 message', async () => {
    const r = await t.post(cms, CM('Bad_Name'));
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    expect(r.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
  });

  it('LBL-2 invalid label value is 422', async () => {
    const r = await t.post(cms, { metadata: { name: 'lbl', labels: { a: 'b c' } } });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('metadata.labels: Invalid value: "b c"');
  });

  it('OWN-2 two controller references are 422', async () => {
    const ref = (n: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: n, uid: `u-${n}`, controller: true });
    const r = await t.post(cms, { metadata: { name: 'own2', ownerReferences: [ref('a'), ref('b')] } });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain(
      'Only one reference can have Controller set to true. Found "true" in references for ConfigMap/a and ConfigMap/b',
    );
  });

  it('DRY-1 dryRun=All create persists nothing', async () => {
    const before = await t.get(cms);
    const r = await t.post(`${cms}?dryRun=All`, CM('dry'));
    expect(r.status).toBe(201);
    expect(r.body.metadata.uid).toBeTruthy();
    expect((await t.get(`${cms}/dry`)).status).toBe(404);
    const after = await t.get(cms);
    expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
  });

  it('FV-1 unknown CR fields: Strict 400, Warn drops with a Warning header', async () => {
    const strict = await t.post(`${widgets}?fieldValidation=Strict`, W('fv1', { replicas: 1, bogus: 1 }));
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('strict decoding error: unknown field "spec.bogus"');
    const warn = await t.post(widgets, W('fv2', { replicas: 1, bogus: 1 }));
    expect(warn.status).toBe(201);
    expect(warn.body.spec).toEqual({ replicas: 1 });
    expect(warn.headers.get('warning')).toBe('299 - "unknown field \\"spec.bogus\\""');
  });
});

describe('get and list', () => {
  it('GET-2 missing CR is 404 with group and resource', async () => {
    const r = await t.get(`${widgets}/nope`);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'widgets.example.com "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'example.com', kind: 'widgets' },
      code: 404,
    });
  });

  it('LIST-1 OBJ-5 empty list has items [] and the global RV', async () => {
    const r = await t.get('/api/v1/namespaces/kube-public/secrets');
    expect(r.body).toMatchObject({ kind: 'SecretList', apiVersion: 'v1', items: [] });
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('OBJ-4 built-in list items have no kind; CR list items do', async () => {
    await t.post(cms, CM('kindless'));
    const l = await t.get(cms);
    expect(l.body.items[0]).not.toHaveProperty('kind');
    await t.post(widgets, W('kinded'));
    const w = await t.get(widgets);
    expect(w.body.items[0]).toHaveProperty('kind', 'Widget');
  });

  it('LIST-2 OBJ-9 limit/continue pages in key order with the same RV and remainingItemCount', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'paging' } });
    for (const n of ['c', 'a', 'b', 'd']) await t.post('/api/v1/namespaces/paging/configmaps', CM(n));
    const p1 = await t.get('/api/v1/namespaces/paging/configmaps?limit=3');
    expect(p1.body.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(p1.body.metadata.remainingItemCount).toBe(1);
    await t.post('/api/v1/namespaces/paging/configmaps', CM('e'));
    const p2 = await t.get(`/api/v1/namespaces/paging/configmaps?limit=3&continue=${p1.body.metadata.continue}`);
    expect(p2.body.metadata.resourceVersion).toBe(p1.body.metadata.resourceVersion);
    expect(p2.body.items[0].metadata.name).toBe('d');
  });

  it('LIST-3 garbage continue token is 400', async () => {
    const r = await t.get(`${cms}?continue=garbage`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^invalid continue token/);
  });

  it('LIST-5 resourceVersionMatch without resourceVersion is 422', async () => {
    const r = await t.get(`${cms}?resourceVersionMatch=NotOlderThan`);
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  it('LS-1 != and notin match objects without the label', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'labels' } });
    const base = '/api/v1/namespaces/labels/configmaps';
    await t.post(base, { metadata: { name: 'red', labels: { color: 'red', n: '5' } } });
    await t.post(base, { metadata: { name: 'blue', labels: { color: 'blue' } } });
    await t.post(base, { metadata: { name: 'none' } });
    const names = async (sel: string) =>
      (await t.get(`${base}?labelSelector=${encodeURIComponent(sel)}`)).body.items
        .map((i: any) => i.metadata.name)
        .sort();
    expect(await names('color!=red')).toEqual(['blue', 'none']);
    expect(await names('color notin (red,blue)')).toEqual(['none']);
    expect(await names('color in (red, blue)')).toEqual(['blue', 'red']);
    expect(await names('!color')).toEqual(['none']);
    expect(await names('color')).toEqual(['blue', 'red']);
    expect(await names('n>4')).toEqual(['red']);
  });

  it('LS-2 malformed label selector is 400', async () => {
    const r = await t.get(`${cms}?labelSelector=${encodeURIComponent('a in ()')}`);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  it('FS-2 unsupported field selector is 400 with the default message; metadata.name works', async () => {
    const r = await t.get(`${cms}?fieldSelector=data.x=1`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const c = await t.get(`${widgets}?fieldSelector=spec.size=1`);
    expect(c.body.message).toBe('field label not supported: spec.size');
    await t.post(cms, CM('byname'));
    const n = await t.get(`${cms}?fieldSelector=metadata.name=byname`);
    expect(n.body.items.map((i: any) => i.metadata.name)).toEqual(['byname']);
  });

  it('FS-4 events filter by involvedObject fields', async () => {
    const ev = (name: string, obj: string) => ({
      metadata: { name },
      involvedObject: { kind: 'Widget', name: obj, namespace: 'default', uid: `uid-${obj}` },
      reason: 'Test',
      message: 'hello',
      type: 'Normal',
    });
    await t.post('/api/v1/namespaces/default/events', ev('e1', 'w-a'));
    await t.post('/api/v1/namespaces/default/events', ev('e2', 'w-b'));
    const r = await t.get(
      `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=w-a,involvedObject.namespace=default,involvedObject.kind=Widget,involvedObject.uid=uid-w-a')}&limit=500`,
    );
    expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['e1']);
  });

  it('EV-1 a core/v1 Event name is a path segment, not a DNS subdomain (as kube-apiserver v1.36 answers)', async () => {
    const ev = (name: string) => ({
      metadata: { name },
      involvedObject: { kind: 'Widget', name: 'w', namespace: 'default' },
      reason: 'Test',
      message: 'hello',
      type: 'Warning',
    });
    // A recorder names Events <object>.<hex>: an object with a legal 246-character name gets one of 263.
    for (const name of [`${'a'.repeat(246)}.18a2b3c4d5e6f708`, 'a'.repeat(1000), 'Upper.Case_x', 'a b'])
      expect((await t.post('/api/v1/namespaces/default/events', ev(name))).status).toBe(201);
    const refused = await t.post('/api/v1/namespaces/default/events', ev('a/b'));
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(
      `Event "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain '/'`,
    );
    expect((await t.post('/api/v1/namespaces/default/events', ev('..'))).body.message).toBe(
      `Event ".." is invalid: metadata.name: Invalid value: "..": may not be '..'`,
    );
  });

  it('EV-2 events written through core are readable through events.k8s.io/v1', async () => {
    const r = await t.get('/apis/events.k8s.io/v1/namespaces/default/events/e1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      note: 'hello',
      regarding: { name: 'w-a' },
    });
  });
});

describe('update', () => {
  it('UPD-3 stale RV is 409 with the optimistic-lock message', async () => {
    const c = await t.post(cms, CM('u3'));
    await t.put(`${cms}/u3`, { ...c.body, data: { a: '2' } });
    const r = await t.put(`${cms}/u3`, { ...c.body, data: { a: '3' } });
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "u3": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('UPD-4 built-in PUT without RV is unconditional; CR PUT without RV is 422', async () => {
    await t.post(cms, CM('u4'));
    const ok = await t.put(`${cms}/u4`, { metadata: { name: 'u4' }, data: { z: '1' } });
    expect(ok.status).toBe(200);
    await t.post(widgets, W('u4'));
    const bad = await t.put(`${widgets}/u4`, W('u4', { replicas: 2 }));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe(
      'Widget.example.com "u4" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
    expect(bad.body.details).toMatchObject({
      kind: 'Widget',
      causes: [{ reason: 'FieldValueInvalid', field: 'metadata.resourceVersion' }],
    });
  });

  it('UPD-1 PUT to a missing object is 404; UPD-2 name mismatch is 400', async () => {
    expect((await t.put(`${cms}/missing`, CM('missing'))).status).toBe(404);
    const r = await t.put(`${cms}/a`, CM('b'));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('the name of the object (b) does not match the name on the URL (a)');
  });

  it('OBJ-8 a no-op update does not bump RV', async () => {
    const c = await t.post(cms, CM('noop'));
    const u = await t.put(`${cms}/noop`, c.body);
    expect(u.status).toBe(200);
    expect(u.body.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
  });

  it('UPD-7 ST-2 CRD-G-1 main endpoint keeps status; /status keeps only status; generation counts spec', async () => {
    const c = await t.post(widgets, W('gen'));
    expect(c.body.metadata.generation).toBe(1);
    const s = await t.put(`${widgets}/gen/status`, {
      ...c.body,
      spec: { replicas: 4 },
      metadata: { ...c.body.metadata, labels: { x: 'y' } },
      status: { replicas: 1 },
    });
    expect(s.status).toBe(200);
    expect(s.body.spec).toEqual({ replicas: 1 });
    expect(s.body.metadata.labels).toBeUndefined();
    expect(s.body.status).toEqual({ replicas: 1 });
    expect(s.body.metadata.generation).toBe(1);
    const m = await t.put(`${widgets}/gen`, { ...s.body, spec: { replicas: 2 }, status: { replicas: 7 } });
    expect(m.body.status).toEqual({ replicas: 1 });
    expect(m.body.metadata.generation).toBe(2);
    const l = await t.patch(`${widgets}/gen`, { metadata: { labels: { a: 'b' } } });
    expect(l.body.metadata.generation).toBe(2);
  });

  it('ST-1 /status on a CRD without the status subresource is 404 naming the object', async () => {
    await installWidgets(t, { group: 'nostatus.example.com', status: false });
    const base = '/apis/nostatus.example.com/v1/namespaces/default/widgets';
    await t.post(base, { ...W('ns1'), apiVersion: 'nostatus.example.com/v1' });
    const r = await t.get(`${base}/ns1/status`);
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('widgets.nostatus.example.com "ns1" not found');
  });

  it('CRD-VAL-2 schema violation gives the exact 422 body', async () => {
    const r = await t.post(widgets, W('big', { replicas: 10 }));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Widget.example.com "big" is invalid: spec.replicas: Invalid value: 10: spec.replicas in body should be less than or equal to 5',
      reason: 'Invalid',
      details: {
        name: 'big',
        group: 'example.com',
        kind: 'Widget',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 10: spec.replicas in body should be less than or equal to 5',
            field: 'spec.replicas',
          },
        ],
      },
      code: 422,
    });
  });
});

describe('patch', () => {
  it('PATCH-1 strategic merge patch on a CR is 415', async () => {
    await t.post(widgets, W('p1'));
    const r = await t.patch(`${widgets}/p1`, { spec: { replicas: 2 } }, 'strategic');
    expect(r.status).toBe(415);
    expect(r.body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
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

describe('delete', () => {
  it('DEL-1 immediate delete returns a Success Status without code', async () => {
    const c = await t.post(widgets, W('d1'));
    const r = await t.del(`${widgets}/d1`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'd1', group: 'example.com', kind: 'widgets', uid: c.body.metadata.uid },
    });
    expect((await t.del(`${widgets}/d1`)).status).toBe(404);
  });

  it('DEL-3 UPD-8 finalizers gate deletion; removing the last one deletes', async () => {
    const c = await t.post(
      widgets,
      W('d3', { replicas: 1 }, { metadata: { name: 'd3', finalizers: ['example.com/f'] } }),
    );
    const d = await t.del(`${widgets}/d3`);
    expect(d.status).toBe(200);
    expect(d.body.metadata.deletionTimestamp).toBeTruthy();
    expect(d.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(d.body.metadata.generation).toBe(2);
    expect(Number(d.body.metadata.resourceVersion)).toBeGreaterThan(Number(c.body.metadata.resourceVersion));
    const add = await t.patch(`${widgets}/d3`, { metadata: { finalizers: ['example.com/f', 'example.com/g'] } });
    expect(add.status).toBe(422);
    expect(add.body.message).toContain('no new finalizers can be added if the object is being deleted');
    const rm = await t.patch(`${widgets}/d3`, { metadata: { finalizers: null } });
    expect(rm.status).toBe(200);
    expect((await t.get(`${widgets}/d3`)).status).toBe(404);
  });

  it('DEL-5 precondition mismatch names the Kind', async () => {
    await t.post(cms, CM('d5'));
    const r = await t.del(`${cms}/d5`, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'nope' } });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(
      /^Operation cannot be fulfilled on ConfigMap "d5": the UID in the precondition \(nope\) does not match/,
    );
  });

  it('DEL-6 bad propagationPolicy is 422', async () => {
    await t.post(cms, CM('d6'));
    const r = await t.del(`${cms}/d6`, { propagationPolicy: 'Sideways' });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain(
      'propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
  });

  it('§2.8 a DeleteOptions body wins over query parameters', async () => {
    await t.post(cms, CM('body-wins'));
    const r = await t.req('DELETE', `${cms}/body-wins?propagationPolicy=Sideways`, {
      apiVersion: 'meta.k8s.io/v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
    });
    expect(r.status).toBe(200);
  });

  it('DEL-7 immortal namespaces are 403', async () => {
    const r = await t.del('/api/v1/namespaces/default');
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('namespaces "default" is forbidden: this namespace may not be deleted');
  });

  it('DC-1 deletecollection honours label selectors and returns the deleted list; DC-2 namespaces have none', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'dc' } });
    const base = '/api/v1/namespaces/dc/configmaps';
    await t.post(base, { metadata: { name: 'x1', labels: { k: 'x' } } });
    await t.post(base, { metadata: { name: 'x2', labels: { k: 'x' } } });
    await t.post(base, { metadata: { name: 'y1', labels: { k: 'y' } } });
    const r = await t.del(`${base}?labelSelector=k%3Dx`);
    expect(r.body.kind).toBe('ConfigMapList');
    expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['x1', 'x2']);
    expect((await t.get(base)).body.items.map((i: any) => i.metadata.name)).toEqual(['y1']);
    expect((await t.del('/api/v1/namespaces')).status).toBe(405);
  });
});

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
