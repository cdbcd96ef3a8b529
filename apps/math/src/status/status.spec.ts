import { describe, expect, it } from 'vitest';
import type { NumberObject } from '../api/v1beta1/number.ts';
import type { TupleObject } from '../api/v1beta1/tuple.ts';
import type { FermatObject } from '../api/v1beta1/fermat.ts';
import { numberStatus } from './number-status.ts';
import { tupleStatus } from './tuple-status.ts';
import { fermatStatus } from './fermat-status.ts';

const API = 'math.potsbo.k8s.wantedly.com/v1beta1';
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T01:00:00Z');

const num = (
  name: string,
  value: number,
  opts: { gen?: number; observed?: number; computed?: boolean } = {},
): NumberObject => {
  const gen = opts.gen ?? 1;
  const n: NumberObject = {
    apiVersion: API,
    kind: 'Number',
    metadata: { name, namespace: 'ns', generation: gen },
    spec: { value },
  };
  if (opts.computed !== false)
    n.status = numberStatus({ ...n, metadata: { ...n.metadata, generation: opts.observed ?? gen } }, t0);
  return n;
};
const tuple = (name: string, numbers: number[], gen = 1, status?: TupleObject['status']): TupleObject => ({
  apiVersion: API,
  kind: 'Tuple',
  metadata: { name, namespace: 'ns', generation: gen },
  spec: { numbers },
  ...(status ? { status } : {}),
});
const fermat = (n: number, gen = 1): FermatObject => ({
  apiVersion: API,
  kind: 'Fermat',
  metadata: { name: 'f', namespace: 'ns', generation: gen },
  spec: { number: n },
});

describe('numberStatus', () => {
  it('always writes fizzBuzz, isSquare (false included), observedGeneration and Ready', () => {
    const s = numberStatus(num('n', 7, { computed: false, gen: 3 }), t0);
    expect(s).toEqual({
      fizzBuzz: '7',
      isSquare: false,
      observedGeneration: 3,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Computed',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          observedGeneration: 3,
        },
      ],
    });
  });

  it('is unchanged when recomputed later (no status write)', () => {
    const n = num('n', 16);
    expect(numberStatus(n, t1)).toEqual(n.status);
  });
});

describe('tupleStatus', () => {
  it('[0, 1, 1] with all Numbers reported → allSquares true, Ready True', () => {
    const t = tuple('t', [0, 1, 1]);
    const s = tupleStatus(t, [num('t-0', 0), num('t-1', 1), num('t-2', 1)], t0);
    expect(s).toMatchObject({ count: 3, allSquares: true, observedGeneration: 1 });
    expect(s.conditions).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'ChildrenReady',
        message: 'all 3 Numbers reported',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        observedGeneration: 1,
      },
    ]);
  });

  it('a non-square makes allSquares false', () => {
    expect(tupleStatus(tuple('t', [2, 3]), [num('t-0', 2), num('t-1', 3)], t0).allSquares).toBe(false);
  });

  it.each([
    ['a missing Number', [num('t-0', 4)]],
    ['a Number with the wrong value', [num('t-0', 4), num('t-1', 16)]],
    ['a Number that has not computed status', [num('t-0', 4), num('t-1', 9, { computed: false })]],
    ['a Number whose status is from an older generation', [num('t-0', 4), num('t-1', 9, { gen: 2, observed: 1 })]],
  ])('%s keeps Ready False (ChildrenPending) and allSquares false', (_what, children) => {
    const s = tupleStatus(tuple('t', [4, 9]), children, t0);
    expect(s.allSquares).toBe(false);
    expect(s.conditions![0]).toMatchObject({
      status: 'False',
      reason: 'ChildrenPending',
      message: 'not all 2 Numbers have reported yet; see kubectl get numbers -l math.potsbo.k8s.wantedly.com/tuple=t',
    });
  });

  it('does not change while Numbers report one by one (one pending write, then one ready write)', () => {
    const t = tuple('t', [1, 2, 3, 4]);
    const kids = [num('t-0', 1), num('t-1', 2), num('t-2', 3), num('t-3', 4)];
    const first = tupleStatus(t, [], t0);
    const seen = new Set([JSON.stringify(first)]);
    for (let k = 1; k < kids.length; k++)
      seen.add(JSON.stringify(tupleStatus({ ...t, status: first }, kids.slice(0, k), t1)));
    expect(seen.size).toBe(1);
    expect(tupleStatus({ ...t, status: first }, kids, t1).conditions![0]!.status).toBe('True');
  });

  it('leaves the kubectl hint out when the name does not fit in a label value', () => {
    const long = 'x'.repeat(64);
    expect(tupleStatus(tuple(long, [4]), [], t0).conditions![0]!.message).toBe('not all 1 Numbers have reported yet');
  });

  it('an empty tuple is vacuously all squares and Ready', () => {
    const s = tupleStatus(tuple('t', []), [], t0);
    expect(s).toMatchObject({ count: 0, allSquares: true });
    expect(s.conditions![0]!.status).toBe('True');
  });

  it('ignores owned Numbers that are not desired (they are being deleted)', () => {
    expect(tupleStatus(tuple('t', [4]), [num('t-0', 4), num('t-1', 3)], t0).allSquares).toBe(true);
  });

  it('keeps lastTransitionTime across recomputations and moves it on a flip', () => {
    const t = tuple('t', [4]);
    const pending = tupleStatus(t, [], t0);
    const again = tupleStatus({ ...t, status: pending }, [], t1);
    expect(again).toEqual(pending);
    const ready = tupleStatus({ ...t, status: pending }, [num('t-0', 4)], t1);
    expect(ready.conditions![0]!.lastTransitionTime).toBe('2026-01-01T01:00:00Z');
  });
});

