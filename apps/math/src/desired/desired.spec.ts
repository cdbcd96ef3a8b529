import { describe, expect, it } from 'vitest';
import { desiredNumbers } from './tuple-numbers.ts';
import { desiredTuples } from './fermat-tuples.ts';
import { FERMAT_LABEL, TUPLE_LABEL } from './labels.ts';

describe('desiredNumbers', () => {
  it('names Numbers <tuple>-<index> with the item as value and the tuple label', () => {
    expect(desiredNumbers({ metadata: { name: 't' }, spec: { numbers: [0, 1, 1] } })).toEqual([
      { name: 't-0', value: 0, labels: { [TUPLE_LABEL]: 't' } },
      { name: 't-1', value: 1, labels: { [TUPLE_LABEL]: 't' } },
      { name: 't-2', value: 1, labels: { [TUPLE_LABEL]: 't' } },
    ]);
    expect(TUPLE_LABEL).toBe('math.potsbo.k8s.wantedly.com/tuple');
  });

  it('an empty or absent list wants no Numbers', () => {
    expect(desiredNumbers({ metadata: { name: 't' }, spec: { numbers: [] } })).toEqual([]);
    expect(desiredNumbers({ metadata: { name: 't' }, spec: {} })).toEqual([]);
  });

  it('omits the label when the parent name cannot be a label value', () => {
    const long = 'a'.repeat(64);
    expect(desiredNumbers({ metadata: { name: long }, spec: { numbers: [7] } })[0]).toEqual({
      name: `${long}-0`,
      value: 7,
      labels: {},
    });
  });
});

describe('desiredTuples', () => {
  it.each([
    [0, []],
    [1, []],
    [2, ['f-1-and-1']],
    [5, ['f-1-and-4', 'f-2-and-3']],
    [7, ['f-1-and-6', 'f-2-and-5', 'f-3-and-4']],
  ])('n=%d → %j', (n, names) => {
    expect(desiredTuples({ metadata: { name: 'f' }, spec: { number: n } }).map((t) => t.name)).toEqual(names);
  });

  it('pairs [i, n−i] in increasing i, with the fermat label', () => {
    expect(desiredTuples({ metadata: { name: 'f' }, spec: { number: 5 } })).toEqual([
      { name: 'f-1-and-4', numbers: [1, 4], labels: { [FERMAT_LABEL]: 'f' } },
      { name: 'f-2-and-3', numbers: [2, 3], labels: { [FERMAT_LABEL]: 'f' } },
    ]);
  });

  it('10000 (the schema maximum) gives 5000 distinct Tuples summing to n', () => {
    const ts = desiredTuples({ metadata: { name: 'f' }, spec: { number: 10_000 } });
    expect(ts).toHaveLength(5000);
    expect(new Set(ts.map((t) => t.name)).size).toBe(5000);
    expect(ts.every((t) => t.numbers[0] + t.numbers[1] === 10_000 && t.numbers[0] <= t.numbers[1])).toBe(true);
  });
});

describe('objects without spec (the schema does not require spec itself)', () => {
  it('want no children', () => {
    expect(desiredTuples({ metadata: { name: 'f' } })).toEqual([]);
    expect(desiredNumbers({ metadata: { name: 't' } })).toEqual([]);
  });
});
