import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import {
  Client,
  ConfigMap,
  controllerFor,
  createLogger,
  crdFor,
  defineKind,
  Lease,
  Manager,
  Type,
  type ResourceClient,
} from '../src/index.ts';
import { Widget } from './fixtures/widget.ts';

type WidgetObj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; uid?: string };
  spec: { value?: number };
};

let cp: ControlPlane;
let client: Client;
let widgets: ResourceClient<WidgetObj>;
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  cp = await startControlPlane({ crds: [crdFor(Widget)] });
  client = new Client(cp.kubeConfig, { fieldManager: 'runtime-test' });
  widgets = client.resource(Widget) as unknown as ResourceClient<WidgetObj>;
});
afterAll(async () => {
  await cp?.stop();
});

const widget = (namespace: string, name: string, value = 0): WidgetObj => ({
  apiVersion: Widget.apiVersion,
  kind: 'Widget',
  metadata: { name, namespace },
  spec: { value },
});

function managerFor(namespace: string, extra: Partial<ConstructorParameters<typeof Manager>[0]> = {}) {
  return new Manager({
    name: 'widget-test',
    kubeConfig: cp.kubeConfig,
    namespace,
    metricsBindAddress: '127.0.0.1:0',
    healthProbeBindAddress: '127.0.0.1:0',
    gracefulShutdownMs: 5_000,
    webhook: false,
    logger,
    ...extra,
  });
}

