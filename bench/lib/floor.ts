import type { Client } from '@kubeloop/runtime';
import {
  desiredNumbers,
  newTuple,
  numberStatus,
  NumberKind,
  Tuple,
  tupleStatus,
  type NumberObject,
  type TupleObject,
} from './math.ts';
import { forEachLimit, Semaphore } from './pool.ts';

export interface FloorOptions {
  namespace: string;
  tuples: number;
  numbersPerTuple: number;
  /** Tuple creates in flight (the user's apply), as in converge. */
  applyConcurrency: number;
  /** The tuple controller's workers. */
  tupleWorkers: number;
  /** Number creates in flight per tuple reconcile (the tuple controller's fan-out). */
  fanout: number;
  /** The number controller's workers. */
  numberWorkers: number;
}

/**
 * The write floor: the input (Tuple creates, same as converge's apply) plus the minimal set of
 * writes a perfect controller would issue — one create per Number, one status write per Number,
 * one status write per Tuple — pipelined with the manager's concurrency: tuple workers creating
 * Numbers `fanout` at a time, number workers writing Number status as soon as a Number exists,
 * and a Tuple's status written (by a tuple worker) once all its Numbers have reported. Bodies
 * come from the math app's own pure functions and go out as the manager sends them (status as a
 * JSON merge patch on /status, as updateStatusIfChanged does), so they are the manager's writes,
 * minus waste.
 */
export async function runFloor(client: Client, o: FloorOptions): Promise<{ seconds: number; tuplesReady: number }> {
  const tuples = client.resource(Tuple);
  const numbers = client.resource(NumberKind);
  const tupleWorkers = new Semaphore(o.tupleWorkers);
  const numberWorkers = new Semaphore(o.numberWorkers);
  let ready = 0;

  const one = async (created: TupleObject) => {
    const reported: Promise<NumberObject>[] = [];
    await tupleWorkers.run(() =>
      forEachLimit(desiredNumbers(created), o.fanout, async (d) => {
        const n = await numbers.create({
          apiVersion: NumberKind.apiVersion,
          kind: 'Number',
          metadata: {
            name: d.name,
            namespace: o.namespace,
            labels: d.labels,
            ownerReferences: [
              {
                apiVersion: Tuple.apiVersion,
                kind: 'Tuple',
                name: created.metadata.name!,
                uid: created.metadata.uid!,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: { value: d.value },
        } as NumberObject);
        // The number worker starts as soon as the Number exists; the tuple worker moves on.
        const status = numberWorkers.run(() =>
          numbers.patchStatus(o.namespace, n.metadata.name!, { status: numberStatus(n) }, 'merge'),
        );
        status.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
        reported.push(status);
      }),
    );
    const children = await Promise.all(reported);
    await tupleWorkers.run(() =>
      tuples.patchStatus(o.namespace, created.metadata.name!, { status: tupleStatus(created, children) }, 'merge'),
    );
    ready++;
  };

  const started = performance.now();
  const pending: Promise<void>[] = [];
  await forEachLimit(
    Array.from({ length: o.tuples }, (_, i) => i),
    o.applyConcurrency,
    async (i) => {
      const created = await tuples.create(newTuple(o.namespace, i, o.numbersPerTuple));
      const p = one(created);
      p.catch(() => undefined); // settled below with allSettled
      pending.push(p);
    },
  );
  const results = await Promise.allSettled(pending);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return { seconds: (performance.now() - started) / 1000, tuplesReady: ready };
}
