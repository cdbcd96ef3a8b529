import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig, CoreV1Api, Watch } from '@kubernetes/client-node';
import { CM, TestServer, W, installWidgets, type Condition } from './helpers.ts';

let t: TestServer;
const cms = '/api/v1/namespaces/default/configmaps';
const widgets = '/apis/example.com/v1/namespaces/default/widgets';

beforeAll(async () => {
  t = await TestServer.start({ watchHistory: 50 });
  await installWidgets(t);
});
afterAll(() => t.stop());

describe('watch', () => {
  it('WATCH-1 WATCH-2 WATCH-4 RV-less watch streams synthetic ADDED then live events, one JSON per line', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'w4' } });
    await t.post('/api/v1/namespaces/w4/configmaps', CM('pre'));
    let streaming!: () => void;
    const started = new Promise<void>((r) => (streaming = r));
    const p = t.watch('/api/v1/namespaces/w4/configmaps?watch=true', (ev) => ev.length >= 2, 3000, streaming);
    await started; // the synthetic ADDED of "pre" arrived: the watch is established
    await t.post('/api/v1/namespaces/w4/configmaps', CM('live'));
    const { events, status, contentType } = await p;
    expect(status).toBe(200);
    expect(contentType).toBe('application/json');
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'pre'],
      ['ADDED', 'live'],
    ]);
    expect(events[0].object.kind).toBe('ConfigMap');
  });

  it('WATCH-5 WATCH-9 watch from an RV sends only later changes; DELETED carries the deletion RV', async () => {
    const c = await t.post(cms, CM('w5'));
    const rv = c.body.metadata.resourceVersion;
    await t.patch(`${cms}/w5`, { data: { b: '2' } });
    const d = await t.del(`${cms}/w5`);
    expect(d.status).toBe(200);
    const { events } = await t.watch(
      `${cms}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw5`,
      (ev) => ev.length >= 2,
    );
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(Number(events[1].object.metadata.resourceVersion)).toBeGreaterThan(
      Number(events[0].object.metadata.resourceVersion),
    );
  });

  it('WATCH-6 too-old RV is HTTP 200 with an ERROR 410 Expired event', async () => {
    const c = await t.post(cms, CM('w6'));
    t.server.forceCompaction();
    const { events, status } = await t.watch(
      `${cms}?watch=true&resourceVersion=${Number(c.body.metadata.resourceVersion) - 1}`,
      (ev) => ev.length >= 1,
    );
    expect(status).toBe(200);
    expect(events[0].type).toBe('ERROR');
    expect(events[0].object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(events[0].object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('LIST-4 exact list at a compacted RV is 410 Expired', async () => {
    const r = await t.get(`${cms}?resourceVersion=1&resourceVersionMatch=Exact`);
    expect(r.status).toBe(410);
    expect(r.body.message).toBe('The resourceVersion for the provided list is too old.');
  });

  it('WATCH-8 selector transitions become ADDED and DELETED', async () => {
    const c = await t.post(cms, CM('w8'));
    const rv = c.body.metadata.resourceVersion;
    await t.patch(`${cms}/w8`, { metadata: { labels: { sel: 'yes' } } });
    await t.patch(`${cms}/w8`, { data: { x: '1' } });
    await t.patch(`${cms}/w8`, { metadata: { labels: { sel: 'no' } } });
    const { events } = await t.watch(
      `${cms}?watch=true&resourceVersion=${rv}&labelSelector=sel%3Dyes`,
      (ev) => ev.length >= 3,
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[2].object.metadata.labels.sel).toBe('yes');
  });

  it('WATCH-11 sendInitialEvents ends the initial ADDED events with the initial-events-end bookmark', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'w11' } });
    await t.post('/api/v1/namespaces/w11/configmaps', CM('one'));
    const { events } = await t.watch(
      '/api/v1/namespaces/w11/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
      (ev) => ev.some((e) => e.type === 'BOOKMARK'),
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[1].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    const bad = await t.get('/api/v1/namespaces/w11/configmaps?watch=true&sendInitialEvents=true');
    expect(bad.status).toBe(422);
  });

  it('WATCH-13 timeoutSeconds ends the stream cleanly', async () => {
    const started = Date.now();
    const r = await t.get(
      `${cms}?watch=true&resourceVersion=${(await t.get(cms)).body.metadata.resourceVersion}&timeoutSeconds=1`,
    );
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('WATCH-13 a requested bookmark comes before the timeout only once the watch moved past its RV', async () => {
    const secrets = '/api/v1/namespaces/default/secrets';
    const rv = (await t.get(secrets)).body.metadata.resourceVersion as string;
    const q = `?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=3`;
    // Nothing happened since rv: kube-apiserver v1.36.2 sends no bookmark (it never repeats the RV).
    expect((await t.get(secrets + q)).text).toBe('');
    const moved = t.get(secrets + q);
    const created = await t.post(secrets, { metadata: { name: 'w13' } });
    const events = (await moved).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { resourceVersion: string } } });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[1]!.object.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
  });

  it('URL-4 URL-5 legacy /watch/ single-object path watches; GET ?watch on an item is a plain GET', async () => {
    await t.post(cms, CM('single'));
    const { events } = await t.watch('/api/v1/watch/namespaces/default/configmaps/single', (ev) => ev.length >= 1);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'single']]);
    const g = await t.get(`${cms}/single?watch=true`);
    expect(g.body.kind).toBe('ConfigMap');
  });

  it('A.1 client-node informer-style Watch receives events', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(t.server.kubeconfig());
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const seen: string[] = [];
    const watch = new Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata!.resourceVersion },
      (type, obj) => seen.push(`${type}:${obj.metadata.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client-node' } } });
    await t.eventually(() => expect(seen).toContain('ADDED:from-client-node'));
    req.abort();
  });

  it('stop() cuts watches and start() serves the same data on the same port', async () => {
    await t.post(cms, CM('survivor'));
    const port = t.server.port;
    let streaming!: () => void;
    const started = new Promise<void>((r) => (streaming = r));
    const p = t.watch(`${cms}?watch=true`, () => false, 5000, streaming);
    await started; // at least one synthetic ADDED arrived: the watch is established
    await t.server.stop();
    const { events } = await p;
    expect(events.length).toBeGreaterThan(0);
    await t.server.start();
    expect(t.server.port).toBe(port);
    // A pooled keep-alive connection cut by stop() may fail once, as with any restarted server.
    await t.eventually(async () => expect((await t.get(`${cms}/survivor`)).status).toBe(200));
  });
});

describe('controllers', () => {
  it('CRD-2 a new CRD gets NamesAccepted and then Established, each as a MODIFIED event', async () => {
    const c = await t.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'gadgets.example.org' },
      spec: {
        group: 'example.org',
        scope: 'Cluster',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    expect(c.status).toBe(201);
    // conditions has no omitempty: an empty list comes back from etcd (protobuf) as null.
    expect(c.body.status.conditions).toBeNull();
    expect(c.body.spec.names).toMatchObject({ singular: 'gadget', listKind: 'GadgetList' });
    const { events } = await t.watch(
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions?watch=true&resourceVersion=${c.body.metadata.resourceVersion}&fieldSelector=metadata.name%3Dgadgets.example.org`,
      (ev) => ev.length >= 2,
    );
    expect(events[0].object.status.conditions.find((x: Condition) => x.type === 'NamesAccepted')).toMatchObject({
      status: 'True',
      reason: 'NoConflicts',
    });
    expect(events[1].object.status.conditions.find((x: Condition) => x.type === 'Established')).toMatchObject({
      status: 'True',
      reason: 'InitialNamesAccepted',
    });
    const made = await t.post('/apis/example.org/v1/gadgets', {
      apiVersion: 'example.org/v1',
      kind: 'Gadget',
      metadata: { name: 'g1' },
      anything: 1,
    });
    expect(made.status).toBe(201);
  });

  it('CRD-5 deleting a CRD removes its instances, then the CRD and its endpoints', async () => {
    await installWidgets(t, { group: 'gone.example.com' });
    const base = '/apis/gone.example.com/v1/namespaces/default/widgets';
    await t.post(base, { ...W('x'), apiVersion: 'gone.example.com/v1' });
    const d = await t.del('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.gone.example.com', {
      propagationPolicy: 'Orphan',
    });
    expect(d.status).toBe(200);
    // The CRD REST's own Delete: a deletion timestamp and the cleanup finalizer, but no
    // propagation finalizer, no generation bump and no grace period (asked of kube-apiserver v1.36.2).
    expect(d.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(d.body.metadata.deletionTimestamp).toBeTruthy();
    expect(d.body.metadata.generation).toBe(1);
    expect(d.body.metadata).not.toHaveProperty('deletionGracePeriodSeconds');
    await t.eventually(async () =>
      expect(
        (await t.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.gone.example.com')).status,
      ).toBe(404),
    );
    await t.eventually(async () => expect((await t.get(base)).status).toBe(404));
    expect((await t.get('/apis/gone.example.com/v1')).status).toBe(404);
  });

  it('NS-4 CR-5 deleting a namespace terminates it, blocks creates, removes content, then the namespace', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await t.post('/api/v1/namespaces/doomed/configmaps', CM('c'));
    await t.post(
      '/apis/example.com/v1/namespaces/doomed/widgets',
      W('held', { replicas: 1 }, { metadata: { name: 'held', finalizers: ['example.com/hold'] } }),
    );
    const d = await t.del('/api/v1/namespaces/doomed');
    expect(d.status).toBe(200);
    expect(d.body.status.phase).toBe('Terminating');
    // While content is left a second delete answers the Terminating namespace as it is.
    const again = await t.del('/api/v1/namespaces/doomed');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    const blocked = await t.post('/api/v1/namespaces/doomed/configmaps', CM('late'));
    expect(blocked.status).toBe(403);
    expect(blocked.body.details.causes[0].reason).toBe('NamespaceTerminating');
    await t.eventually(async () => expect((await t.get('/api/v1/namespaces/doomed/configmaps/c')).status).toBe(404));
    expect((await t.get('/api/v1/namespaces/doomed')).status).toBe(200);
    await t.patch('/apis/example.com/v1/namespaces/doomed/widgets/held', { metadata: { finalizers: null } });
    await t.eventually(async () => expect((await t.get('/api/v1/namespaces/doomed')).status).toBe(404));
  });

  it('GC-1 GC-4 background deletion removes dependents of a deleted owner', async () => {
    const owner = await t.post(widgets, W('owner-bg'));
    const ref = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      name: 'owner-bg',
      uid: owner.body.metadata.uid,
      controller: true,
    };
    await t.post(cms, { metadata: { name: 'dep-bg', ownerReferences: [ref] } });
    await t.del(`${widgets}/owner-bg`);
    await t.eventually(async () => expect((await t.get(`${cms}/dep-bg`)).status).toBe(404));
  });

  it('GC-4 GC compares owner UIDs: a dependent of a recreated owner is collected', async () => {
    await t.post(cms, {
      metadata: {
        name: 'dangling',
        ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'reborn', uid: 'old-uid' }],
      },
    });
    await t.post(widgets, W('reborn'));
    await t.eventually(async () => expect((await t.get(`${cms}/dangling`)).status).toBe(404));
  });

  it('GC-5 dangling references next to a solid owner are removed, the dependent survives', async () => {
    const owner = await t.post(widgets, W('solid'));
    await t.post(cms, {
      metadata: {
        name: 'two-owners',
        ownerReferences: [
          { apiVersion: 'example.com/v1', kind: 'Widget', name: 'solid', uid: owner.body.metadata.uid },
          { apiVersion: 'example.com/v1', kind: 'Widget', name: 'ghost', uid: 'ghost-uid' },
        ],
      },
    });
    await t.eventually(async () => {
      const r = await t.get(`${cms}/two-owners`);
      expect(r.body.metadata.ownerReferences.map((x: { name: string }) => x.name)).toEqual(['solid']);
    });
  });

  it('GC-2 foreground deletion keeps the owner until blocking dependents are gone', async () => {
    const owner = await t.post(widgets, W('owner-fg'));
    const ref = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      name: 'owner-fg',
      uid: owner.body.metadata.uid,
      blockOwnerDeletion: true,
    };
    await t.post(cms, { metadata: { name: 'dep-fg', ownerReferences: [ref] } });
    const d = await t.del(`${widgets}/owner-fg`, { propagationPolicy: 'Foreground' });
    expect(d.status).toBe(200);
    expect(d.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    await t.eventually(async () => expect((await t.get(`${widgets}/owner-fg`)).status).toBe(404));
    expect((await t.get(`${cms}/dep-fg`)).status).toBe(404);
  });

  it('GC-7 a namespaced owner in another namespace: Warning OwnerRefInvalidNamespace on the dependent, which is then collected', async () => {
    await t.post('/api/v1/namespaces', { metadata: { name: 'gc7-a' } });
    await t.post('/api/v1/namespaces', { metadata: { name: 'gc7-b' } });
    const owner = await t.post('/api/v1/namespaces/gc7-a/configmaps', CM('owner'));
    const uid = owner.body.metadata.uid;
    const dep = await t.post('/api/v1/namespaces/gc7-b/configmaps', {
      metadata: { name: 'dep', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }] },
    });
    expect(dep.status).toBe(201);
    const events = await t.eventually(async () => {
      const r = await t.get('/api/v1/namespaces/gc7-b/events');
      expect(r.body.items).toHaveLength(1);
      return r.body.items;
    });
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reason: 'OwnerRefInvalidNamespace',
      message: `ownerRef [v1/ConfigMap, namespace: gc7-b, name: owner, uid: ${uid}] does not exist in namespace "gc7-b"`,
      involvedObject: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'gc7-b',
        name: 'dep',
        uid: dep.body.metadata.uid,
      },
      source: { component: 'garbage-collector-controller' },
      reportingComponent: 'garbage-collector-controller',
      count: 1,
    });
    expect(events[0].metadata.name).toMatch(/^dep\.[0-9a-f]+$/);
    await t.eventually(async () => expect((await t.get('/api/v1/namespaces/gc7-b/configmaps/dep')).status).toBe(404));
    expect((await t.get('/api/v1/namespaces/gc7-a/configmaps/owner')).status).toBe(200);
    expect((await t.get('/api/v1/namespaces/gc7-b/events')).body.items).toHaveLength(1);
  });

  it('GC-3 orphan deletion strips owner references and keeps the dependent', async () => {
    const owner = await t.post(widgets, W('owner-or'));
    const ref = { apiVersion: 'example.com/v1', kind: 'Widget', name: 'owner-or', uid: owner.body.metadata.uid };
    await t.post(cms, { metadata: { name: 'dep-or', ownerReferences: [ref] } });
    const d = await t.del(`${widgets}/owner-or`, { propagationPolicy: 'Orphan' });
    expect(d.body.metadata.finalizers).toEqual(['orphan']);
    await t.eventually(async () => expect((await t.get(`${widgets}/owner-or`)).status).toBe(404));
    const dep = await t.get(`${cms}/dep-or`);
    expect(dep.status).toBe(200);
    expect(dep.body.metadata.ownerReferences).toBeUndefined();
  });
});