describe('fermatStatus', () => {
  const readyTuple = (name: string, numbers: number[]) =>
    tuple(
      name,
      numbers,
      1,
      tupleStatus(
        tuple(name, numbers),
        numbers.map((v, i) => num(`${name}-${i}`, v)),
        t0,
      ),
    );

  it('5 → twoSquaresFound, witness 1^2 + 2^2, prime', () => {
    const s = fermatStatus(fermat(5), [readyTuple('f-1-and-4', [1, 4]), readyTuple('f-2-and-3', [2, 3])], t0);
    expect(s).toMatchObject({ twoSquaresFound: true, witness: '1^2 + 2^2', prime: true, observedGeneration: 1 });
    expect(s.conditions![0]).toMatchObject({
      status: 'True',
      reason: 'ChildrenReady',
      message: 'all 2 Tuples reported',
    });
  });

  it('13 → witness 2^2 + 3^2', () => {
    const n = 13;
    const children = Array.from({ length: 6 }, (_, k) => readyTuple(`f-${k + 1}-and-${n - k - 1}`, [k + 1, n - k - 1]));
    expect(fermatStatus(fermat(13), children, t0)).toMatchObject({
      twoSquaresFound: true,
      witness: '2^2 + 3^2',
      prime: true,
    });
  });

  it('7 → false, no witness, prime', () => {
    const children = [
      readyTuple('f-1-and-6', [1, 6]),
      readyTuple('f-2-and-5', [2, 5]),
      readyTuple('f-3-and-4', [3, 4]),
    ];
    const s = fermatStatus(fermat(7), children, t0);
    expect(s).toMatchObject({ twoSquaresFound: false, prime: true });
    expect(s).not.toHaveProperty('witness');
  });

  it.each([0, 1])('%d → no children, false, not prime, Ready', (n) => {
    const s = fermatStatus(fermat(n), [], t0);
    expect(s).toMatchObject({ twoSquaresFound: false, prime: false });
    expect(s.conditions![0]!.status).toBe('True');
  });

  it('does not trust a Tuple that is not Ready yet', () => {
    const notReady = tuple(
      'f-1-and-4',
      [1, 4],
      1,
      tupleStatus(tuple('f-1-and-4', [1, 4]), [num('f-1-and-4-0', 1)], t0),
    );
    const s = fermatStatus(fermat(5), [notReady, readyTuple('f-2-and-3', [2, 3])], t0);
    expect(s).toMatchObject({ twoSquaresFound: false });
    expect(s.conditions![0]).toMatchObject({
      status: 'False',
      reason: 'ChildrenPending',
      message: 'not all 2 Tuples have reported yet; see kubectl get tuples -l math.potsbo.k8s.wantedly.com/fermat=f',
    });
  });

  it('shows a witness only once every smaller split has reported (it is never replaced later)', () => {
    // 50 = 1 + 49 = 25 + 25: the split 25-and-25 may report before 1-and-49.
    const n = 50;
    const all = Array.from({ length: 25 }, (_, k) => readyTuple(`f-${k + 1}-and-${n - k - 1}`, [k + 1, n - k - 1]));
    const without1 = all.slice(1);
    const early = fermatStatus(fermat(n), without1, t0);
    expect(early).toMatchObject({ twoSquaresFound: true });
    expect(early).not.toHaveProperty('witness');
    expect(fermatStatus(fermat(n), all, t0)).toMatchObject({ twoSquaresFound: true, witness: '1^2 + 7^2' });
  });

  it('does not change while Tuples report one by one', () => {
    const n = 7;
    const kids = [readyTuple('f-1-and-6', [1, 6]), readyTuple('f-2-and-5', [2, 5]), readyTuple('f-3-and-4', [3, 4])];
    const f = fermat(n);
    const first = fermatStatus(f, [], t0);
    for (let k = 1; k < kids.length; k++)
      expect(fermatStatus({ ...f, status: first }, kids.slice(0, k), t1)).toEqual(first);
  });

  it('does not trust a Tuple with a different pair (edited by hand, about to be put back)', () => {
    const edited = readyTuple('f-1-and-4', [4, 1]);
    expect(fermatStatus(fermat(5), [edited, readyTuple('f-2-and-3', [2, 3])], t0).twoSquaresFound).toBe(false);
  });
});
