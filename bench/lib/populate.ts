import { forEachLimit, type Client } from '@kubeloop/runtime';
import { numberStatus, NumberKind, type NumberObject } from './math.ts';

export const CACHE_NAMESPACE = 'bench-cache';

/**
 * `count` Numbers with the status the number controller would write, so a manager that starts
 * on them holds them in its cache and (if it is quiet as it should be) writes nothing.
 */
export async function populateNumbers(
  client: Client,
  namespace: string,
  count: number,
  concurrency: number,
): Promise<{ seconds: number }> {
  const numbers = client.resource(NumberKind);
  const t0 = performance.now();
  await forEachLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const n = await numbers.create({
        apiVersion: NumberKind.apiVersion,
        kind: 'Number',
        metadata: { name: `n-${i}`, namespace, labels: { 'bench.kubeloop.dev/set': 'cache' } },
        spec: { value: i },
      } as NumberObject);
      await numbers.updateStatus({ ...n, status: numberStatus(n) });
    },
  );
  return { seconds: (performance.now() - t0) / 1000 };
}
