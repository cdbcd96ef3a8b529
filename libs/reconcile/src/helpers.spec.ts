import { beforeEach, describe, expect, it } from 'vitest';
import { deleteUndesired, ownedChildren } from './children.ts';
import { addFinalizer, hasFinalizer, removeFinalizer, withFinalizer } from './finalizers.ts';
import { mergePatchFrom, updateStatusIfChanged, withLatestStatus } from './status.ts';
import { applyMergePatch, FakeCluster } from './fake-context.test-helpers.ts';
import { jsonEqual, type KubeObject } from './object.ts';
import { setControllerReference, setOwnerReference } from './owner-references.ts';
import { builtinKind } from '@kubeloop/runtime';

type Obj = KubeObject & { spec?: { value?: number }; status?: { ok?: boolean; list?: number[] } };
const Tuple = builtinKind<Obj>({
  group: 'math.potsbo.k8s.wantedly.com',
  version: 'v1beta1',
  kind: 'Tuple',
  plural: 'tuples',
  namespaced: true,
});
const Number = builtinKind<Obj>({
  group: 'math.potsbo.k8s.wantedly.com',
  version: 'v1beta1',
  kind: 'Number',
  plural: 'numbers',
  namespaced: true,
});

let fc: FakeCluster;
beforeEach(() => {
  fc = new FakeCluster();
});

function child(owner: Obj, name: string, ns = owner.metadata.namespace!): Obj {
  const c: Obj = { apiVersion: Number.apiVersion, kind: 'Number', metadata: { name, namespace: ns } };
  setControllerReference(owner, c);
  return fc.seed(Number, c);
}

describe('ownedChildren / deleteUndesired', () => {
  it('finds children by controller UID in the owner namespace only', () => {
    const a = fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'a' } });
    const b = fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'b' } });
    child(a, 't-0');
    child(b, 't-0');
    const foreign = fc.seed(Number, { metadata: { name: 't-1', namespace: 'a' } });
    setOwnerReference(a, foreign); // not a controller reference
    fc.seed(Number, foreign);
    expect(ownedChildren(fc.context(), Number, a).map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual([
      'a/t-0',
    ]);
  });

  it('deletes only undesired owned children, with a UID precondition', async () => {
    const t = fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    child(t, 't-0');
    child(t, 't-1');
    child(t, 't-2');
    fc.seed(Number, { metadata: { name: 'stranger', namespace: 'ns' } });
    fc.calls.length = 0;
    const deleted = await deleteUndesired(fc.context(), Number, t, new Set(['t-0', 't-1']));
    expect(deleted.map((d) => d.metadata.name)).toEqual(['t-2']);
    expect([...fc.store.keys()].sort()).toEqual(['Number/ns/stranger', 'Number/ns/t-0', 'Number/ns/t-1', 'Tuple/ns/t']);
  });

  it('leaves alone an object that took the name since the cache saw it (409 on UID precondition)', async () => {
    const t = fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    child(t, 't-9');
    // Replace t-9 on the server behind the cache's back.
    const replacement = {
      metadata: { name: 't-9', namespace: 'ns', uid: 'someone-else', resourceVersion: '999' },
    } as Obj;
    fc.store.set('Number/ns/t-9', replacement);
    const deleted = await deleteUndesired(fc.context(), Number, t, new Set());
    expect(deleted).toEqual([]);
    expect(fc.store.get('Number/ns/t-9')!.metadata.uid).toBe('someone-else');
  });
});

