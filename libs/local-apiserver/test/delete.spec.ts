import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/index.ts';
import { CM, W, installWidgets, TestServer } from './helpers.ts';

let t: TestServer;
const cms = '/api/v1/namespaces/default/configmaps';
const widgets = '/apis/example.com/v1/namespaces/default/widgets';

beforeAll(async () => {
  t = await TestServer.start();
  await installWidgets(t);
});
afterAll(() => t.stop());

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
    // kube-apiserver v1.36.2 lists the cause twice (ObjectMeta's update is validated twice).
    expect(add.body.details.causes).toHaveLength(2);
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

  it("DEL-6 DeleteOptions: a bad dryRun is one error naming the list; a malformed body is the decoder's 400", async () => {
    await t.post(cms, CM('d-opts'));
    const dry = await t.del(`${cms}/d-opts`, { apiVersion: 'v1', kind: 'DeleteOptions', dryRun: ['Maybe'] });
    expect(dry.status).toBe(422);
    expect(dry.body.message).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Maybe"]: supported values: "All"',
    );
    const malformed = await t.del(`${cms}/d-opts`, '{"propagationPolicy":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toBe("couldn't get version/kind; json parse error: unexpected end of JSON input");
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
    expect(r.body.items.map((i: KubeObject) => i.metadata?.name)).toEqual(['x1', 'x2']);
    expect((await t.get(base)).body.items.map((i: KubeObject) => i.metadata?.name)).toEqual(['y1']);
    expect((await t.del('/api/v1/namespaces')).status).toBe(405);
  });
});
