import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import { Client, ConfigMap, controllerFor, Lease, LeaderElector, Manager, microTime } from '../src/index.ts';

let cp: ControlPlane;
let client: Client;
beforeAll(async () => {
  cp = await startControlPlane();
  client = new Client(cp.kubeConfig, { fieldManager: 'leader-test' });
});
afterAll(async () => {
  await cp?.stop();
});

const timing = { leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 100 };

describe('LeaderElector', () => {
  it('formats MicroTime as the API server does', () => {
    expect(microTime(Date.parse('2026-11-23T10:00:00.123Z'))).toBe('2026-11-23T10:00:00.123000Z');
  });

  it('refuses inconsistent timings', () => {
    expect(
      () =>
        new LeaderElector({ client, namespace: 'default', name: 'x', leaseDurationMs: 1000, renewDeadlineMs: 2000 }),
    ).toThrow(expect.objectContaining({ code: 'LeaderElectionConfig' }));
  });

  it('a crashed leader (no release) is replaced once its lease expires, not before', async () => {
    const ns = await createTestNamespace(cp, 'expire');
    const a = new LeaderElector({ client, namespace: ns, name: 'lock', identity: 'a', ...timing });
    const b = new LeaderElector({ client, namespace: ns, name: 'lock', identity: 'b', ...timing });
    const ac = new AbortController();
    expect(await a.acquire(ac.signal)).toBe(true);
    const first = (await client.resource(Lease).get(ns, 'lock'))!;
    expect(first.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 2, leaseTransitions: 0 });
    // `a` now "crashes": it never renews and never releases.
    const bc = new AbortController();
    const started = Date.now();
    const won = b.acquire(bc.signal);
    expect(await won).toBe(true);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_900); // lease of 2 s measured on b's own clock
    expect(waited).toBeLessThan(5_000);
    const taken = (await client.resource(Lease).get(ns, 'lock'))!;
    expect(taken.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });

    // The old leader notices on its next renewal attempt that someone else holds the lease.
    const lost = await a.holdUntilLost(ac.signal);
    expect(lost).toMatchObject({ code: 'LeaderElectionLost', message: expect.stringContaining('taken over by b') });
    expect(a.isLeader()).toBe(false);

    // A clean release lets the next candidate in at once.
    expect(await b.release()).toBe(true);
    expect((await client.resource(Lease).get(ns, 'lock'))!.spec?.holderIdentity ?? '').toBe('');
    const c = new LeaderElector({ client, namespace: ns, name: 'lock', identity: 'c', ...timing });
    const t0 = Date.now();
    expect(await c.acquire(new AbortController().signal)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await c.release();
  });

  it('acquire returns false when aborted while waiting', async () => {
    const ns = await createTestNamespace(cp, 'abort');
    const holder = new LeaderElector({ client, namespace: ns, name: 'lock', identity: 'h', ...timing });
    expect(await holder.acquire(new AbortController().signal)).toBe(true);
    const holding = new AbortController();
    const renewing = holder.holdUntilLost(holding.signal);
    const waiter = new LeaderElector({ client, namespace: ns, name: 'lock', identity: 'w', ...timing });
    const ac = new AbortController();
    const p = waiter.acquire(ac.signal);
    await eventually(async () =>
      expect((await client.resource(Lease).get(ns, 'lock'))!.spec?.renewTime).not.toBe(undefined),
    );
    ac.abort();
    expect(await p).toBe(false);
    holding.abort();
    expect(await renewing).toBeUndefined();
    expect(await holder.release()).toBe(true);
  });

  it('a leader that cannot renew within the renew deadline stops reconciling (API server down)', async (t) => {
    if (!cp.local) return t.skip(); // needs to stop and restart the API server
    const ns = await createTestNamespace(cp, 'deadline');
    const mgr = new Manager({
      name: 'deadline',
      kubeConfig: cp.kubeConfig,
      namespace: ns,
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      webhook: false,
      leaderElection: true,
      leaderElectionID: 'deadline-lock',
      leaderElectionIdentity: 'solo',
      ...timing,
    });
    let signal: AbortSignal | undefined;
    mgr.add(
      controllerFor(ConfigMap).complete(async (_req, ctx) => {
        signal = ctx.signal;
        await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
      }),
    );
    const running = mgr.start(new AbortController().signal);
    running.catch(() => {});
    await eventually(() => expect(mgr.isLeader()).toBe(true));
    await client
      .resource(ConfigMap)
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: ns } });
    await eventually(() => expect(signal).toBeDefined());
    // The deadline runs from the last renewal, which may lie more than a retry period before the
    // stop on a loaded machine: read it (the true last one is this or later) instead of assuming.
    const renewed = Date.parse((await client.resource(Lease).get(ns, 'deadline-lock'))!.spec!.renewTime!);
    const down = Date.now();
    await cp.local.stop();
    try {
      await expect(running).rejects.toMatchObject({
        code: 'LeaderElectionLost',
        message: expect.stringContaining('renew deadline'),
      });
      const lost = Date.now();
      expect(lost - renewed).toBeGreaterThanOrEqual(timing.renewDeadlineMs - timing.retryPeriodMs);
      expect(lost - down).toBeLessThan(timing.leaseDurationMs + 2_000);
      expect(signal!.aborted).toBe(true);
    } finally {
      await cp.local.start();
    }
  });
});