describe('finalizers', () => {
  it('add/remove/has mutate in place and report changes', () => {
    const o: Obj = { metadata: { name: 'x', finalizers: ['other'] } };
    expect(addFinalizer(o, 'math/f')).toBe(true);
    expect(addFinalizer(o, 'math/f')).toBe(false);
    expect(hasFinalizer(o, 'math/f')).toBe(true);
    expect(removeFinalizer(o, 'math/f')).toBe(true);
    expect(removeFinalizer(o, 'math/f')).toBe(false);
    expect(o.metadata.finalizers).toEqual(['other']);
  });

  it('withFinalizer adds the finalizer before apply, then cleans up on delete and releases the object', async () => {
    const created = fc.seed(Tuple, {
      apiVersion: Tuple.apiVersion,
      kind: 'Tuple',
      metadata: { name: 't', namespace: 'ns' },
    });
    const log: string[] = [];
    const steps = { apply: () => log.push('apply'), cleanup: () => void log.push('cleanup') };
    const out = await withFinalizer(fc.context(), Tuple, Object.freeze(created), 'math/f', steps);
    expect(out.phase).toBe('applied');
    expect(fc.store.get('Tuple/ns/t')!.metadata.finalizers).toEqual(['math/f']);

    await fc.context().client.resource(Tuple).delete('ns', 't');
    const deleting = fc.store.get('Tuple/ns/t')!;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(await withFinalizer(fc.context(), Tuple, structuredClone(deleting), 'math/f', steps)).toEqual({
      phase: 'finalized',
    });
    expect(fc.store.get('Tuple/ns/t')!.metadata.finalizers).toEqual([]);
    expect(log).toEqual(['apply', 'cleanup']);
  });

  it('keeps the finalizer when cleanup fails', async () => {
    const o = fc.seed(Tuple, {
      apiVersion: Tuple.apiVersion,
      kind: 'Tuple',
      metadata: { name: 't', namespace: 'ns', finalizers: ['math/f'] },
    });
    await fc.context().client.resource(Tuple).delete('ns', 't');
    const steps = { apply: () => 0, cleanup: () => Promise.reject(new Error('boom')) };
    await expect(
      withFinalizer(fc.context(), Tuple, structuredClone(fc.store.get('Tuple/ns/t')!), 'math/f', steps),
    ).rejects.toThrow('boom');
    expect(fc.store.get('Tuple/ns/t')!.metadata.finalizers).toEqual(['math/f']);
    expect(o.metadata.name).toBe('t');
  });
});

describe('updateStatusIfChanged', () => {
  it('writes once, then not again for an equal status (key order irrelevant)', async () => {
    const o = fc.seed(Tuple, {
      apiVersion: Tuple.apiVersion,
      kind: 'Tuple',
      metadata: { name: 't', namespace: 'ns' },
      spec: { value: 1 },
    });
    expect(await updateStatusIfChanged(fc.context(), Tuple, Object.freeze(o), { ok: true, list: [1] })).toBe(true);
    fc.sync();
    const fresh = fc.context().cache.reader(Tuple).get('ns', 't')!;
    expect(await updateStatusIfChanged(fc.context(), Tuple, fresh, { list: [1], ok: true })).toBe(false);
    expect(fc.calls.filter((c) => c.startsWith('patchStatus') || c.startsWith('updateStatus'))).toEqual([
      'patchStatus t',
    ]);
    expect(fc.store.get('Tuple/ns/t')!).toMatchObject({ status: { ok: true, list: [1] } });
  });

  it('a write computed from a cache that missed our previous write lands (no resourceVersion, no 409)', async () => {
    const o = fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    const stale = fc.context().cache.reader(Tuple).get('ns', 't')!;
    expect(await updateStatusIfChanged(fc.context(), Tuple, stale, { ok: false, list: [1] })).toBe(true);
    // The cache still shows the object without status; the server is one resourceVersion ahead.
    expect(fc.context().cache.reader(Tuple).get('ns', 't')!.metadata.resourceVersion).toBe(o.metadata.resourceVersion);
    expect(await updateStatusIfChanged(fc.context(), Tuple, stale, { ok: true, list: [1, 2] })).toBe(true);
    expect((fc.store.get('Tuple/ns/t') as Obj).status).toEqual({ ok: true, list: [1, 2] });
  });

  it('does not send again what it wrote while the cache still shows the version it was computed from', async () => {
    fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    const ctx = fc.context();
    const stale = ctx.cache.reader(Tuple).get('ns', 't')!;
    expect(await updateStatusIfChanged(ctx, Tuple, stale, { ok: false })).toBe(true);
    expect(await updateStatusIfChanged(ctx, Tuple, stale, { ok: false })).toBe(false);
    expect(await updateStatusIfChanged(ctx, Tuple, stale, { ok: true })).toBe(true);
    expect(fc.calls.filter((c) => c.startsWith('patchStatus'))).toHaveLength(2);
    // Somebody else clears the status; once the cache shows it, the same status is written again.
    const cur = fc.store.get('Tuple/ns/t') as Obj;
    delete cur.status;
    cur.metadata.resourceVersion = '100';
    fc.sync();
    expect(await updateStatusIfChanged(ctx, Tuple, ctx.cache.reader(Tuple).get('ns', 't')!, { ok: true })).toBe(true);
    expect((fc.store.get('Tuple/ns/t') as Obj).status).toEqual({ ok: true });
  });

  it('two writes before the cache saw the first: the first arriving is still behind, no third write', async () => {
    fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    const ctx = fc.context();
    const stale = ctx.cache.reader(Tuple).get('ns', 't')!;
    await updateStatusIfChanged(ctx, Tuple, stale, { ok: false });
    const afterFirst = cloneFrozen(fc.store.get('Tuple/ns/t')!);
    await updateStatusIfChanged(ctx, Tuple, stale, { ok: true });
    // The cache now delivers our first write only: the second is still ahead of it.
    expect(withLatestStatus(ctx, Tuple, afterFirst)).toEqual({ ...afterFirst, status: { ok: true } });
    expect(await updateStatusIfChanged(ctx, Tuple, afterFirst, { ok: true })).toBe(false);
    expect(fc.calls.filter((c) => c.startsWith('patchStatus'))).toHaveLength(2);
    // Caught up: the cache's own object again.
    const latest = cloneFrozen(fc.store.get('Tuple/ns/t')!);
    expect(withLatestStatus(ctx, Tuple, latest)).toBe(latest);
  });

  it('withLatestStatus shows our own write until the cache moves past the version it came from', async () => {
    fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    const ctx = fc.context();
    const stale = ctx.cache.reader(Tuple).get('ns', 't')!;
    expect(withLatestStatus(ctx, Tuple, stale)).toBe(stale);
    await updateStatusIfChanged(ctx, Tuple, stale, { ok: true });
    expect(withLatestStatus(ctx, Tuple, stale)).toEqual({ ...stale, status: { ok: true } });
    fc.sync();
    const fresh = ctx.cache.reader(Tuple).get('ns', 't')!;
    expect(withLatestStatus(ctx, Tuple, fresh)).toBe(fresh);
    // Forgotten once the cache moved on: the stale copy is itself again.
    expect(withLatestStatus(ctx, Tuple, stale)).toBe(stale);
  });

  it('sends only what differs from the cached status, null for removed keys', async () => {
    fc.seed(Tuple, { apiVersion: Tuple.apiVersion, kind: 'Tuple', metadata: { name: 't', namespace: 'ns' } });
    await updateStatusIfChanged(fc.context(), Tuple, fc.context().cache.reader(Tuple).get('ns', 't')!, {
      ok: true,
      list: [1],
    });
    fc.sync();
    const sent: unknown[] = [];
    const ctx = fc.context();
    const real = ctx.client.resource.bind(ctx.client);
    ctx.client.resource = ((kind: never) => {
      const w = real(kind);
      return { ...w, patchStatus: (ns: string, n: string, p: unknown) => (sent.push(p), w.patchStatus(ns, n, p)) };
    }) as typeof real;
    expect(
      await updateStatusIfChanged(ctx, Tuple, fc.context().cache.reader(Tuple).get('ns', 't')!, { ok: true }),
    ).toBe(true);
    expect(sent).toEqual([{ status: { list: null } }]);
    expect((fc.store.get('Tuple/ns/t') as Obj).status).toEqual({ ok: true });
  });
});

