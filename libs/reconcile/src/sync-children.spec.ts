import { beforeEach, describe, expect, it } from 'vitest';
import { builtinKind, defineKind, requeueAfter, Type } from '@kubeloop/runtime';
import type { ReportingContext } from './context.ts';
import { FakeCluster } from './fake-context.test-helpers.ts';
import type { KubeObject } from './object.ts';
import { setControllerReference } from './owner-references.ts';
import { reportStatus } from './report-status.ts';
import { CONFLICT_RETRY_MS, resultOf, syncOwnedChildren, type SyncChildrenOptions } from './sync-children.ts';
import { desiredPerGeneration } from './desired-per-generation.ts';
import { setCondition, type Condition } from './conditions.ts';

type Parent = KubeObject & { spec?: { values?: number[] }; status?: { ok?: boolean; conditions?: Condition[] } };
type Child = KubeObject & { spec?: { value?: number; extra?: string } };
const ParentKind = builtinKind<Parent>({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Parent',
  plural: 'parents',
  namespaced: true,
});
const ChildKind = builtinKind<Child>({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Child',
  plural: 'children',
  namespaced: true,
});

interface Want {
  name: string;
  value: number;
  labels?: Record<string, string>;
}
const childOpts: SyncChildrenOptions<Child, Want> = {
  apply: (c, d) => {
    c.spec = { ...c.spec, value: d.value };
  },
  matches: (c, d) => c.spec?.value === d.value,
};

let fc: FakeCluster;
let events: string[];
let ctx: ReportingContext;
let parent: Parent;
beforeEach(() => {
  fc = new FakeCluster();
  events = [];
  ctx = {
    ...fc.context(),
    events: {
      normal: (obj, reason, message) => events.push(`Normal ${obj.metadata.name} ${reason}: ${message}`),
      warning: (obj, reason, message) => events.push(`Warning ${obj.metadata.name} ${reason}: ${message}`),
    },
  };
  parent = fc.seed(ParentKind, {
    apiVersion: ParentKind.apiVersion,
    kind: 'Parent',
    metadata: { name: 'p', namespace: 'ns' },
  });
});

const want = (n: number, labels = { owner: 'p' }): Want[] =>
  Array.from({ length: n }, (_, i) => ({ name: `p-${i}`, value: i * 10, labels }));

/** Syncs, then lets the cache catch up with the server (as the informer would). */
async function sync(desired: Want[], opts: Partial<SyncChildrenOptions<Child, Want>> = {}) {
  const result = await syncOwnedChildren(ctx, parent, ChildKind, desired, { ...childOpts, ...opts });
  fc.sync();
  return result;
}

