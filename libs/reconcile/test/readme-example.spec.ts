import { expect, it } from 'vitest';
import { createTestNamespace, eventually, startControlPlane } from '@kubeloop/envtest';
import { Client, ConfigMap, Conditions, controllerFor, crdFor, defineKind, done, Manager } from '@kubeloop/runtime';
import { ObservedGeneration, Type, type ObjectOf, type ReconcileContext, type Request } from '@kubeloop/runtime';
import { childrenReadyCondition, reportStatus, resultOf, setCondition, syncOwnedChildren } from '../src/index.ts';

// 1. The parent kind: its status carries observedGeneration and the standard conditions.
const Shelf = defineKind({
  group: 'demo.kubeloop.dev',
  version: 'v1',
  kind: 'Shelf',
  plural: 'shelves',
  scope: 'Namespaced',
  spec: Type.Object({ books: Type.Array(Type.String(), { maxItems: 100 }) }),
  status: Type.Object({
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: every book has its ConfigMap.')),
  }),
});
type ShelfObject = ObjectOf<typeof Shelf>;

// 2. The desired children: a pure function of the parent, named deterministically.
const desiredBooks = (shelf: ShelfObject) =>
  shelf.spec.books.map((title, i) => ({ name: `${shelf.metadata.name}-${i}`, title, labels: { shelf: 'yes' } }));

// 3. The reconcile: children, then status, then the result the children call for.
async function reconcileShelf({ namespace, name }: Request, ctx: ReconcileContext) {
  const shelf = ctx.cache.reader(Shelf).get(namespace, name);
  if (!shelf || shelf.metadata.deletionTimestamp) return done(); // children go with it (GC)
  const desired = desiredBooks(shelf);
  const books = await syncOwnedChildren(ctx, shelf, ConfigMap, desired, {
    apply: (cm, d) => void (cm.data = { title: d.title }), // whole `data` is ours: no server defaults in it
    matches: (cm, d) => cm.data?.title === d.title && Object.keys(cm.data).length === 1,
  });
  const generation = shelf.metadata.generation;
  const pending = desired.filter((d) => !books.children.has(d.name)).length;
  await reportStatus(ctx, Shelf, shelf, (current) => ({
    observedGeneration: generation,
    conditions: setCondition(
      current.status?.conditions,
      childrenReadyCondition({
        desired: desired.length,
        pending,
        childPlural: 'ConfigMaps',
        observedGeneration: generation,
      }),
    ),
  }));
  return resultOf(books); // a retry later only while a child name is held by someone else
}

export const shelfController = controllerFor(Shelf).owns(ConfigMap).complete(reconcileShelf);

it('keeps one ConfigMap per book, removes the ones no longer wanted, and reports Ready', async () => {
  const cp = await startControlPlane({ crds: [crdFor(Shelf)] });
  const mgr = new Manager({
    name: 'shelf',
    kubeConfig: cp.kubeConfig,
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
  });
  mgr.add(shelfController);
  const stop = new AbortController();
  const running = mgr.start(stop.signal);
  try {
    const client = new Client(cp.kubeConfig);
    const ns = await createTestNamespace(cp);
    const shelves = client.resource(Shelf);
    await shelves.create({
      apiVersion: Shelf.apiVersion,
      kind: 'Shelf',
      metadata: { name: 'tales', namespace: ns },
      spec: { books: ['Dune', 'Emma'] },
    });
    await eventually(
      async () => {
        expect((await shelves.get(ns, 'tales'))?.status?.conditions?.[0]).toMatchObject({
          status: 'True',
          message: 'all 2 ConfigMaps reported',
        });
        expect((await client.resource(ConfigMap).get(ns, 'tales-1'))?.data).toEqual({ title: 'Emma' });
      },
      { timeout: 20_000 },
    );
    await shelves.patch(ns, 'tales', { spec: { books: ['Dune'] } }, 'merge');
    await eventually(async () => expect(await client.resource(ConfigMap).get(ns, 'tales-1')).toBeUndefined(), {
      timeout: 20_000,
    });
  } finally {
    stop.abort();
    await running;
    await cp.stop();
  }
}, 120_000);
