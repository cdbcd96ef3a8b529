import {
  findCondition,
  updateStatusIfChanged,
  type Condition,
  type KindRef,
  type KubeObject,
} from '@kubeloop/reconcile';
import type { ReconcileContext } from '@kubeloop/runtime';
import { namesWithin } from '../status/children-report.ts';

type WithStatus = KubeObject & { status?: { conditions?: Condition[] } };

/**
 * Writes a computed status once, only if it changed, and records an event when the Ready
 * condition changes status — including its first appearance, so `kubectl describe` shows when
 * an object first became (not) ready. The event follows the write: a failed write emits nothing
 * and the retry decides again.
 * A 409 (rare: the status is a merge patch without resourceVersion, see updateStatusIfChanged)
 * propagates: the runtime requeues conflicts with backoff, as for every controller.
 */
export async function reportStatus<T extends WithStatus>(
  ctx: ReconcileContext,
  kind: KindRef<T>,
  obj: T,
  status: NonNullable<T['status']>,
): Promise<'written' | 'unchanged'> {
  if (!(await updateStatusIfChanged(ctx, kind, obj, status))) return 'unchanged';
  const before = findCondition(obj.status?.conditions, 'Ready');
  const after = findCondition(status.conditions, 'Ready');
  if (after && after.status !== before?.status) {
    const message = `Ready is ${after.status}${after.message ? `: ${after.message}` : ''}`;
    ctx.events.normal(obj, after.reason, message);
  }
  return 'written';
}

type ChildWrite = 'created' | 'updated' | 'deleted' | 'unchanged';

/** Event messages stay well under the API server's 1 KiB cut, whatever the number of children. */
const MAX_NAMES_CHARS = 900;

/**
 * The child writes of one reconcile, announced as one event per kind of write: "created 10
 * Numbers: t-0, t-1, …" rather than ten events. Every child written is still named (up to the
 * message size, then "and N more"), so `kubectl describe` tells what happened, and a Tuple's
 * first reconcile costs one Event write instead of one per Number.
 */
export class ChildWrites {
  private readonly names = { created: [] as string[], updated: [] as string[], deleted: [] as string[] };

  constructor(
    private readonly parent: KubeObject,
    private readonly childKind: string,
  ) {}

  add(childName: string, result: ChildWrite): void {
    if (result !== 'unchanged') this.names[result].push(childName);
  }

  /** Records the events; call it in `finally` so writes before a failure are announced too. */
  record(ctx: Pick<ReconcileContext, 'events'>): void {
    for (const result of ['created', 'updated', 'deleted'] as const) {
      // Sorted: creates run concurrently, and the message should not depend on which landed first.
      const names = this.names[result].sort();
      if (names.length === 0) continue;
      const reason = result === 'created' ? 'Created' : result === 'updated' ? 'Updated' : 'Deleted';
      const message =
        names.length === 1
          ? `${result} ${this.childKind} ${names[0]}`
          : `${result} ${names.length} ${this.childKind}s: ${namesWithin(names, MAX_NAMES_CHARS)}`;
      ctx.events.normal(this.parent, reason, message);
      names.length = 0;
    }
  }
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight: a Fermat of 10000 owns 5000
 * Tuples, and one request at a time would make its first reconcile needlessly slow, while
 * unbounded fan-out would flood the API server. The first failure is rethrown after in-flight
 * calls settle.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
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
