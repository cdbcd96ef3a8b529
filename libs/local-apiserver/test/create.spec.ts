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

describe('create', () => {
  it('DRY-1 FV-1 bad option values are one 422 on CreateOptions; a repeated object key of a built-in merges', async () => {
    const bad = await t.post(`${cms}?dryRun=Sometimes&fieldValidation=Bogus`, CM('c-opts'));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: [dryRun: Unsupported value: ["Sometimes"]: supported values: "All", fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"]',
    );
    expect(bad.body.details.kind).toBe('CreateOptions');
    expect(bad.body.details.group).toBe('meta.k8s.io');
    const upd = await t.put(`${cms}/c-opts?fieldValidation=Loose`, CM('c-opts'));
    expect(upd.body.message).toBe(
      'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
    );
    const dup = await t.post(
      `${cms}?fieldValidation=Warn`,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c-dup"},"data":{"a":"1"},"data":{"b":"2"}}',
    );
    expect(dup.status).toBe(201);
    expect(dup.body.data).toEqual({ a: '1', b: '2' });
    expect(dup.headers.get('warning')).toBe('299 - "duplicate field \\"data\\""');
  });

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
