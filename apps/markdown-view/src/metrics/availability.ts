/** Whether each MarkdownView is available, as the controller last computed it. */
export interface AvailabilityMetric {
  set(namespace: string, name: string, available: boolean): void;
  /** Forget a deleted MarkdownView: its series must disappear, not stay at its last value. */
  remove(namespace: string, name: string): void;
}

/** What the metric needs from the manager's prom-client Registry. */
export interface MetricRegistry {
  registerMetric(metric: never): void;
}

export const AVAILABLE_METRIC = 'markdownview_available';

/**
 * `markdownview_available{name,namespace}` 1/0 as a custom collector on the manager's registry
 * (prom-client calls `get()` at scrape time). A collector rather than a prom-client Gauge keeps
 * prom-client out of this app's dependencies; the exposition is the same.
 */
export class AvailabilityGauge implements AvailabilityMetric {
  readonly name = AVAILABLE_METRIC;
  readonly help = 'Whether the MarkdownView is available (1) or not (0).';
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  private readonly values = new Map<string, { namespace: string; name: string; value: number }>();

  set(namespace: string, name: string, available: boolean): void {
    this.values.set(`${namespace}/${name}`, { namespace, name, value: available ? 1 : 0 });
  }

  remove(namespace: string, name: string): void {
    this.values.delete(`${namespace}/${name}`);
  }

  value(namespace: string, name: string): number | undefined {
    return this.values.get(`${namespace}/${name}`)?.value;
  }

  get() {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.values.values()].map((v) => ({
        value: v.value,
        labels: { name: v.name, namespace: v.namespace },
      })),
    });
  }

  reset(): void {
    this.values.clear();
  }
}

export function createAvailabilityMetric(registry: MetricRegistry): AvailabilityGauge {
  const gauge = new AvailabilityGauge();
  registry.registerMetric(gauge as never);
  return gauge;
}
