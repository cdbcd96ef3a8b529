import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CM, installWidgets, TestServer } from './helpers.ts';

let t: TestServer;
const cms = '/api/v1/namespaces/default/configmaps';

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
    const main = r.body.resources.find((x: { name: string }) => x.name === 'widgets');
    expect(main.verbs).toEqual(['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
    expect(main.singularName).toBe('widget');
    expect(r.body.resources.find((x: { name: string }) => x.name === 'widgets/status')).toMatchObject({
      singularName: '',
      verbs: ['get', 'patch', 'update'],
    });
    expect(r.body.apiVersion).toBe('v1');
  });

  it('DISC-7 core v1 has configmaps with short name cm and namespaces/status', async () => {
    const r = await t.get('/api/v1');
    expect(r.body).not.toHaveProperty('apiVersion');
    expect(r.body.resources.find((x: { name: string }) => x.name === 'configmaps')).toMatchObject({
      namespaced: true,
      kind: 'ConfigMap',
      shortNames: ['cm'],
    });
    expect(r.body.resources.find((x: { name: string }) => x.name === 'namespaces/status')).toBeTruthy();
  });

  it('DISC-8 DISC-9 /apis and /apis/{g} list groups with preferred versions', async () => {
    const r = await t.get('/apis');
    expect(r.body.kind).toBe('APIGroupList');
    expect(r.body.groups.map((g: { name: string }) => g.name)).toContain('example.com');
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

  it("NEG-2 a built-in's GET with an Accept it cannot produce is go-restful's bare 406", async () => {
    const r = await t.get(cms, { accept: 'application/xml' });
    expect(r.status).toBe(406);
    expect(r.body.message).toBe(
      '406: Not Acceptable\n\nAvailable representations: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
    expect(r.body.details).toEqual({});
  });

  it('NEG-3 unsupported body type on POST is 415', async () => {
    const r = await t.req('POST', cms, 'x', 'text/plain');
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });
});
