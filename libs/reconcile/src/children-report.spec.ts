import { describe, expect, it } from 'vitest';
import { childrenReadyCondition, hasObservedCurrentSpec, namesWithin, pendingMessage } from './children-report.ts';

describe('namesWithin', () => {
  it('lists as many names as fit, then counts the rest', () => {
    expect(namesWithin(['a', 'b'], 100)).toBe('a, b');
    expect(namesWithin(['aa', 'bb', 'cc', 'dd', 'ee'], 17)).toBe('aa, bb and 3 more');
    expect(namesWithin(['aa', 'bb', 'cc', 'dd', 'ee'], 16)).toBe('aa and 4 more');
    expect(namesWithin(['aa', 'bb', 'cc'], 10)).toBe('aa, bb, cc');
  });
});

describe('hasObservedCurrentSpec', () => {
  it('only when the status was computed from the current generation', () => {
    expect(hasObservedCurrentSpec({ metadata: { generation: 2 }, status: { observedGeneration: 2 } })).toBe(true);
    expect(hasObservedCurrentSpec({ metadata: { generation: 2 }, status: { observedGeneration: 1 } })).toBe(false);
    expect(hasObservedCurrentSpec({ metadata: { generation: 2 } })).toBe(false);
    expect(hasObservedCurrentSpec({ metadata: {}, status: {} })).toBe(false);
  });
});

describe('childrenReadyCondition', () => {
  it('True once nothing is pending, naming the count', () => {
    expect(childrenReadyCondition({ desired: 3, pending: 0, childPlural: 'Numbers', observedGeneration: 4 })).toEqual({
      type: 'Ready',
      status: 'True',
      reason: 'ChildrenReady',
      message: 'all 3 Numbers reported',
      observedGeneration: 4,
    });
  });

  it('False while children are pending, with a message that does not depend on how many are', () => {
    const one = childrenReadyCondition({ desired: 10, pending: 1, childPlural: 'Numbers', selector: { k: 't' } });
    const nine = childrenReadyCondition({ desired: 10, pending: 9, childPlural: 'Numbers', selector: { k: 't' } });
    expect(one).toEqual(nine);
    expect(one).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ChildrenPending',
      message: 'not all 10 Numbers have reported yet; see kubectl get numbers -l k=t',
    });
  });

  it("False with the server's reason when some child can never be made, whatever is pending", () => {
    const invalid = [
      { name: 'b', verb: 'create' as const, message: 'Number.g "b" is invalid: too long' },
      { name: 'a', verb: 'create' as const, message: 'Number.g "a" is invalid: too long' },
    ];
    expect(childrenReadyCondition({ desired: 10, pending: 3, childPlural: 'Numbers', invalid })).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'FailedCreate',
      message: '2 of 10 Numbers cannot be created: Number.g "a" is invalid: too long',
    });
  });

  it('the pending message leaves out the kubectl hint when there is no selector', () => {
    expect(pendingMessage(1, 'Numbers', {})).toBe('not all 1 Numbers have reported yet');
  });
});
