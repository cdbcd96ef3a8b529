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
      'widgets.example.com "u4" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
    expect(bad.body.details).toMatchObject({
      kind: 'widgets',
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