async function text(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe('manager against an API server', () => {
  it('reconciles, owns children, serves metrics and probes that flip on shutdown', async () => {
    const ns = await createTestNamespace(cp, 'mgr');
    let release: (() => void) | undefined;
    const mgr = managerFor(ns);
    mgr.add(
      controllerFor(Widget)
        .owns(ConfigMap)
        .complete(async (req, ctx) => {
          const w = ctx.cache.reader(Widget).get(req.namespace, req.name);
          if (!w) return;
          if (w.metadata.name === 'slow') await new Promise<void>((r) => (release = r));
          const cms = ctx.client.resource(ConfigMap);
          if (!(await cms.get(req.namespace, `${req.name}-cm`))) {
            await cms.create({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: {
                name: `${req.name}-cm`,
                namespace: req.namespace,
                ownerReferences: [
                  {
                    apiVersion: Widget.apiVersion,
                    kind: 'Widget',
                    name: req.name,
                    uid: w.metadata.uid!,
                    controller: true,
                  },
                ],
              },
              data: { value: String(w.spec.value) },
            });
          }
        }),
    );
    const abort = new AbortController();
    const running = mgr.start(abort.signal);
    const { metrics, healthProbe } = await mgr.serving();
    await eventually(async () => expect((await text(`${healthProbe}/readyz`)).status).toBe(200));
    expect(await text(`${healthProbe}/healthz`)).toEqual({ status: 200, body: 'ok' });
    const verbose = await text(`${healthProbe}/readyz?verbose`);
    expect(verbose.body).toContain('[+]informer Widget ok');
    expect(verbose.body).toContain('[+]informer ConfigMap ok');

    await widgets.create(widget(ns, 'w1', 7));
    const cm = await eventually(async () => {
      const c = await client.resource(ConfigMap).get(ns, 'w1-cm');
      expect(c).toBeDefined();
      return c!;
    });
    expect(cm.data).toEqual({ value: '7' });
    await eventually(async () => {
      const m = (await text(`${metrics}/metrics`)).body;
      expect(m).toMatch(/controller_runtime_reconcile_total\{controller="widget",result="success"\} [1-9]/);
      expect(m).toContain('workqueue_adds_total{name="widget",controller="widget"}');
      expect(m).toContain('controller_runtime_max_concurrent_reconciles{controller="widget"} 1');
      expect(m).toContain('process_cpu_seconds_total');
    });

    // A slow reconcile in flight: shutdown waits for it, and /healthz fails meanwhile.
    await widgets.create(widget(ns, 'slow'));
    await eventually(() => expect(release).toBeDefined());
    abort.abort();
    await eventually(async () => {
      const h = await text(`${healthProbe}/healthz`);
      expect(h.status).toBe(500);
      expect(h.body).toContain('[-]ping: manager is shutting down');
    });
    let stopped = false;
    void running.then(() => (stopped = true));
    expect(mgr.inFlight()).toBe(1);
    expect(stopped).toBe(false);
    release!();
    await running;
    expect(await client.resource(ConfigMap).get(ns, 'slow-cm')).toBeDefined();
    await expect(fetch(`${healthProbe}/healthz`)).rejects.toThrow();
  });

  it('readyz names the informer that has not synced', async () => {
    const Ghost = defineKind({
      group: 'test.kubeloop.dev',
      version: 'v1',
      kind: 'Ghost',
      plural: 'ghosts',
      scope: 'Namespaced',
      spec: Type.Object({}),
    });
    const mgr = managerFor('default');
    mgr.add(controllerFor(Ghost).complete(() => {}));
    const abort = new AbortController();
    const running = mgr.start(abort.signal);
    const { healthProbe } = await mgr.serving();
    await eventually(async () => {
      const r = await text(`${healthProbe}/readyz`);
      expect(r.status).toBe(500);
      expect(r.body).toContain('[-]informer Ghost: not synced');
      expect(r.body).toContain('readyz check failed');
    });
    expect((await text(`${healthProbe}/healthz`)).status).toBe(200);
    abort.abort();
    await running;
  });

  it('a key updated 100 times while its reconcile is slow is reconciled a handful of times, never concurrently, ending on the last state', async () => {
    const ns = await createTestNamespace(cp, 'burst');
    const seen: number[] = [];
    let active = 0;
    let maxActive = 0;
    const mgr = managerFor(ns);
    mgr.add(
      controllerFor(Widget)
        .withConcurrency(4)
        .complete(async (req, ctx) => {
          active++;
          maxActive = Math.max(maxActive, active);
          try {
            const w = ctx.cache.reader(Widget).get(req.namespace, req.name);
            if (w) seen.push(w.spec.value ?? -1);
            await new Promise((r) => setTimeout(r, 150)); // the reconcile's own (slow) work
          } finally {
            active--;
          }
        }),
    );
    const abort = new AbortController();
    const running = mgr.start(abort.signal);
    let current = await widgets.create(widget(ns, 'hot', 0));
    for (let i = 1; i <= 100; i++) current = await widgets.update({ ...current, spec: { value: i } });
    await eventually(() => expect(seen.at(-1)).toBe(100), { timeout: 15_000 });
    abort.abort();
    await running;
    expect(maxActive).toBe(1);
    expect(seen.length).toBeLessThan(50);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('with leader election only one of two managers reconciles; stopping it hands over at once', async () => {
    const ns = await createTestNamespace(cp, 'leader');
    const calls = { a: [] as string[], b: [] as string[] };
    const make = (id: 'a' | 'b') => {
      const mgr = managerFor(ns, {
        leaderElection: true,
        leaderElectionID: 'widget-test-lock',
        leaderElectionIdentity: `mgr-${id}`,
        leaseDurationMs: 2_000,
        renewDeadlineMs: 1_500,
        retryPeriodMs: 200,
      });
      mgr.add(controllerFor(Widget).complete((req) => void calls[id].push(req.name)));
      const abort = new AbortController();
      return { mgr, abort, running: mgr.start(abort.signal) };
    };
    const a = make('a');
    await eventually(() => expect(a.mgr.isLeader()).toBe(true));
    const b = make('b');
    await b.mgr.serving();
    await widgets.create(widget(ns, 'one'));
    await eventually(() => expect(calls.a).toContain('one'));
    const lease = await client.resource(Lease).get(ns, 'widget-test-lock');
    expect(lease?.spec?.holderIdentity).toBe('mgr-a');
    expect(lease?.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(calls.b).toEqual([]);
    expect(b.mgr.isLeader()).toBe(false);
    const bProbe = (await b.mgr.serving()).metrics!;
    expect((await text(`${bProbe}/metrics`)).body).toContain(
      'leader_election_master_status{name="widget-test-lock"} 0',
    );

    const stoppedAt = Date.now();
    a.abort.abort();
    await a.running;
    const released = await client.resource(Lease).get(ns, 'widget-test-lock');
    expect(released?.spec?.holderIdentity ?? 'mgr-b').toBe('mgr-b'); // cleared by a (or already taken by b)
    await eventually(() => expect(b.mgr.isLeader()).toBe(true), { timeout: 2_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    await eventually(() => expect(calls.b).toContain('one'));
    await widgets.create(widget(ns, 'two'));
    await eventually(() => expect(calls.b).toContain('two'));
    expect(calls.a).not.toContain('two');
    b.abort.abort();
    await b.running;
  });

  it('a leader that loses its lease stops reconciling at once and start() rejects', async () => {
    const ns = await createTestNamespace(cp, 'lose');
    const mgr = managerFor(ns, {
      leaderElection: true,
      leaderElectionID: 'lose-lock',
      leaderElectionIdentity: 'mgr-x',
      leaseDurationMs: 2_000,
      renewDeadlineMs: 1_500,
      retryPeriodMs: 200,
    });
    let signal: AbortSignal | undefined;
    mgr.add(
      controllerFor(Widget).complete(async (_req, ctx) => {
        signal = ctx.signal;
        await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
      }),
    );
    const abort = new AbortController();
    const running = mgr.start(abort.signal);
    running.catch(() => {});
    await eventually(() => expect(mgr.isLeader()).toBe(true));
    await widgets.create(widget(ns, 'w'));
    await eventually(() => expect(signal).toBeDefined());
    // Another holder steals the lease.
    const leases = client.resource(Lease);
    const lease = (await leases.get(ns, 'lose-lock'))!;
    await leases.update({
      ...lease,
      spec: { ...lease.spec, holderIdentity: 'thief', renewTime: lease.spec!.renewTime },
    });
    await expect(running).rejects.toMatchObject({ code: 'LeaderElectionLost' });
    expect(signal!.aborted).toBe(true);
  });

  it('SIGTERM with reconciles in flight: they finish, nothing new starts, exit code 0', async () => {
    const ns = await createTestNamespace(cp, 'sigterm');
    for (const n of ['s1', 's2', 's3', 's4']) await widgets.create(widget(ns, n));
    const child = spawn(
      process.execPath,
      [
        '--conditions=@kubeloop/source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'sigterm-manager.ts'),
        `--kubeconfig=${cp.kubeconfigPath}`,
        `--namespace=${ns}`,
        '--metrics-bind-address=0',
        '--health-probe-bind-address=0',
      ],
      {
        env: { ...process.env, ENABLE_WEBHOOKS: 'false', SLOW_MS: '1500', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // A tsx child compiles the runtime from source first: a minute at load 30 on 2 cores (measured).
    // Its output goes with the failure: a manager that cannot start says why there.
    await eventually(() => expect(out.match(/^start /gm)?.length, `${err}\n${out}`).toBe(2), { timeout: 90_000 });
    child.kill('SIGTERM');
    const code = await exited;
    const starts = out.match(/^start \S+/gm) ?? [];
    const finishes = out.match(/^finish \S+/gm) ?? [];
    expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
    expect(starts).toHaveLength(2); // concurrency 2; the other two never started
    expect(finishes.map((f) => f.replace('finish', 'start')).sort()).toEqual([...starts].sort());
  }, 120_000);
});
