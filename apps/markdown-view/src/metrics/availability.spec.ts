import { describe, expect, it } from 'vitest';
import { AvailabilityGauge, createAvailabilityMetric } from './availability.ts';

describe('markdownview_available', () => {
  it('registers itself and reports one series per name and namespace; a removed view leaves none', async () => {
    const registered: unknown[] = [];
    const gauge = createAvailabilityMetric({ registerMetric: (m: never) => void registered.push(m) });
    expect(registered).toEqual([gauge]);
    gauge.set('docs', 'book', true);
    gauge.set('docs', 'draft', false);
    gauge.set('docs', 'draft', false);
    expect(await gauge.get()).toEqual({
      name: 'markdownview_available',
      help: expect.any(String),
      type: 'gauge',
      aggregator: 'sum',
      values: [
        { value: 1, labels: { name: 'book', namespace: 'docs' } },
        { value: 0, labels: { name: 'draft', namespace: 'docs' } },
      ],
    });
    gauge.remove('docs', 'book');
    expect((await gauge.get()).values).toEqual([{ value: 0, labels: { name: 'draft', namespace: 'docs' } }]);
    expect(gauge.value('docs', 'book')).toBeUndefined();
  });

  it('keeps namespaces apart', () => {
    const gauge = new AvailabilityGauge();
    gauge.set('a', 'book', true);
    gauge.set('b', 'book', false);
    gauge.remove('a', 'book');
    expect(gauge.value('b', 'book')).toBe(0);
  });
});
