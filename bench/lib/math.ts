/**
 * The math app as the benchmarks see it: its kinds, controllers and pure status functions,
 * taken from the app's public index so the floor client writes byte-for-byte what the
 * controllers would.
 */
import { crdFor } from '@kubeloop/runtime';
import {
  kinds,
  controllers,
  setupMath,
  desiredNumbers,
  desiredTuples,
  numberStatus,
  tupleStatus,
  fermatStatus,
  NumberKind,
  Tuple,
  Fermat,
  TUPLE_LABEL,
  type NumberObject,
  type TupleObject,
  type FermatObject,
} from '../../apps/math/src/index.ts';

export {
  kinds,
  controllers,
  setupMath,
  desiredNumbers,
  desiredTuples,
  numberStatus,
  tupleStatus,
  fermatStatus,
  NumberKind,
  Tuple,
  Fermat,
  TUPLE_LABEL,
  type NumberObject,
  type TupleObject,
  type FermatObject,
};

export function mathCrds(): object[] {
  return kinds.map((k) => crdFor(k));
}

/** Tuple `t-<i>`'s numbers: deterministic, with squares among them so allSquares varies. */
export function tupleNumbers(i: number, perTuple: number): number[] {
  return Array.from({ length: perTuple }, (_, j) => (i % 3 === 0 ? (i + j) * (i + j) : i * perTuple + j));
}

export function tupleName(i: number): string {
  return `t-${i}`;
}

export function newTuple(namespace: string, i: number, perTuple: number): TupleObject {
  return {
    apiVersion: Tuple.apiVersion,
    kind: 'Tuple',
    metadata: { name: tupleName(i), namespace },
    spec: { numbers: tupleNumbers(i, perTuple) },
  };
}

/** The Fermat `f` of `number`: one Tuple per split, two Numbers per Tuple. */
export function newFermat(namespace: string, number: number): FermatObject {
  return {
    apiVersion: Fermat.apiVersion,
    kind: 'Fermat',
    metadata: { name: 'f', namespace },
    spec: { number },
  } as FermatObject;
}

/** Ready=True for the object's current generation. */
export function isReady(obj: {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
}): boolean {
  const ready = obj.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && obj.status?.observedGeneration === obj.metadata.generation;
}
