import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Cache,
  Client,
  ConfigMap,
  crdFor,
  defineKind,
  Service,
  Type,
  type Kind,
  type KubeObject,
} from '@kubeloop/runtime';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import {
  createOrUpdate,
  deleteUndesired,
  isControlledBy,
  ownedChildren,
  setCondition,
  setControllerReference,
  syncOwnedChildren,
  updateStatusIfChanged,
  withFinalizer,
  type HelperContext,
} from '../src/index.ts';

/** A kind with a status subresource, to check status writes the way the API server treats them. */
const Widget = defineKind({
  group: 'reconcile.kubeloop.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  scope: 'Namespaced',
  spec: Type.Object({ size: Type.Integer({ default: 1 }), color: Type.Optional(Type.String({ default: 'blue' })) }),
  status: Type.Object({
    ready: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(
      Type.Array(
        Type.Object({
          type: Type.String(),
          status: Type.String(),
          reason: Type.String(),
          message: Type.String(),
          lastTransitionTime: Type.String(),
        }),
      ),
    ),
  }),
});

let cp: ControlPlane;
let client: Client;
let cache: Cache;
const abort = new AbortController();
const ctx = (): HelperContext => ({ client, cache });

beforeAll(async () => {
  cp = await startControlPlane({ crds: [crdFor(Widget)] });
  client = new Client(cp.kubeConfig, { fieldManager: 'reconcile-test' });
  cache = new Cache(client);
  for (const k of [ConfigMap, Service, Widget] as Kind<KubeObject>[]) cache.informerFor(k);
  await cache.start(abort.signal);
  await cache.waitForSync(abort.signal);
}, 120_000);
afterAll(async () => {
  abort.abort();
  await cache?.stopped();
  await cp?.stop();
});

/** Waits until the cache shows `obj` at (at least) the given resourceVersion's object. */
async function cached<T extends KubeObject>(kind: Kind<T>, obj: T): Promise<T> {
  return eventually(() => {
    const c = cache.reader(kind).get(obj.metadata.namespace, obj.metadata.name!);
    expect(c?.metadata.resourceVersion).toBe(obj.metadata.resourceVersion);
    return c!;
  });
}

describe('createOrUpdate against an API server', () => {
  it('server-defaulted fields never cause an update: a Service is written once', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const mutate = (svc: Service) => {
      svc.metadata.labels = { ...svc.metadata.labels, app: 'web' };
      svc.spec = {
        ...svc.spec,
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      };
    };
    const first = await createOrUpdate(ctx(), Service, { namespace: ns, name: 'web' }, mutate);
    expect(first.result).toBe('created');
    // The server filled in clusterIP, sessionAffinity, type, ipFamilies … none of which the mutation sets.
    expect((first.object.spec as { clusterIP?: string }).clusterIP).toBeTruthy();
    await cached(Service, first.object);

    const second = await createOrUpdate(ctx(), Service, { namespace: ns, name: 'web' }, mutate);
    expect(second.result).toBe('unchanged');
    expect(second.object.metadata.resourceVersion).toBe(first.object.metadata.resourceVersion);
    expect((await client.resource(Service).get(ns, 'web'))!.metadata.resourceVersion).toBe(
      first.object.metadata.resourceVersion,
    );
  });

  it('CRD schema defaults are not a diff either, and a real change is one update', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const setSize = (n: number) => (w: typeof Widget extends Kind<infer T> ? T : never) => {
      w.spec = { ...w.spec, size: n };
    };
    const created = await createOrUpdate(ctx(), Widget, { namespace: ns, name: 'w' }, setSize(2));
    expect(created.object.spec).toEqual({ size: 2, color: 'blue' }); // color defaulted by the schema
    await cached(Widget, created.object);
    expect((await createOrUpdate(ctx(), Widget, { namespace: ns, name: 'w' }, setSize(2))).result).toBe('unchanged');
    const updated = await createOrUpdate(ctx(), Widget, { namespace: ns, name: 'w' }, setSize(3));
    expect(updated.result).toBe('updated');
    expect(updated.object.spec).toEqual({ size: 3, color: 'blue' });
    expect(updated.object.metadata.generation).toBe(2);
  });

  it('a stale cache ends in a 409, not a lost update', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const { object } = await createOrUpdate(ctx(), ConfigMap, { namespace: ns, name: 'cm' }, (cm) => {
      cm.data = { a: '1' };
    });
    const stale = await cached(ConfigMap, object);
    // Someone else writes after our cache read; a context frozen at that read carries the old resourceVersion.
    await client.resource(ConfigMap).update({ ...structuredClone(object), data: { a: 'theirs' } });
    const staleCtx: HelperContext = {
      client,
      cache: { reader: <T extends KubeObject>() => ({ get: () => stale as unknown as T, byIndex: () => [] }) },
    };
    await expect(
      createOrUpdate(staleCtx, ConfigMap, { namespace: ns, name: 'cm' }, (cm) => {
        cm.data = { a: 'ours' };
      }),
    ).rejects.toMatchObject({ code: 409 });
    expect((await client.resource(ConfigMap).get(ns, 'cm'))!.data).toEqual({ a: 'theirs' });
  });
});

