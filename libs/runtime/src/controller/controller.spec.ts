import { describe, expect, it } from 'vitest';
import type { Cache } from '../cache/cache.ts';
import type { EventHandler } from '../cache/informer.ts';
import type { Client } from '../client/client.ts';
import { ApiError } from '../client/errors.ts';
import type { EventRecorder } from '../events/recorder.ts';
import { builtinKind, defineKind, Type, type Kind, type KubeObject } from '../kinds/kind.ts';
import { createRegistry, RuntimeMetrics } from '../metrics/metrics.ts';
import { FakeClock } from '../queue/clock.ts';
import { ConcurrencyLimiter } from '../queue/limiter.ts';
import {
  and,
  annotationChanged,
  controllerFor,
  generationChanged,
  labelChanged,
  not,
  or,
  requeue,
  requeueAfter,
  terminal,
  type ReconcileContext,
  type Request,
  WorkQueues,
} from './index.ts';

const Parent = defineKind({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Parent',
  plural: 'parents',
  scope: 'Namespaced',
  spec: Type.Object({}),
});
const Child = builtinKind<KubeObject>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
});
const Other = builtinKind<KubeObject>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
});

/** A cache stand-in: the controller only registers handlers, so tests can fire events directly. */
class FakeCache {
  handlers = new Map<string, EventHandler<KubeObject>[]>();
  informerFor(kind: Kind<KubeObject>) {
    return {
      addHandler: (h: EventHandler<KubeObject>) => {
        const list = this.handlers.get(kind.plural) ?? [];
        list.push(h);
        this.handlers.set(kind.plural, list);
        return () => list.splice(list.indexOf(h), 1);
      },
    };
  }
  emit(kind: Kind<KubeObject>, fn: (h: EventHandler<KubeObject>) => void) {
    for (const h of this.handlers.get(kind.plural) ?? []) fn(h);
  }
}

function obj(name: string, extra: Partial<KubeObject['metadata']> = {}, ns = 'ns'): KubeObject {
  return { metadata: { name, namespace: ns, generation: 1, ...extra } };
}

async function until(cond: () => boolean, timeout = 2000) {
  const end = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

function harness(clock = new FakeClock()) {
  const cache = new FakeCache();
  const metrics = new RuntimeMetrics(createRegistry({ defaultMetrics: false }));
  const deps = { client: {} as Client, cache: cache as unknown as Cache, events: {} as EventRecorder, metrics, clock };
  return { cache, metrics, deps, clock };
}

async function counter(metrics: RuntimeMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)!.get();
  return m.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0;
}

describe('controller builder', () => {
  it('derives RBAC rules from its watches', () => {
    const c = controllerFor(Parent)
      .owns(Child)
      .watches(Other, () => [])
      .withPermissions([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }])
      .complete(() => {});
    expect(c.name).toBe('parent');
    expect(c.permissions()).toEqual([
      { apiGroups: ['test.kubeloop.dev'], resources: ['parents'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: ['test.kubeloop.dev'], resources: ['parents/status'], verbs: ['get', 'update', 'patch'] },
      { apiGroups: ['test.kubeloop.dev'], resources: ['parents/finalizers'], verbs: ['update'] },
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    ]);
    expect(c.kinds().map((k) => k.plural)).toEqual(['parents', 'configmaps', 'deployments']);
  });

  it('validates names and concurrency', () => {
    expect(() => controllerFor(Parent).named('Bad Name')).toThrow(
      expect.objectContaining({ code: 'ControllerConfig' }),
    );
    expect(() => controllerFor(Parent).withConcurrency(0)).toThrow(
      expect.objectContaining({ code: 'ControllerConfig' }),
    );
  });
});

