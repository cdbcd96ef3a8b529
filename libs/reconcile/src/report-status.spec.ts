import { beforeEach, describe, expect, it } from 'vitest';
import { builtinKind } from '@kubeloop/runtime';
import { childrenReadyCondition } from './children-report.ts';
import { setCondition, type Condition } from './conditions.ts';
import type { ReportingContext } from './context.ts';
import { FakeCluster } from './fake-context.test-helpers.ts';
import type { KubeObject } from './object.ts';
import { reportStatus } from './report-status.ts';

type Parent = KubeObject & { status?: { conditions?: Condition[] } };
const ParentKind = builtinKind<Parent>({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Parent',
  plural: 'parents',
  namespaced: true,
});

const ChildKind = builtinKind<KubeObject>({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Child',
  plural: 'children',
  namespaced: true,
});

let fc: FakeCluster;
let events: string[];
let ctx: ReportingContext;
let parent: Parent;
let seq = 0;
beforeEach(() => {
  fc = new FakeCluster();
  events = [];
  ctx = {
    ...fc.context(),
    events: {
      normal: (_o, reason, message) => events.push(`Normal ${reason}: ${message}`),
      warning: (_o, reason, message) => events.push(`Warning ${reason}: ${message}`),
    },
  };
  // A UID of its own per test: the hold is remembered per UID for the process.
  parent = fc.seed(ParentKind, {
    apiVersion: ParentKind.apiVersion,
    kind: 'Parent',
    metadata: { name: 'p', namespace: 'ns', uid: `hold-${++seq}` },
  });
});

const readyWith = (pending: number) => (current: Parent) => ({
  conditions: setCondition(
    current.status?.conditions,
    childrenReadyCondition({ desired: 10, pending, childPlural: 'Numbers' }),
    new Date('2026-01-01T00:00:00Z'),
  ),
});
const patches = () => fc.calls.filter((c) => c.startsWith('patchStatus')).length;

describe('reportStatus holdFirstPendingMs', () => {
  it('children that all report within the hold: one write, Ready True, and one Event', async () => {
    let t = 1_000;
    const opts = { holdFirstPendingMs: 5_000, now: () => t };
    const first = await reportStatus(ctx, ParentKind, parent, readyWith(10), opts);
    expect(first).toMatchObject({ written: false, retryAfterMs: 5_000 });
    t += 2_000;
    expect(await reportStatus(ctx, ParentKind, parent, readyWith(4), opts)).toMatchObject({
      written: false,
      retryAfterMs: 3_000,
    });
    const done = await reportStatus(ctx, ParentKind, parent, readyWith(0), opts);
    expect(done.written).toBe(true);
    expect(done.retryAfterMs).toBeUndefined();
    expect(patches()).toBe(1);
    expect(events).toEqual(['Normal ChildrenReady: Ready is True: all 10 Numbers reported']);
  });

  it('children still pending when the hold is over: the pending state is written then', async () => {
    let t = 0;
    const opts = { holdFirstPendingMs: 5_000, now: () => t };
    expect((await reportStatus(ctx, ParentKind, parent, readyWith(10), opts)).written).toBe(false);
    t = 5_000;
    const late = await reportStatus(ctx, ParentKind, parent, readyWith(3), opts);
    expect(late).toMatchObject({ written: true });
    expect(late.retryAfterMs).toBeUndefined();
    expect(events).toEqual(['Normal ChildrenPending: Ready is False: not all 10 Numbers have reported yet']);
  });

  it('children still in line for their controller restart the hold; once none is, the pending state is written a hold later', async () => {
    let t = 0;
    const inLine = new Set(['c-1']);
    const withWork: ReportingContext = {
      ...ctx,
      work: {
        inLine: (kind, obj, withinMs) => kind === ChildKind && withinMs === 5_000 && inLine.has(obj.metadata.name!),
      },
    };
    const children = {
      kind: ChildKind,
      objects: ['c-0', 'c-1'].map((name) => ({ metadata: { name, namespace: 'ns' } })),
    };
    const opts = { holdFirstPendingMs: 5_000, now: () => t, children };
    expect(await reportStatus(withWork, ParentKind, parent, readyWith(10), opts)).toMatchObject({
      written: false,
      retryAfterMs: 5_000,
    });
    t = 5_000; // a burst: c-1 is still queued behind others when the first hold is over
    expect(await reportStatus(withWork, ParentKind, parent, readyWith(10), opts)).toMatchObject({
      written: false,
      retryAfterMs: 5_000,
    });
    t = 9_000;
    inLine.clear(); // taken and not reported (its reconcile fails, say)
    expect(await reportStatus(withWork, ParentKind, parent, readyWith(1), opts)).toMatchObject({
      written: false,
      retryAfterMs: 1_000,
    });
    t = 10_000;
    expect(await reportStatus(withWork, ParentKind, parent, readyWith(1), opts)).toMatchObject({ written: true });
    expect(events).toEqual(['Normal ChildrenPending: Ready is False: not all 10 Numbers have reported yet']);
  });

  it('never holds back a pending state once a Ready condition was shown (a spec change): that would leave a stale one', async () => {
    await reportStatus(ctx, ParentKind, parent, readyWith(0));
    fc.sync();
    const shown = fc.cacheStore.get('Parent/ns/p') as Parent;
    const again = await reportStatus(ctx, ParentKind, shown, readyWith(10), { holdFirstPendingMs: 5_000 });
    expect(again.written).toBe(true);
    expect(patches()).toBe(2);
  });
});
