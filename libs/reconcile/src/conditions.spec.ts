import { describe, expect, it } from 'vitest';
import { findCondition, formatTime, isTrue, removeCondition, setCondition, type Condition } from './conditions.ts';

const t0 = new Date('2026-01-01T00:00:00.123Z');
const t1 = new Date('2026-01-01T00:05:00.999Z');

describe('setCondition', () => {
  it('adds a new condition with lastTransitionTime now, at second precision', () => {
    const c = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'ChildrenPending', observedGeneration: 1 },
      t0,
    );
    expect(c).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'ChildrenPending',
        message: '',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        observedGeneration: 1,
      },
    ]);
  });

  it('keeps lastTransitionTime when status is unchanged, even if reason/message/generation change', () => {
    const a = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'A', message: 'x', observedGeneration: 1 },
      t0,
    );
    const b = setCondition(a, { type: 'Ready', status: 'False', reason: 'B', message: 'y', observedGeneration: 2 }, t1);
    expect(b[0]).toMatchObject({
      reason: 'B',
      message: 'y',
      observedGeneration: 2,
      lastTransitionTime: formatTime(t0),
    });
  });

  it('moves lastTransitionTime when status flips', () => {
    const a = setCondition([], { type: 'Ready', status: 'False', reason: 'A' }, t0);
    const b = setCondition(a, { type: 'Ready', status: 'True', reason: 'A' }, t1);
    expect(b[0]!.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });

  it('recomputing an unchanged condition yields a deep-equal array (no status write)', () => {
    const a = setCondition(
      [],
      { type: 'Ready', status: 'True', reason: 'Ok', message: 'm', observedGeneration: 3 },
      t0,
    );
    const b = setCondition(a, { type: 'Ready', status: 'True', reason: 'Ok', message: 'm', observedGeneration: 3 }, t1);
    expect(b).toEqual(a);
  });

  it('does not modify a frozen input and keeps order of other conditions', () => {
    const input: readonly Condition[] = Object.freeze([
      Object.freeze({ type: 'A', status: 'True', reason: 'R', message: '', lastTransitionTime: 'x' } as Condition),
      Object.freeze({ type: 'B', status: 'True', reason: 'R', message: '', lastTransitionTime: 'y' } as Condition),
    ]);
    const out = setCondition(input, { type: 'A', status: 'False', reason: 'R' }, t0);
    expect(out.map((c) => c.type)).toEqual(['A', 'B']);
    expect(input[0]!.status).toBe('True');
  });

  it('refuses non-CamelCase reasons and unknown statuses the API server would reject', () => {
    expect(() => setCondition([], { type: 'Ready', status: 'True', reason: 'not ok' })).toThrow(
      expect.objectContaining({ code: 'InvalidCondition' }),
    );
    expect(() => setCondition([], { type: 'Ready', status: 'Yes' as 'True', reason: 'Ok' })).toThrow(
      /True, False or Unknown/,
    );
  });
});

describe('findCondition / isTrue / removeCondition', () => {
  const list = setCondition([], { type: 'Ready', status: 'True', reason: 'Ok' }, t0);
  it('finds by type', () => {
    expect(findCondition(list, 'Ready')?.status).toBe('True');
    expect(findCondition(list, 'Other')).toBeUndefined();
    expect(findCondition(undefined, 'Ready')).toBeUndefined();
  });
  it('isTrue only for status True', () => {
    expect(isTrue(list, 'Ready')).toBe(true);
    expect(isTrue(setCondition(list, { type: 'Ready', status: 'Unknown', reason: 'Ok' }), 'Ready')).toBe(false);
    expect(isTrue(undefined, 'Ready')).toBe(false);
  });
  it('removes by type', () => {
    expect(removeCondition(list, 'Ready')).toEqual([]);
  });
});