describe('predicates', () => {
  const a = obj('a', { generation: 1, labels: { x: '1' }, annotations: { n: 'a' } });
  it('generationChanged / labelChanged / annotationChanged filter updates only', () => {
    expect(generationChanged().update!(a, { metadata: { ...a.metadata, generation: 2 } })).toBe(true);
    expect(generationChanged().update!(a, { metadata: { ...a.metadata, labels: {} } })).toBe(false);
    expect(generationChanged()).not.toHaveProperty('create');
    expect(labelChanged().update!(a, { metadata: { ...a.metadata, labels: { x: '2' } } })).toBe(true);
    expect(labelChanged().update!(a, { metadata: { ...a.metadata, labels: { x: '1' } } })).toBe(false);
    expect(labelChanged().update!(a, { metadata: { ...a.metadata, labels: undefined } })).toBe(true);
    expect(annotationChanged().update!(a, { metadata: { ...a.metadata, annotations: { n: 'b' } } })).toBe(true);
  });
  it('and / or / not combine', () => {
    const labelsOnly = { metadata: { ...a.metadata, labels: { x: '9' } } };
    expect(or(generationChanged(), labelChanged()).update!(a, labelsOnly)).toBe(true);
    expect(and(generationChanged(), labelChanged()).update!(a, labelsOnly)).toBe(false);
    expect(not(generationChanged()).update!(a, labelsOnly)).toBe(true);
    expect(and(generationChanged()).create!(a)).toBe(true);
  });
});

