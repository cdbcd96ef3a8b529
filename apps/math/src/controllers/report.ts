import { findCondition, updateStatusIfChanged, type Condition, type KindRef, type KubeObject } from '@kubeloop/reconcile';
import { isConflict, type ReconcileContext } from '@kubeloop/runtime';

type WithStatus = KubeObject & { status?: { conditions?: Condition[] } };

/**
 * Writes a computed status once, only if it changed, and records an event when the Ready
 * condition changes status — including its first appearance, so `kubectl describe` shows when
 * an object first became (not) ready. The event follows the write: a failed write emits nothing
 * and the retry decides again.
 *
 * Returns 'conflict' when the object changed since the cache saw it (409): routine right after
 * our own previous status write, whose watch event has not reached the cache yet. The caller
 * requeues (with backoff, without logging an error) and recomputes from a fresher cache.
 */
export async function reportStatus<T extends WithStatus>(
  ctx: ReconcileContext,
  kind: KindRef<T>,
  obj: T,
  status: NonNullable<T['status']>,
): Promise<'written' | 'unchanged' | 'conflict'> {
  let written: boolean;
  try {
    written = await updateStatusIfChanged(ctx, kind, obj, status);
  } catch (err) {
    if (isConflict(err)) return 'conflict';
    throw err;
  }
  if (!written) return 'unchanged';
  const before = findCondition(obj.status?.conditions, 'Ready');
  const after = findCondition(status.conditions, 'Ready');
  if (after && after.status !== before?.status) {
    const message = `Ready is ${after.status}${after.message ? `: ${after.message}` : ''}`;
    ctx.events.normal(obj, after.reason, message);
  }
  return 'written';
}

/** One event per child write, named the way `kubectl describe` readers expect. */
export function recordChildWrite(
  ctx: ReconcileContext,
  parent: KubeObject,
  childKind: string,
  childName: string,
  result: 'created' | 'updated' | 'deleted' | 'unchanged',
): void {
  if (result === 'unchanged') return;
  const reason = result === 'created' ? 'Created' : result === 'updated' ? 'Updated' : 'Deleted';
  ctx.events.normal(parent, reason, `${result} ${childKind} ${childName}`);
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight: a Fermat of 10000 owns 5000
 * Tuples, and one request at a time would make its first reconcile needlessly slow, while
 * unbounded fan-out would flood the API server. The first failure is rethrown after in-flight
 * calls settle.
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
