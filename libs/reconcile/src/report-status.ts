import { findCondition, type Condition } from './conditions.ts';
import type { KindRef, ReportingContext } from './context.ts';
import type { KubeObject } from './object.ts';
import { updateStatusIfChanged, withLatestStatus } from './status.ts';

type WithStatus = KubeObject & { status?: unknown };

export interface ReportStatusOptions {
  /**
   * Whether a condition's transition is bad news, recorded as a Warning event rather than a
   * Normal one (`before` is undefined on the condition's first appearance). Default: never.
   */
  warning?(after: Condition, before: Condition | undefined): boolean;
  /**
   * Hold back, for this long after it is first computed, a status whose Ready is False
   * `ChildrenPending` on an object that has no Ready condition yet: when the children all report
   * within it, the first write is the Ready one — one write (and one Event) instead of two, and
   * `kubectl get` shows an empty Ready column for a moment, never a wrong one. If they have not
   * reported by then, the pending state is written: `retryAfterMs` says when to reconcile again
   * for that (return `requeueAfter(retryAfterMs)`).
   */
  holdFirstPendingMs?: number;
  /** The clock for holdFirstPendingMs (tests). */
  now?: () => number;
}

/**
 * The hold for a parent's first `ChildrenPending` status (ReportStatusOptions.holdFirstPendingMs):
 * long enough for a burst of children to report (a Tuple of 10 under load), short enough that
 * an empty Ready column right after an apply reads as "a moment".
 */
export const FIRST_PENDING_HOLD_MS = 5_000;

/** Objects whose first pending status is held back, by UID: since when. Bounded: forgetting one restarts its wait. */
const heldSince = new Map<string, number>();
const MAX_HELD = 100_000;

/** Ready False ChildrenPending computed for an object that has never shown a Ready condition. */
function isFirstPending(current: WithStatus, status: unknown): boolean {
  const ready = findCondition(conditionsOf(status), 'Ready');
  return (
    ready?.status === 'False' &&
    ready.reason === 'ChildrenPending' &&
    findCondition(conditionsOf(current.status), 'Ready') === undefined
  );
}

/**
 * The one way a controller writes its object's status:
 *
 * 1. `compute` gets the object with the status this process last wrote for it, while the cache
 *    has not shown that write yet (withLatestStatus), so conditions keep the lastTransitionTime
 *    already written and a recomputation a moment later is not a different status;
 * 2. the result is written only if it differs from what the server has, as a merge patch on
 *    `/status` without resourceVersion (updateStatusIfChanged: why that is safe for a status the
 *    controller owns and recomputes, and when it is not);
 * 3. after a write, one Event per condition whose status changed, including its first
 *    appearance — "Ready is True: all 10 Numbers reported", reason = the condition's reason —
 *    so `kubectl describe` tells when the object became (not) ready. A failed write records
 *    nothing: the retry decides again.
 *
 * Returns whether it wrote, and the status computed (for metrics and the like). A 409 (rare:
 * see updateStatusIfChanged) propagates; the runtime requeues conflicts with backoff.
 */
export async function reportStatus<T extends WithStatus>(
  ctx: ReportingContext,
  kind: KindRef<T>,
  obj: T,
  compute: (current: T) => NonNullable<T['status']>,
  opts: ReportStatusOptions = {},
): Promise<{ written: boolean; status: NonNullable<T['status']>; retryAfterMs?: number }> {
  const current = withLatestStatus(ctx, kind, obj);
  const status = compute(current);
  const uid = obj.metadata.uid;
  if (opts.holdFirstPendingMs !== undefined && uid !== undefined) {
    if (isFirstPending(current, status)) {
      const now = (opts.now ?? Date.now)();
      let since = heldSince.get(uid);
      if (since === undefined) {
        heldSince.set(uid, (since = now));
        if (heldSince.size > MAX_HELD) heldSince.delete(heldSince.keys().next().value!);
      }
      const rest = since + opts.holdFirstPendingMs - now;
      if (rest > 0) return { written: false, status, retryAfterMs: rest };
    }
    heldSince.delete(uid);
  }
  const written = await updateStatusIfChanged(ctx, kind, current, status);
  if (written) announceTransitions(ctx, current, conditionsOf(current.status), conditionsOf(status), opts);
  return { written, status };
}

function conditionsOf(status: unknown): readonly Condition[] {
  return (status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
}

function announceTransitions(
  ctx: ReportingContext,
  obj: KubeObject,
  before: readonly Condition[],
  after: readonly Condition[],
  opts: ReportStatusOptions,
): void {
  for (const condition of after) {
    const previous = findCondition(before, condition.type);
    if (previous?.status === condition.status) continue;
    const message = `${condition.type} is ${condition.status}${condition.message ? `: ${condition.message}` : ''}`;
    if (opts.warning?.(condition, previous)) ctx.events.warning(obj, condition.reason, message);
    else ctx.events.normal(obj, condition.reason, message);
  }
}
