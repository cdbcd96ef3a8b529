import { Cache, Deployment, type Client } from '@kubeloop/runtime';
import { Foo, type FooObject } from './sample-controller.ts';

/**
 * Watches the Foos and Deployments of one namespace (a list and a watch each) and resolves when
 * `n` Foos are synced, the foo scenario's finish line: the Foo's Deployment exists, is controlled
 * by the Foo (by UID) and has the Foo's spec.replicas, and the Foo's status.availableReplicas has
 * been written and equals the Deployment's status.availableReplicas (0 while the Deployment
 * reports none: on a control plane without nodes no Pod ever becomes available, so there "status
 * written" is the write of 0 that upstream's controller and ours both make).
 */
export class FooTracker {
  private readonly abort = new AbortController();
  private readonly cache: Cache;
  private readonly synced = new Set<string>();
  private waiter?: { n: number; resolve: (t: number) => void };

  constructor(client: Client, namespace: string) {
    this.cache = new Cache(client, { namespace });
    const foos = this.cache.informerFor(Foo);
    const deployments = this.cache.informerFor(Deployment);
    const look = (fooName: string) => {
      const foo = foos.get(namespace, fooName) as FooObject | undefined;
      const d = foo?.spec.deploymentName ? deployments.get(namespace, foo.spec.deploymentName) : undefined;
      const ok =
        !!foo &&
        !!d &&
        d.metadata.ownerReferences?.some((r) => r.controller && r.uid === foo.metadata.uid) === true &&
        (foo.spec.replicas === undefined || d.spec?.replicas === foo.spec.replicas) &&
        foo.status?.availableReplicas !== undefined &&
        foo.status.availableReplicas === (d.status?.availableReplicas ?? 0);
      if (ok) this.synced.add(fooName);
      else this.synced.delete(fooName);
      if (this.waiter && this.synced.size >= this.waiter.n) {
        this.waiter.resolve(performance.now());
        this.waiter = undefined;
      }
    };
    foos.addHandler({
      add: (f) => look(f.metadata.name!),
      update: (_o, f) => look(f.metadata.name!),
      delete: (f) => this.synced.delete(f.metadata.name!),
    });
    // The bench names each Deployment after its Foo; its controller reference says which Foo.
    const owner = (d: Deployment) => d.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Foo')?.name;
    deployments.addHandler({
      add: (d) => void (owner(d) && look(owner(d)!)),
      update: (_o, d) => void (owner(d) && look(owner(d)!)),
      delete: (d) => void (owner(d) && look(owner(d)!)),
    });
  }

  async start(): Promise<void> {
    await this.cache.start(this.abort.signal);
    await this.cache.waitForSync(this.abort.signal);
  }

  get count(): number {
    return this.synced.size;
  }

  /** performance.now() when `n` Foos were first all synced; rejects after `timeoutMs`. */
  waitForSynced(n: number, timeoutMs: number): Promise<number> {
    if (this.synced.size >= n) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.synced.size} of ${n} Foos synced after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = {
        n,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      };
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.cache.stopped();
  }
}
