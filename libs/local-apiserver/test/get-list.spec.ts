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
    expect(p1.body.items.map((i: KubeObject) => i.metadata?.name)).toEqual(['a', 'b', 'c']);
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
        .map((i: KubeObject) => i.metadata?.name)
        .sort();
    expect(await names('color!=red')).toEqual(['blue', 'none']);
    expect(await names('color notin (red,blue)')).toEqual(['none']);
    expect(await names('color in (red, blue)')).toEqual(['blue', 'red']);
    expect(await names('!color')).toEqual(['none']);
    expect(await names('color')).toEqual(['blue', 'red']);
    expect(await names('n>4')).toEqual(['red']);
  });

  it('LS-2 malformed label selector is 400; an empty set is the empty value (as kube-apiserver v1.36)', async () => {
    const r = await t.get(`${cms}?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
    expect(r.body.message).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    const comma = await t.get(`${cms}?labelSelector=${encodeURIComponent('a,')}`);
    expect(comma.body.message).toBe("found '', expected: identifier after ','");
    const empty = await t.get(`${cms}?labelSelector=${encodeURIComponent('a in ()')}`);
    expect(empty.status).toBe(200);
    expect(empty.body.items).toEqual([]);
  });

  it('FS-2 unsupported field selector is 400 with the default message; metadata.name works', async () => {
    const r = await t.get(`${cms}?fieldSelector=data.x=1`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const c = await t.get(`${widgets}?fieldSelector=spec.size=1`);
    expect(c.body.message).toBe('field label not supported: spec.size');
    await t.post(cms, CM('byname'));
    const n = await t.get(`${cms}?fieldSelector=metadata.name=byname`);
    expect(n.body.items.map((i: KubeObject) => i.metadata?.name)).toEqual(['byname']);
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
    expect(r.body.items.map((i: KubeObject) => i.metadata?.name)).toEqual(['e1']);
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

  it('EV-2 FS-2 events.k8s.io/v1 selects by its own field labels and validates as the core Event', async () => {
    const v1 = '/apis/events.k8s.io/v1/namespaces/default/events';
    const byRegarding = await t.get(`${v1}?fieldSelector=regarding.name=w-a`);
    expect(byRegarding.status).toBe(200);
    expect(byRegarding.body.items.map((e: { metadata: { name: string } }) => e.metadata.name)).toContain('e1');
    const byCoreLabel = await t.get(`${v1}?fieldSelector=involvedObject.name=w-a`);
    expect(byCoreLabel.status).toBe(400);
    expect(byCoreLabel.body.message).toBe('field label not supported: involvedObject.name');
    const bad = await t.post(v1, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'ev2-bad' },
      reportingController: 'example.com/c',
      reportingInstance: 'i',
      action: 'A',
      reason: 'R',
      type: 'Normal',
      regarding: { kind: 'ConfigMap', name: 'x', namespace: 'default' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('Event "ev2-bad" is invalid: eventTime: Required value');
    expect(bad.body.details.group).toBeUndefined();
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