describe('running controller', () => {
  it('maps for/owns/watches events to requests, honours predicates and priorities', async () => {
    const h = harness();
    const seen: string[] = [];
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const ctl = controllerFor(Parent)
      .owns(Child)
      .watches(Other, (d) => [{ namespace: d.metadata.namespace!, name: `from-${d.metadata.name}` }])
      .withEventFilter({ create: (o) => o.metadata.name !== 'ignored' })
      .complete(async (req: Request) => {
        seen.push(`${req.namespace}/${req.name}`);
        if (req.name === 'first') await blocker;
      });
    const run = ctl.run(h.deps);
    h.cache.emit(Parent, (x) => x.add!(obj('first'), false));
    await until(() => seen.length === 1);
    // While `first` is in flight: an initial-list item, a real change, owned and watched events.
    h.cache.emit(Parent, (x) => x.add!(obj('old'), true));
    h.cache.emit(Parent, (x) => x.add!(obj('ignored'), false));
    const ownedBy = (kind: string, apiVersion: string, controller = true) => ({
      ownerReferences: [{ apiVersion, kind, name: 'owner', uid: 'u', controller }],
    });
    h.cache.emit(Child, (x) => x.add!(obj('c1', ownedBy('Parent', 'test.kubeloop.dev/v1')), false));
    h.cache.emit(Child, (x) => x.add!(obj('c2', ownedBy('Parent', 'other.group/v1')), false)); // wrong group
    h.cache.emit(Child, (x) => x.add!(obj('c3', ownedBy('Parent', 'test.kubeloop.dev/v1', false)), false)); // not controller
    h.cache.emit(Other, (x) => x.update!(obj('d'), obj('d')));
    h.cache.emit(Parent, (x) => x.delete!(obj('gone'), false));
    release();
    await until(() => seen.length === 5).catch((e) => {
      throw new Error(`${e.message}: ${seen.join()}`);
    });
    expect(seen).toEqual(['ns/first', 'ns/owner', 'ns/from-d', 'ns/gone', 'ns/old']);
    await run.stop();
  });

  it('ctx.work answers for the other controllers of the same manager: a child waiting in its queue is in line', async () => {
    const h = harness();
    const work = new WorkQueues();
    let releaseChild!: () => void;
    const childBusy = new Promise<void>((r) => (releaseChild = r));
    const children = controllerFor(Child)
      .named('children')
      .complete(() => childBusy);
    const answers: boolean[] = [];
    const parents = controllerFor(Parent)
      .named('parents')
      .complete((_req, ctx) => {
        answers.push(ctx.work.inLine(Child, obj('c-0'), 5_000), ctx.work.inLine(Child, obj('c-1'), 5_000));
        answers.push(ctx.work.inLine(Other, obj('c-1'), 5_000)); // no controller of this process reconciles it
      });
    const runChildren = children.run({ ...h.deps, work });
    const runParents = parents.run({ ...h.deps, work });
    h.cache.emit(Child, (x) => x.add!(obj('c-0'), false)); // taken by the single worker, which waits
    h.cache.emit(Child, (x) => x.add!(obj('c-1'), false)); // waits in the queue
    await until(() => runChildren.inFlight() === 1);
    h.cache.emit(Parent, (x) => x.add!(obj('p'), false));
    await until(() => answers.length === 3);
    expect(answers).toEqual([true, true, false]);
    releaseChild();
    await runParents.stop();
    await runChildren.stop();
    // A stopped controller has left the manager's queues.
    expect(work.inLine(Child, obj('c-1'), 5_000)).toBe(false);
  });

  it('records results: success, requeue_after on time, backoff on error, terminal not retried', async () => {
    const h = harness();
    const calls: Record<string, number> = {};
    const ctl = controllerFor(Parent)
      .named('results')
      .complete((req) => {
        calls[req.name] = (calls[req.name] ?? 0) + 1;
        if (req.name === 'ok') return;
        if (req.name === 'later') return calls[req.name]! < 3 ? requeueAfter(30_000) : undefined;
        if (req.name === 'again') return calls[req.name]! < 2 ? requeue() : undefined;
        if (req.name === 'fatal') throw terminal(new Error('spec.x is wrong'));
        if (req.name === 'bug') (undefined as unknown as { x: number }).x = 1; // TypeError
        throw new Error('api flake');
      });
    const run = ctl.run(h.deps);
    for (const n of ['ok', 'later', 'again', 'fatal', 'flaky', 'bug'])
      h.cache.emit(Parent, (x) => x.add!(obj(n), false));
    await until(() => Object.keys(calls).length === 6 && run.inFlight() === 0);
    const settle = () => until(() => run.inFlight() === 0 && run.queue.len() === 0);
    expect(calls).toEqual({ ok: 1, later: 1, again: 1, fatal: 1, flaky: 1, bug: 1 });

    // Backoff: 5 ms for the first retry, then 10 ms.
    h.clock.advance(4);
    await settle();
    expect(calls.flaky).toBe(1);
    h.clock.advance(1);
    await until(() => calls.flaky === 2 && calls.bug === 2 && calls.again === 2);
    await settle();
    h.clock.advance(9);
    await settle();
    expect(calls.flaky).toBe(2);
    h.clock.advance(1);
    await until(() => calls.flaky === 3);
    await settle();

    // requeueAfter: exactly on time, without backoff growth.
    h.clock.advance(30_000 - 16);
    await settle();
    expect(calls.later).toBe(1);
    h.clock.advance(1);
    await until(() => calls.later === 2);
    await settle();
    h.clock.advance(30_000);
    await until(() => calls.later === 3);

    // Terminal: never again.
    h.clock.advance(10_000_000);
    await settle();
    expect(calls.fatal).toBe(1);
    expect(calls.ok).toBe(1);
    expect(calls.again).toBe(2);

    const c = { controller: 'results' };
    expect(
      await counter(h.metrics, 'controller_runtime_reconcile_total', { ...c, result: 'success' }),
    ).toBeGreaterThanOrEqual(3);
    expect(await counter(h.metrics, 'controller_runtime_reconcile_total', { ...c, result: 'requeue_after' })).toBe(2);
    expect(await counter(h.metrics, 'controller_runtime_reconcile_total', { ...c, result: 'requeue' })).toBe(1);
    expect(await counter(h.metrics, 'controller_runtime_terminal_reconcile_errors_total', c)).toBe(1);
    expect(await counter(h.metrics, 'controller_runtime_reconcile_panics_total', c)).toBeGreaterThanOrEqual(2);
    expect(await counter(h.metrics, 'controller_runtime_reconcile_errors_total', c)).toBeGreaterThanOrEqual(6);
    expect(await counter(h.metrics, 'workqueue_retries_total', { name: 'results' })).toBeGreaterThanOrEqual(5);
    await run.stop();
  });

  it('a 409 Conflict is a requeue with backoff, not an error', async () => {
    const h = harness();
    let calls = 0;
    const conflict = new ApiError(409, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'the object has been modified',
    });
    const ctl = controllerFor(Parent)
      .named('conflicts')
      .complete(() => {
        calls++;
        if (calls === 1) throw conflict;
      });
    const run = ctl.run(h.deps);
    h.cache.emit(Parent, (x) => x.add!(obj('x'), false));
    await until(() => calls === 1 && run.inFlight() === 0);
    h.clock.advance(5); // the first per-key backoff step
    await until(() => calls === 2 && run.inFlight() === 0);
    const c = { controller: 'conflicts' };
    expect(await counter(h.metrics, 'controller_runtime_reconcile_total', { ...c, result: 'requeue' })).toBe(1);
    expect(await counter(h.metrics, 'controller_runtime_reconcile_total', { ...c, result: 'success' })).toBe(1);
    expect(await counter(h.metrics, 'controller_runtime_reconcile_errors_total', c)).toBe(0);
    await run.stop();
  });

  it('runs different keys in parallel up to the concurrency, bounded by the per-process limiter', async () => {
    const h = harness();
    let active = 0;
    let max = 0;
    const gates: (() => void)[] = [];
    const ctl = controllerFor(Parent)
      .withConcurrency(4)
      .complete(async () => {
        active++;
        max = Math.max(max, active);
        await new Promise<void>((r) => gates.push(r));
        active--;
      });
    const run = ctl.run({ ...h.deps, limiter: new ConcurrencyLimiter(3) });
    for (let i = 0; i < 8; i++) h.cache.emit(Parent, (x) => x.add!(obj(`o${i}`), false));
    await until(() => active === 3);
    expect(await counter(h.metrics, 'controller_runtime_active_workers', { controller: 'parent' })).toBe(3);
    expect(await counter(h.metrics, 'controller_runtime_max_concurrent_reconciles', { controller: 'parent' })).toBe(4);
    while (gates.length || active) {
      gates.splice(0).forEach((g) => g());
      await new Promise((r) => setImmediate(r));
    }
    await until(() => run.queue.len() === 0 && run.inFlight() === 0);
    expect(max).toBe(3);
    await run.stop();
  });

  it('stop lets in-flight reconciles finish and starts nothing new; abort fires ctx.signal', async () => {
    const h = harness();
    const started: string[] = [];
    let finished = 0;
    let release!: () => void;
    let seenSignal: AbortSignal | undefined;
    const ctl = controllerFor(Parent).complete(async (req, ctx: ReconcileContext) => {
      started.push(req.name);
      seenSignal = ctx.signal;
      await new Promise<void>((r) => (release = r));
      finished++;
    });
    const run = ctl.run(h.deps);
    h.cache.emit(Parent, (x) => x.add!(obj('a'), false));
    await until(() => started.length === 1);
    h.cache.emit(Parent, (x) => x.add!(obj('b'), false));
    let stopped = false;
    const stopping = run.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    h.cache.emit(Parent, (x) => x.add!(obj('c'), false)); // handler already removed
    release();
    await stopping;
    expect(finished).toBe(1);
    expect(started).toEqual(['a']);
    expect(seenSignal!.aborted).toBe(false);

    const run2 = ctl.run(h.deps);
    h.cache.emit(Parent, (x) => x.add!(obj('d'), false));
    await until(() => started.length === 2);
    const aborting = run2.abort('lost leadership');
    expect(seenSignal!.aborted).toBe(true);
    release();
    await aborting;
  });
});