describe('syncOwnedChildren', () => {
  it('creates the missing children, controlled by the parent, with its labels; one Created event naming them', async () => {
    const s = await sync(want(3));
    expect(s.created.sort()).toEqual(['p-0', 'p-1', 'p-2']);
    expect(events).toEqual(['Normal p Created: created 3 Childs: p-0, p-1, p-2']);
    const c = fc.store.get('Child/ns/p-1')!;
    expect(c.metadata.labels).toEqual({ owner: 'p' });
    expect(c.metadata.ownerReferences).toEqual([
      {
        apiVersion: ParentKind.apiVersion,
        kind: 'Parent',
        name: 'p',
        uid: parent.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect((c as Child).spec).toEqual({ value: 10 });
    expect([...s.children.keys()].sort()).toEqual(['p-0', 'p-1', 'p-2']);
    expect(resultOf(s)).toEqual({});
  });

  it('a sync before the cache shows its own creates sends none again; after the cache deletes one it is made again', async () => {
    const opts = { ...childOpts };
    await syncOwnedChildren(ctx, parent, ChildKind, want(3), opts);
    const before = fc.calls.length;
    // The cache has not caught up (a status write or a sibling's event woke the parent first).
    const again = await syncOwnedChildren(ctx, parent, ChildKind, want(3), opts);
    expect(fc.calls.slice(before)).toEqual([]);
    expect(again.created).toEqual([]);
    expect([...again.children.keys()].sort()).toEqual(['p-0', 'p-1', 'p-2']);
    fc.sync();
    // Once the cache has shown a child, its disappearance is believed: it is created again.
    fc.store.delete('Child/ns/p-1');
    fc.sync();
    const third = await syncOwnedChildren(ctx, parent, ChildKind, want(3), opts);
    expect(third.created).toEqual(['p-1']);
  });

  it('children already as desired cost nothing: no request, no event', async () => {
    await sync(want(3));
    fc.calls.length = 0;
    events.length = 0;
    const s = await sync(want(3));
    expect(fc.calls).toEqual([]);
    expect(events).toEqual([]);
    expect(s.children.size).toBe(3);
  });

  it('puts back a drifted child (one update) and keeps fields the parent does not own', async () => {
    await sync(want(2));
    const drifted = fc.store.get('Child/ns/p-1') as Child;
    drifted.spec = { value: 99, extra: 'kept' };
    fc.sync();
    events.length = 0;
    const s = await sync(want(2));
    expect(s.updated).toEqual(['p-1']);
    expect((fc.store.get('Child/ns/p-1') as Child).spec).toEqual({ value: 10, extra: 'kept' });
    expect(events).toEqual(['Normal p Updated: updated Child p-1']);
  });

  it('without the exact controller reference or labels the fast path does not apply, and the write fixes them', async () => {
    await sync(want(2));
    const c = fc.store.get('Child/ns/p-0')!;
    c.metadata.labels = {};
    c.metadata.ownerReferences = [{ ...c.metadata.ownerReferences![0]!, blockOwnerDeletion: false }];
    fc.sync();
    const s = await sync(want(2));
    expect(s.updated).toEqual(['p-0']);
    expect(fc.store.get('Child/ns/p-0')!.metadata.labels).toEqual({ owner: 'p' });
    expect(fc.store.get('Child/ns/p-0')!.metadata.ownerReferences![0]!.blockOwnerDeletion).toBe(true);
  });

  it('never takes over a child another object controls: a ChildConflict warning and a look again later', async () => {
    const other = fc.seed(ParentKind, {
      apiVersion: ParentKind.apiVersion,
      kind: 'Parent',
      metadata: { name: 'q', namespace: 'ns' },
    });
    const taken: Child = {
      apiVersion: ChildKind.apiVersion,
      kind: 'Child',
      metadata: { name: 'p-0', namespace: 'ns' },
      spec: { value: 5 },
    };
    setControllerReference(other, taken);
    fc.seed(ChildKind, taken);
    const s = await sync(want(2));
    expect(s.conflicts.map((c) => c.name)).toEqual(['p-0']);
    expect(s.created).toEqual(['p-1']);
    expect(s.children.has('p-0')).toBe(false);
    expect((fc.store.get('Child/ns/p-0') as Child).spec).toEqual({ value: 5 });
    expect(events).toContainEqual(
      expect.stringMatching(/^Warning p ChildConflict: ns\/p-0 is already controlled by Parent q/),
    );
    expect(resultOf(s)).toEqual(requeueAfter(CONFLICT_RETRY_MS));
  });

  it("adopts a child no one controls by default; with adopt: false leaves it alone with the caller's warning", async () => {
    const stray = (name: string): Child => ({
      apiVersion: ChildKind.apiVersion,
      kind: 'Child',
      metadata: { name, namespace: 'ns' },
      spec: { value: 5 },
    });
    fc.seed(ChildKind, stray('p-0'));
    const adopted = await sync(want(1));
    expect(adopted.updated).toEqual(['p-0']);
    expect((fc.store.get('Child/ns/p-0') as Child).metadata.ownerReferences?.[0]).toMatchObject({ name: 'p' });

    fc.seed(ChildKind, stray('p-1'));
    events.length = 0;
    const left = await sync(want(3), {
      adopt: false,
      conflictEvent: (name) => ({
        reason: 'ErrResourceExists',
        message: `Resource "${name}" already exists and is not managed by Parent`,
      }),
    });
    expect(left.conflicts).toEqual([
      {
        name: 'p-1',
        message: 'ns/p-1 exists and is not controlled by Parent ns/p; leaving it alone (delete it to have it made)',
      },
    ]);
    expect(left.created).toEqual(['p-2']);
    expect([...left.children.keys()].sort()).toEqual(['p-0', 'p-2']);
    expect(fc.store.get('Child/ns/p-1') as Child).toMatchObject({ spec: { value: 5 }, metadata: { name: 'p-1' } });
    expect((fc.store.get('Child/ns/p-1') as Child).metadata.ownerReferences).toBeUndefined();
    expect(events).toContain('Warning p ErrResourceExists: Resource "p-1" already exists and is not managed by Parent');
    expect(resultOf(left)).toEqual(requeueAfter(CONFLICT_RETRY_MS));
  });

  it('deletes the children it controls that are no longer desired (not with prune: false)', async () => {
    await sync(want(3));
    const kept = await sync(want(1), { prune: false });
    expect(kept.deleted).toEqual([]);
    expect(fc.store.has('Child/ns/p-2')).toBe(true);
    events.length = 0;
    const s = await sync(want(1));
    expect(s.deleted.sort()).toEqual(['p-1', 'p-2']);
    expect([...fc.store.keys()].filter((k) => k.startsWith('Child/'))).toEqual(['Child/ns/p-0']);
    expect(events).toEqual(['Normal p Deleted: deleted 2 Childs: p-1, p-2']);
  });

  it('announces the writes done before a failure, and rethrows it', async () => {
    let calls = 0;
    await expect(
      sync(want(3), {
        concurrency: 1,
        apply: (c, d) => {
          if (++calls === 2) throw new Error('boom');
          c.spec = { value: d.value };
        },
      }),
    ).rejects.toThrow('boom');
    expect(events).toEqual(['Normal p Created: created Child p-0']);
  });
});

describe('a parent with many children: only the children that changed are looked at', () => {
  const n = 1000;
  // One compute per test: desiredPerGeneration remembers per compute function and parent UID.
  let compute: (p: Parent) => Want[];
  const summarize = (c: Child | undefined) => (c?.spec?.value === undefined ? 'missing' : 'made');
  const incremental = async () => {
    const s = await syncOwnedChildren(ctx, parent, ChildKind, desiredPerGeneration(parent, compute), {
      ...childOpts,
      summarize,
    });
    fc.sync();
    return s;
  };
  beforeEach(() => {
    compute = () => want(n);
  });

  it('after the first walk, a sync reads only the children the cache showed changing: none, then the one deleted (put back)', async () => {
    const first = await incremental();
    expect(first.created).toHaveLength(n);
    expect(first.tally.count('made')).toBe(n);
    await incremental(); // looks at the n children whose creation the cache has just shown
    fc.reads = 0;
    fc.calls.length = 0;
    const quiet = await incremental();
    expect(fc.reads).toBe(0);
    expect(fc.calls).toEqual([]);
    expect(quiet.children.size).toBe(n);

    fc.store.delete('Child/ns/p-500');
    fc.sync();
    fc.reads = 0;
    events.length = 0;
    const after = await incremental();
    // The sync's look at p-500, createOrUpdate's before its create, and whether the cache already shows it.
    expect(fc.reads).toBe(3);
    expect(after.created).toEqual(['p-500']);
    expect(events).toEqual(['Normal p Created: created Child p-500']);
    expect(after.tally.count('made')).toBe(n);
    expect(after.children.get('p-500')?.spec).toEqual({ value: 5000 });
  });

  it('a drifted child is put back and a controlled child no longer desired is pruned, each from its own change', async () => {
    await incremental();
    await incremental();
    const drifted = fc.store.get('Child/ns/p-7') as Child;
    drifted.spec = { value: -1 };
    drifted.metadata.resourceVersion = 'drift';
    fc.seed(ChildKind, {
      apiVersion: ChildKind.apiVersion,
      kind: 'Child',
      metadata: {
        name: 'extra',
        namespace: 'ns',
        ownerReferences: fc.store.get('Child/ns/p-1')!.metadata.ownerReferences,
      },
    });
    fc.reads = 0;
    fc.calls.length = 0;
    const s = await incremental();
    expect(s.updated).toEqual(['p-7']);
    expect(s.deleted).toEqual(['extra']);
    expect(fc.reads).toBeLessThanOrEqual(4);
    expect(fc.store.has('Child/ns/extra')).toBe(false);
  });

  it('a new spec (generation) walks every child again; a desired list not from desiredPerGeneration always does', async () => {
    await incremental();
    await incremental();
    parent = { ...parent, metadata: { ...parent.metadata, generation: 2 } };
    compute = () => want(n).map((d) => ({ ...d, value: d.value + 1 }));
    fc.reads = 0;
    const s = await incremental();
    expect(fc.reads).toBeGreaterThanOrEqual(n);
    expect(s.updated).toHaveLength(n);

    fc.reads = 0;
    await sync(want(n).map((d) => ({ ...d, value: d.value + 1 })));
    expect(fc.reads).toBeGreaterThanOrEqual(n);
  });
});

describe('children that can never be made', () => {
  const Custom = defineKind({
    group: 'test.kubeloop.dev',
    version: 'v1',
    kind: 'Custom',
    plural: 'customs',
    scope: 'Namespaced',
    spec: Type.Object({ value: Type.Integer() }),
  });

  it('a custom-kind name the server would refuse is invalid without a request; the Warning comes once per generation', async () => {
    const long = 'x'.repeat(251); // -0: 253 characters, -10: 254
    const desired = [
      { name: `${long}-0`, value: 1 },
      { name: `${long}-10`, value: 2 },
    ];
    const opts = { apply: (c: Child, d: Want) => void (c.spec = { value: d.value }) };
    const s = await syncOwnedChildren(ctx, parent, Custom as never, desired, opts);
    expect(s.created).toEqual([`${long}-0`]);
    expect(s.invalid).toEqual([
      {
        name: `${long}-10`,
        verb: 'create',
        message: `Custom.test.kubeloop.dev "${long}-10" is invalid: metadata.name: Invalid value: "${long}-10": must be no more than 253 characters`,
      },
    ]);
    expect(fc.calls.filter((c) => c.includes(`${long}-10`))).toEqual([]);
    expect(events.filter((e) => e.startsWith('Warning'))).toEqual([
      `Warning p FailedCreate: cannot create Custom ${long}-10: ${s.invalid[0]!.message}`,
    ]);
    expect(resultOf(s)).toEqual({});

    fc.sync();
    events.length = 0;
    const again = await syncOwnedChildren(ctx, parent, Custom as never, desired, opts);
    expect(again.invalid).toEqual(s.invalid);
    expect(events).toEqual([]);

    const next = { ...parent, metadata: { ...parent.metadata, generation: 2 } };
    await syncOwnedChildren(ctx, next, Custom as never, desired, opts);
    expect(events.filter((e) => e.includes('FailedCreate'))).toHaveLength(1);
  });

  it('a child the server refuses (422) is not sent again until the parent changes; the others are made', async () => {
    fc.validator = (o) =>
      (o as Child).spec?.value === 20
        ? 'Child.test.kubeloop.dev "p-2" is invalid: spec.value: Invalid value: 20'
        : undefined;
    const s = await sync(want(4));
    expect(s.created.sort()).toEqual(['p-0', 'p-1', 'p-3']);
    expect(s.invalid).toEqual([
      {
        name: 'p-2',
        verb: 'create',
        message: 'Child.test.kubeloop.dev "p-2" is invalid: spec.value: Invalid value: 20',
      },
    ]);
    expect(events).toContain(
      'Warning p FailedCreate: cannot create Child p-2: Child.test.kubeloop.dev "p-2" is invalid: spec.value: Invalid value: 20',
    );
    fc.calls.length = 0;
    const again = await sync(want(4));
    expect(again.invalid.map((p) => p.name)).toEqual(['p-2']);
    expect(fc.calls).toEqual([]);
    // The parent's spec changes: a new generation tries again.
    parent = { ...parent, metadata: { ...parent.metadata, generation: 2 } };
    fc.validator = () => undefined;
    const fixed = await sync(want(4));
    expect(fixed.created).toEqual(['p-2']);
    expect(fixed.invalid).toEqual([]);
  });
});

describe('reportStatus', () => {
  const compute =
    (ok: boolean, now = new Date('2026-01-01T00:00:00Z')) =>
    (current: Parent): NonNullable<Parent['status']> => ({
      ok,
      conditions: setCondition(
        current.status?.conditions,
        { type: 'Ready', status: ok ? 'True' : 'False', reason: ok ? 'Fine' : 'Broken', message: ok ? '' : 'why' },
        now,
      ),
    });

  it('writes once and records the Ready transition; an equal status writes and records nothing', async () => {
    expect((await reportStatus(ctx, ParentKind, parent, compute(true))).written).toBe(true);
    expect(events).toEqual(['Normal p Fine: Ready is True']);
    // The cache has not seen the write: computed from our own write, the same status is not sent again.
    const again = await reportStatus(ctx, ParentKind, parent, compute(true, new Date('2026-01-01T00:00:05Z')));
    expect(again.written).toBe(false);
    expect(fc.calls.filter((c) => c.startsWith('patchStatus'))).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('a transition the caller calls bad news is a Warning', async () => {
    await reportStatus(ctx, ParentKind, parent, compute(true));
    fc.sync();
    const fresh = fc.cacheStore.get('Parent/ns/p') as Parent;
    await reportStatus(ctx, ParentKind, fresh, compute(false), { warning: (after) => after.status === 'False' });
    expect(events).toEqual(['Normal p Fine: Ready is True', 'Warning p Broken: Ready is False: why']);
  });
});
