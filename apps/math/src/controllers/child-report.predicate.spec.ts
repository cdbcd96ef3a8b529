import { describe, expect, it } from 'vitest';
import { childReportChanged } from './child-report.predicate.ts';

const base = () => ({
  metadata: {
    name: 't',
    namespace: 'ns',
    generation: 1,
    labels: { a: 'b' },
    ownerReferences: [{ apiVersion: 'v', kind: 'Fermat', name: 'f', uid: 'u', controller: true }],
  },
  spec: { numbers: [1, 4] },
  status: {
    observedGeneration: 1,
    allSquares: false,
    conditions: [
      {
        type: 'Ready',
        status: 'False' as const,
        reason: 'ChildrenPending',
        message: '2 of 2 Numbers pending',
        lastTransitionTime: 'x',
      },
    ],
  },
});

describe('childReportChanged', () => {
  const p = childReportChanged();
  it('drops an update that only rewrites the Ready message (or resourceVersion)', () => {
    const n = base();
    n.status.conditions[0]!.message = '1 of 2 Numbers pending';
    (n.metadata as Record<string, unknown>).resourceVersion = '9';
    expect(p.update!(base(), n)).toBe(false);
  });

  it.each([
    ['Ready flips', (o: ReturnType<typeof base>) => (o.status.conditions[0]!.status = 'True' as never)],
    ['allSquares changes', (o: ReturnType<typeof base>) => (o.status.allSquares = true)],
    ['observedGeneration moves', (o: ReturnType<typeof base>) => (o.status.observedGeneration = 2)],
    ['generation moves', (o: ReturnType<typeof base>) => (o.metadata.generation = 2)],
    ['labels change', (o: ReturnType<typeof base>) => (o.metadata.labels = {} as never)],
    ['owner references change', (o: ReturnType<typeof base>) => (o.metadata.ownerReferences = [])],
    [
      'deletion starts',
      (o: ReturnType<typeof base>) => ((o.metadata as Record<string, unknown>).deletionTimestamp = 'now'),
    ],
  ])('passes when %s', (_what, change) => {
    const n = base();
    change(n);
    expect(p.update!(base(), n)).toBe(true);
  });

  it('lets creates and deletes through', () => {
    expect(p).not.toHaveProperty('create');
    expect(p).not.toHaveProperty('delete');
  });
});
