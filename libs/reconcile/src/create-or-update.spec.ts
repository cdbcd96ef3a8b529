import { beforeEach, describe, expect, it } from 'vitest';
import { createOrUpdate } from './create-or-update.ts';
import { FakeCluster } from './fake-context.test-helpers.ts';
import { builtinKind } from '@kubeloop/runtime';
import type { KubeObject } from './object.ts';

type Num = KubeObject & { spec?: { value?: number; mode?: string }; status?: { seen?: boolean } };
const Number = builtinKind<Num>({
  group: 'math.potsbo.k8s.wantedly.com',
  version: 'v1beta1',
  kind: 'Number',
  plural: 'numbers',
  namespaced: true,
});

let fc: FakeCluster;
beforeEach(() => {
  fc = new FakeCluster();
  // The server defaults spec.mode and adds an annotation: neither is set by the mutation.
  fc.defaulter = (o) => {
    const n = o as Num;
    if (n.spec) n.spec.mode ??= 'exact';
    n.metadata.annotations = { ...n.metadata.annotations, 'server/added': 'yes' };
  };
});

const setValue = (v: number) => (obj: Num) => {
  obj.spec ??= {};
  obj.spec.value = v;
  obj.metadata.labels = { ...obj.metadata.labels, tuple: 't' };
};

describe('createOrUpdate', () => {
  it('creates an absent object with apiVersion, kind, name and namespace set', async () => {
    const r = await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 't-0' }, setValue(4));
    expect(r.result).toBe('created');
    expect(r.object).toMatchObject({
      apiVersion: Number.apiVersion,
      kind: 'Number',
      metadata: { name: 't-0', namespace: 'ns' },
      spec: { value: 4, mode: 'exact' },
    });
    expect(fc.calls).toEqual(['create t-0']);
  });

  it('makes zero writes when the stored object already matches, despite server-defaulted fields', async () => {
    await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 't-0' }, setValue(4));
    fc.sync();
    fc.calls.length = 0;
    const r = await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 't-0' }, setValue(4));
    expect(r.result).toBe('unchanged');
    expect(fc.calls).toEqual([]);
    expect(r.object.metadata.annotations).toEqual({ 'server/added': 'yes' });
  });

  it('updates only when an owned field differs, keeping fields it does not touch', async () => {
    await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 't-0' }, setValue(4));
    fc.sync();
    const r = await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 't-0' }, setValue(9));
    expect(r.result).toBe('updated');
    expect(r.object.spec).toEqual({ value: 9, mode: 'exact' });
    expect(r.object.metadata.annotations).toEqual({ 'server/added': 'yes' });
  });

  it('ignores status: the status subresource would drop it, so it is never a diff', async () => {
    fc.seed(Number, { metadata: { name: 'n', namespace: 'ns' }, spec: { value: 1 }, status: { seen: true } });
    fc.calls.length = 0;
    const r = await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, (o) => {
      o.spec!.value = 1;
      o.status = { seen: false };
    });
    expect(r.result).toBe('unchanged');
    expect(fc.calls).toEqual([]);
  });

  it('does not modify the frozen cached object', async () => {
    fc.seed(Number, { metadata: { name: 'n', namespace: 'ns' }, spec: { value: 1 } });
    const cached = fc.context().cache.reader(Number).get('ns', 'n')!;
    expect(Object.isFrozen(cached)).toBe(true);
    await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, setValue(2));
    expect(cached.spec!.value).toBe(1);
  });

  it('falls back to a live read when the cache has not seen an existing object', async () => {
    fc.seed(Number, { metadata: { name: 'n', namespace: 'ns' }, spec: { value: 1 } });
    fc.cacheStore.clear(); // cache lags behind
    fc.calls.length = 0;
    const r = await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, setValue(2));
    expect(r.result).toBe('updated');
    expect(fc.calls).toEqual(['create n', 'get n', 'update n']);
  });

  it('propagates a 409 when the cache is stale, instead of overwriting a newer version', async () => {
    fc.seed(Number, { metadata: { name: 'n', namespace: 'ns' }, spec: { value: 1 } });
    await fc
      .context()
      .client.resource(Number)
      .update({ ...fc.store.get('Number/ns/n')!, spec: { value: 7 } });
    await expect(
      createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, setValue(2)),
    ).rejects.toMatchObject({ code: 409 });
  });

  it('refuses a mutation that renames the object', async () => {
    await expect(
      createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, (o) => {
        o.metadata.name = 'other';
      }),
    ).rejects.toMatchObject({ code: 'MutateChangedIdentity' });
    expect(fc.calls).toEqual([]);
  });

  it('a mutation that replaces a whole sub-object shows the warned-about write (the trap is real)', async () => {
    await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, setValue(4));
    fc.sync();
    const r = await createOrUpdate(fc.context(), Number, { namespace: 'ns', name: 'n' }, (o) => {
      o.spec = { value: 4 }; // drops the defaulted spec.mode
    });
    expect(r.result).toBe('updated');
  });
});
