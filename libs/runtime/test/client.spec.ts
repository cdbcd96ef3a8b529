import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import {
  Client,
  ConfigMap,
  crdFor,
  defineKind,
  isConflict,
  isAlreadyExists,
  isInvalid,
  Type,
  UnsupportedPatchError,
  type ObjectOf,
} from '../src/index.ts';

const Gadget = defineKind({
  group: 'runtime-test.kubeloop.dev',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  scope: 'Namespaced',
  shortNames: ['gdg'],
  categories: ['kubeloop'],
  spec: Type.Object({
    size: Type.Integer({ minimum: 1, maximum: 10 }),
    color: Type.Optional(Type.Union([Type.Literal('red'), Type.Literal('blue')], { default: 'red' })),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
  status: Type.Object({ ready: Type.Optional(Type.Boolean()), replicas: Type.Optional(Type.Integer()) }),
  printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
  scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.replicas' },
});
type Gadget = ObjectOf<typeof Gadget>;

let cp: ControlPlane;
let client: Client;
let ns: string;

beforeAll(async () => {
  cp = await startControlPlane();
  await installCRDs(cp, [crdFor(Gadget)]);
  client = new Client(cp.kubeConfig, { fieldManager: 'runtime-test' });
  ns = await createTestNamespace(cp, 'client-');
});
afterAll(async () => {
  client?.close();
  await cp?.stop();
});

describe('Client against an API server', () => {
  it('CRUD on a built-in kind: create, get, conflict on stale update, merge/strategic/json patch, delete', async () => {
    const cms = client.resource(ConfigMap);
    const created = await cms.create({ metadata: { name: 'c1', namespace: ns }, data: { a: '1' } });
    expect(created.metadata.uid).toBeTruthy();
    await expect(cms.create({ metadata: { name: 'c1', namespace: ns } })).rejects.toSatisfy(isAlreadyExists);

    const got = await cms.get(ns, 'c1');
    expect(got?.data).toEqual({ a: '1' });
    const updated = await cms.update({ ...got!, data: { a: '2' } });
    await expect(cms.update({ ...got!, data: { a: '3' } })).rejects.toSatisfy(isConflict);

    await cms.patch(ns, 'c1', { data: { b: '2' } }, 'merge');
    await cms.patch(ns, 'c1', { data: { c: '3' } }, 'strategic');
    const patched = await cms.patch(ns, 'c1', [{ op: 'remove', path: '/data/a' }], 'json');
    expect(patched.data).toEqual({ b: '2', c: '3' });
    expect(patched.metadata.resourceVersion).not.toBe(updated.metadata.resourceVersion);
    // managedFields are a SHOULD for local-apiserver (SSA-5); where present they name our manager.
    if (patched.metadata.managedFields) {
      expect(patched.metadata.managedFields.some((f) => (f as { manager?: string }).manager === 'runtime-test')).toBe(
        true,
      );
    }

    expect(await cms.delete(ns, 'c1')).toBe(true);
    expect(await cms.get(ns, 'c1')).toBeUndefined();
    expect(await cms.delete(ns, 'c1')).toBe(false);
  });

  it('the CRD from crdFor is accepted; custom objects get defaults, validation, /status', async () => {
    const gadgets = client.resource(Gadget);
    const g = await gadgets.create({
      apiVersion: Gadget.apiVersion,
      kind: 'Gadget',
      metadata: { name: 'g1', namespace: ns },
      spec: { size: 3 },
    });
    expect(g.spec.color).toBe('red');
    await expect(
      gadgets.create({
        apiVersion: Gadget.apiVersion,
        kind: 'Gadget',
        metadata: { name: 'g2', namespace: ns },
        spec: { size: 11 },
      }),
    ).rejects.toSatisfy(isInvalid);

    // status goes through /status only
    const withStatus = await gadgets.updateStatus({ ...g, status: { ready: true } });
    expect(withStatus.status).toEqual({ ready: true });
    const ignored = await gadgets.update({ ...withStatus, status: { ready: false } });
    expect(ignored.status).toEqual({ ready: true });
    const patched = await gadgets.patchStatus(ns, 'g1', { status: { replicas: 2 } }, 'merge');
    expect(patched.status).toEqual({ ready: true, replicas: 2 });

    await expect(gadgets.patch(ns, 'g1', { spec: { size: 4 } }, 'strategic')).rejects.toThrow(UnsupportedPatchError);

    const list = await gadgets.list({ namespace: ns });
    expect(list.items.map((i: Gadget) => [i.metadata.name, i.kind, i.apiVersion])).toEqual([
      ['g1', 'Gadget', Gadget.apiVersion],
    ]);
    expect(list.metadata.resourceVersion).toBeTruthy();
  });

  it('list pages with limit and continue', async () => {
    const cms = client.resource(ConfigMap);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        cms.create({ metadata: { name: `p${i}`, namespace: ns, labels: { page: 'yes' } } }),
      ),
    );
    const first = await cms.list({ namespace: ns, labelSelector: 'page=yes', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    const second = await cms.list({
      namespace: ns,
      labelSelector: 'page=yes',
      limit: 10,
      continue: first.metadata.continue,
    });
    expect(second.items).toHaveLength(3);
    expect(second.metadata.continue || undefined).toBeUndefined();
  });

  it('watch streams events from a resourceVersion and ends when the server closes it', async () => {
    const cms = client.resource(ConfigMap);
    const start = await cms.list({ namespace: ns, limit: 1 });
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of cms.watch({
        namespace: ns,
        resourceVersion: start.metadata.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 30,
        signal: ac.signal,
      })) {
        if (ev.type === 'BOOKMARK') continue;
        seen.push(`${ev.type} ${'metadata' in ev.object ? (ev.object.metadata as { name?: string }).name : ''}`);
        if (seen.length === 3) ac.abort();
      }
    })();
    await cms.create({ metadata: { name: 'w1', namespace: ns } });
    await cms.patch(ns, 'w1', { data: { x: 'y' } });
    await cms.delete(ns, 'w1');
    await done;
    expect(seen).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  });
});