describe('owned children', () => {
  it('ownedChildren uses the controller-UID index; deleteUndesired removes only undesired owned children', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const owner = await client
      .resource(ConfigMap)
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: ns } });
    for (const name of ['a', 'b', 'c']) {
      await createOrUpdate(ctx(), ConfigMap, { namespace: ns, name }, (cm) => setControllerReference(owner, cm));
    }
    await client
      .resource(ConfigMap)
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stranger', namespace: ns } });
    await eventually(() =>
      expect(
        ownedChildren(ctx(), ConfigMap, owner)
          .map((c) => c.metadata.name)
          .sort(),
      ).toEqual(['a', 'b', 'c']),
    );
    expect(ownedChildren(ctx(), ConfigMap, owner).every((c) => isControlledBy(c, owner))).toBe(true);

    const deleted = await deleteUndesired(ctx(), ConfigMap, owner, new Set(['a']));
    expect(deleted.map((d) => d.metadata.name).sort()).toEqual(['b', 'c']);
    // Controllers of a real cluster publish their own ConfigMaps into every namespace: look only at ours.
    const left = new Set((await client.resource(ConfigMap).list({ namespace: ns })).items.map((c) => c.metadata.name));
    expect(['a', 'b', 'c', 'owner', 'stranger'].filter((n) => left.has(n))).toEqual(['a', 'owner', 'stranger']);
  });
});

describe('syncOwnedChildren against an API server', () => {
  it('a child the server refuses (422: a Service name over 63 characters) is reported with its words, and not sent again', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const owner = await client
      .resource(ConfigMap)
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: ns } });
    const events: string[] = [];
    const reporting = {
      ...ctx(),
      events: {
        normal: (_o: KubeObject, reason: string, message: string) => events.push(`Normal ${reason}: ${message}`),
        warning: (_o: KubeObject, reason: string, message: string) => events.push(`Warning ${reason}: ${message}`),
      },
    };
    const long = 's'.repeat(64);
    const desired = [{ name: 'short' }, { name: long }];
    const opts = {
      apply: (svc: KubeObject & { spec?: object }) =>
        void (svc.spec = { ports: [{ port: 80, protocol: 'TCP' as const }], selector: { app: 'x' } }),
      prune: false,
    };
    const first = await syncOwnedChildren(reporting, owner, Service, desired, opts);
    expect(first.created).toEqual(['short']);
    const message = `Service "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 63 characters`;
    expect(first.invalid).toEqual([{ name: long, verb: 'create', message }]);
    expect(events).toEqual([
      'Normal Created: created Service short',
      `Warning FailedCreate: cannot create Service ${long}: ${message}`,
    ]);

    // Every request this process sends for the refused name, as "VERB path".
    const sent: string[] = [];
    const onRequest = (msg: unknown) => {
      const { request } = msg as { request: ClientRequest };
      if (request.method !== 'GET' && request.path.includes(ns)) sent.push(`${request.method} ${request.path}`);
    };
    dc.subscribe('http.client.request.start', onRequest);
    try {
      const again = await syncOwnedChildren(reporting, owner, Service, [{ name: long }], opts);
      expect(again.invalid.map((p) => p.name)).toEqual([long]);
    } finally {
      dc.unsubscribe('http.client.request.start', onRequest);
    }
    expect(sent).toEqual([]);
    expect(events).toHaveLength(2);
  });
});

