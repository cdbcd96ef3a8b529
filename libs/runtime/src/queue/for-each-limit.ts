/**
 * Runs `fn` over `items` with at most `limit` calls in flight. A parent with thousands of
 * children (a Fermat of 10000 owns 5000 Tuples) would make its first reconcile needlessly slow
 * one request at a time, while unbounded fan-out would flood the API server and its own event
 * loop. Calls start in item order. The first failure stops new calls and is rethrown once the
 * calls already in flight have settled, so nothing is left running behind the caller's back.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`forEachLimit: limit must be a positive integer, got ${limit}`);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