function cloneFrozen(o: KubeObject): Obj {
  return Object.freeze(structuredClone(o));
}

describe('mergePatchFrom', () => {
  it.each([
    [undefined, { a: 1 }, { a: 1 }],
    [{ a: 1, b: 2 }, { a: 1, b: 3 }, { b: 3 }],
    [{ a: 1, b: 2 }, { a: 1 }, { b: null }],
    [{ a: 1, b: 2 }, { a: 1, b: undefined }, { b: null }],
    [{ o: { x: 1, y: 2 } }, { o: { x: 1, y: 3 } }, { o: { y: 3 } }],
    [{ o: { x: 1, y: 2 } }, { o: { x: 1 } }, { o: { y: null } }],
    [{ l: [{ a: 1 }, { b: 2 }] }, { l: [{ a: 1 }] }, { l: [{ a: 1 }] }],
    [{ o: [1] }, { o: { x: 1 } }, { o: { x: 1 } }],
    [{ a: 1 }, { a: 1 }, {}],
  ])('%j → %j is %j, and applying it gives the target', (from, to, patch) => {
    expect(mergePatchFrom(from, to)).toEqual(patch);
    expect(jsonEqual(applyMergePatch(structuredClone(from), mergePatchFrom(from, to)), to)).toBe(true);
  });
});

describe('jsonEqual', () => {
  it.each([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1, u: undefined }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: null }, { a: {} }, false],
    [{ a: {} }, { a: [] }, false],
    [1, '1', false],
    [undefined, undefined, true],
  ])('%j vs %j → %s', (a, b, want) => {
    expect(jsonEqual(a, b)).toBe(want);
  });
});