describe('updateStatusIfChanged', () => {
  it('writes through /status once; an equal status is not written again', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const { object } = await createOrUpdate(ctx(), Widget, { namespace: ns, name: 'w' }, (w) => {
      w.spec = { ...w.spec, size: 1 };
    });
    const conditions = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Done' });
    expect(await updateStatusIfChanged(ctx(), Widget, await cached(Widget, object), { ready: true, conditions })).toBe(
      true,
    );
    const after = await eventually(() => {
      const w = cache.reader(Widget).get(ns, 'w')!;
      expect(w.status?.ready).toBe(true);
      return w;
    });
    expect(after.metadata.generation).toBe(1); // status writes do not bump generation
    expect(await updateStatusIfChanged(ctx(), Widget, after, { conditions, ready: true })).toBe(false);
    expect((await client.resource(Widget).get(ns, 'w'))!.metadata.resourceVersion).toBe(after.metadata.resourceVersion);
  });

  it('back-to-back writes from a cache that has not seen the previous one: no 409, last one wins, removed keys go', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const { object } = await createOrUpdate(ctx(), Widget, { namespace: ns, name: 'w' }, (w) => {
      w.spec = { ...w.spec, size: 1 };
    });
    const stale = await cached(Widget, object);
    const pending = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'Pending', message: 'waiting' });
    const ready = setCondition(pending, { type: 'Ready', status: 'True', reason: 'Done' });
    // Each call rejects on any HTTP error, a 409 included; the same stale object every time, as a
    // reconcile that runs again before the watch delivered its own write would pass.
    expect(await updateStatusIfChanged(ctx(), Widget, stale, { ready: false, conditions: pending })).toBe(true);
    expect(await updateStatusIfChanged(ctx(), Widget, stale, { ready: false, conditions: ready })).toBe(true);
    // The same status again before the cache has seen it: remembered as written, not sent again.
    const rv = (await client.resource(Widget).get(ns, 'w'))!.metadata.resourceVersion;
    expect(await updateStatusIfChanged(ctx(), Widget, stale, { ready: false, conditions: ready })).toBe(false);
    const live2 = (await client.resource(Widget).get(ns, 'w'))!;
    expect(live2.status).toEqual({ ready: false, conditions: ready });
    expect(live2.metadata.resourceVersion).toBe(rv);
    // A key the status no longer has is removed (sent as null) once the cache shows it; a reconcile
    // always runs again after its own object's update reaches the cache.
    const seen = await eventually(() => {
      const w = cache.reader(Widget).get(ns, 'w')!;
      expect(w.status?.conditions).toEqual(ready);
      return w;
    });
    expect(await updateStatusIfChanged(ctx(), Widget, seen, { conditions: ready })).toBe(true);
    const live = (await client.resource(Widget).get(ns, 'w'))!;
    expect(live.status).toEqual({ conditions: ready });
    // Once the cache has caught up, recomputing the same status writes nothing.
    const fresh = await cached(Widget, live);
    expect(await updateStatusIfChanged(ctx(), Widget, fresh, { conditions: ready })).toBe(false);
    expect((await client.resource(Widget).get(ns, 'w'))!.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
  });
});

describe('withFinalizer', () => {
  it('adds the finalizer, runs cleanup on delete, then lets the object go', async () => {
    const ns = await createTestNamespace(cp, 'reconcile-');
    const cm = await client
      .resource(ConfigMap)
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', namespace: ns } });
    const cleaned: string[] = [];
    const steps = { apply: () => 'ok', cleanup: (o: ConfigMap) => void cleaned.push(o.metadata.name!) };
    const out = await withFinalizer(ctx(), ConfigMap, await cached(ConfigMap, cm), 'kubeloop.dev/test', steps);
    expect(out.phase).toBe('applied');
    const withF = (await client.resource(ConfigMap).get(ns, 'f'))!;
    expect(withF.metadata.finalizers).toEqual(['kubeloop.dev/test']);

    await client.resource(ConfigMap).delete(ns, 'f');
    const deleting = await eventually(() => {
      const o = cache.reader(ConfigMap).get(ns, 'f')!;
      expect(o.metadata.deletionTimestamp).toBeDefined();
      return o;
    });
    expect((await withFinalizer(ctx(), ConfigMap, deleting, 'kubeloop.dev/test', steps)).phase).toBe('finalized');
    expect(cleaned).toEqual(['f']);
    await eventually(async () => expect(await client.resource(ConfigMap).get(ns, 'f')).toBeUndefined());
  });
});
