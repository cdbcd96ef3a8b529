import { Deployment, forEachLimit, type Client } from '@kubeloop/runtime';
import {
  desiredNumbers,
  desiredTuples,
  Fermat,
  fermatStatus,
  newFermat,
  newTuple,
  numberStatus,
  NumberKind,
  Tuple,
  tupleStatus,
  type FermatObject,
  type NumberObject,
  type TupleObject,
} from './math.ts';
import { Semaphore } from './pool.ts';
import { applyDeployment, desiredDeployments, Foo, fooStatus, newFoo, type FooObject } from './sample-controller.ts';

/** The manager's concurrency, which the floor's writes follow. */
export interface FloorWorkers {
  /** The tuple controller's workers. */
  tupleWorkers: number;
  /** Number creates in flight per tuple reconcile (the tuple controller's fan-out). */
  fanout: number;
  /** The number controller's workers. */
  numberWorkers: number;
}

export interface FloorOptions extends FloorWorkers {
  namespace: string;
  tuples: number;
  numbersPerTuple: number;
  /** Tuple creates in flight (the user's apply), as in converge. */
  applyConcurrency: number;
}

export interface FermatFloorOptions extends FloorWorkers {
  namespace: string;
  number: number;
}

/**
 * What a perfect tuple and number controller write for one Tuple, pipelined with the manager's
 * concurrency: tuple workers creating Numbers `fanout` at a time, number workers writing Number
 * status as soon as a Number exists, and the Tuple's status written (by a tuple worker) once all
 * its Numbers have reported. Bodies come from the math app's own pure functions and go out as the
 * manager sends them (status as a JSON merge patch on /status, as updateStatusIfChanged does), so
 * they are the manager's writes, minus waste.
 */
class TupleFloor {
  private readonly tuples;
  private readonly numbers;
  private readonly tupleWorkers: Semaphore;
  private readonly numberWorkers: Semaphore;

  constructor(
    client: Client,
    private readonly namespace: string,
    private readonly o: FloorWorkers,
  ) {
    this.tuples = client.resource(Tuple);
    this.numbers = client.resource(NumberKind);
    this.tupleWorkers = new Semaphore(o.tupleWorkers);
    this.numberWorkers = new Semaphore(o.numberWorkers);
  }

  /** Makes `created` Ready the minimal way; resolves with the Tuple as its status now says. */
  async converge(created: TupleObject): Promise<TupleObject> {
    const reported: Promise<NumberObject>[] = [];
    await this.tupleWorkers.run(() =>
      forEachLimit(desiredNumbers(created), this.o.fanout, async (d) => {
        const n = await this.numbers.create({
          apiVersion: NumberKind.apiVersion,
          kind: 'Number',
          metadata: {
            name: d.name,
            namespace: this.namespace,
            labels: d.labels,
            ownerReferences: [controllerRef(created)],
          },
          spec: { value: d.value },
        } as NumberObject);
        // The number worker starts as soon as the Number exists; the tuple worker moves on.
        const status = this.numberWorkers.run(() =>
          this.numbers.patchStatus(this.namespace, n.metadata.name!, { status: numberStatus(n) }, 'merge'),
        );
        status.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
        reported.push(status);
      }),
    );
    const children = await Promise.all(reported);
    const status = tupleStatus(created, children);
    await this.tupleWorkers.run(() =>
      this.tuples.patchStatus(this.namespace, created.metadata.name!, { status }, 'merge'),
    );
    return { ...created, status };
  }
}

function controllerRef(owner: TupleObject | FermatObject | FooObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Settles every pipeline started; rethrows the first failure. */
async function settle<T>(pending: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(pending);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * The write floor of converge: the input (Tuple creates, same as converge's apply) plus the
 * minimal set of writes a perfect controller would issue — one create per Number, one status
 * write per Number, one status write per Tuple — pipelined as TupleFloor does.
 */
export async function runFloor(client: Client, o: FloorOptions): Promise<{ seconds: number; tuplesReady: number }> {
  const tuples = client.resource(Tuple);
  const floor = new TupleFloor(client, o.namespace, o);
  const started = performance.now();
  const pending: Promise<TupleObject>[] = [];
  await forEachLimit(
    Array.from({ length: o.tuples }, (_, i) => i),
    o.applyConcurrency,
    async (i) => {
      const created = await tuples.create(newTuple(o.namespace, i, o.numbersPerTuple));
      const p = floor.converge(created);
      p.catch(() => undefined); // settled below
      pending.push(p);
    },
  );
  const ready = await settle(pending);
  return { seconds: (performance.now() - started) / 1000, tuplesReady: ready.length };
}

/**
 * The write floor of one Fermat: its create (the input), then what a perfect fermat controller
 * writes — one create per Tuple, `fanout` in flight as the fermat reconcile sends them, each
 * Tuple handed to TupleFloor as soon as it exists — and the Fermat's one status write once every
 * Tuple has reported.
 */
export async function runFermatFloor(
  client: Client,
  o: FermatFloorOptions,
): Promise<{ seconds: number; tuplesReady: number }> {
  const fermats = client.resource(Fermat);
  const tuples = client.resource(Tuple);
  const floor = new TupleFloor(client, o.namespace, o);
  const started = performance.now();
  const fermat = await fermats.create(newFermat(o.namespace, o.number));
  const pending: Promise<TupleObject>[] = [];
  await forEachLimit(desiredTuples(fermat), o.fanout, async (d) => {
    const created = await tuples.create({
      apiVersion: Tuple.apiVersion,
      kind: 'Tuple',
      metadata: { name: d.name, namespace: o.namespace, labels: d.labels, ownerReferences: [controllerRef(fermat)] },
      spec: { numbers: [...d.numbers] },
    } as TupleObject);
    const p = floor.converge(created);
    p.catch(() => undefined); // settled below
    pending.push(p);
  });
  const ready = await settle(pending);
  await fermats.patchStatus(o.namespace, fermat.metadata.name!, { status: fermatStatus(fermat, ready) }, 'merge');
  return { seconds: (performance.now() - started) / 1000, tuplesReady: ready.length };
}

export interface FooFloorOptions {
  namespace: string;
  foos: number;
  /** Foo creates in flight (the user's apply), and so the chains in flight. */
  concurrency: number;
}

/**
 * The write floor of the foo scenario: the input (Foo creates, `concurrency` in flight, as the
 * user's apply) and what a perfect sample-controller writes for each Foo — its Deployment's
 * create, then the Foo's status (a JSON merge patch on /status, as reportStatus sends it) with
 * the Deployment's availableReplicas as the create answered it — each chain started as soon as
 * its Foo exists. Bodies come from the app's own pure functions.
 */
export async function runFooFloor(client: Client, o: FooFloorOptions): Promise<{ seconds: number; synced: number }> {
  const foos = client.resource(Foo);
  const deployments = client.resource(Deployment);
  const started = performance.now();
  let synced = 0;
  await forEachLimit(
    Array.from({ length: o.foos }, (_, i) => i),
    o.concurrency,
    async (i) => {
      const foo = await foos.create(newFoo(o.namespace, i));
      const [want] = desiredDeployments(foo);
      const deployment: Deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: want!.name, namespace: o.namespace, ownerReferences: [controllerRef(foo)] },
      };
      applyDeployment(deployment, want!);
      const created = await deployments.create(deployment);
      await foos.patchStatus(o.namespace, foo.metadata.name!, { status: fooStatus(created) }, 'merge');
      synced++;
    },
  );
  return { seconds: (performance.now() - started) / 1000, synced };
}
