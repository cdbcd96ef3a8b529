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
   * Hold back a status whose Ready is False `ChildrenPending` on an object that has no Ready
   * condition yet, until no child of `children` has been in line for its controller for this
   * long: when the children all report meanwhile, the first write is the Ready one — one write
   * (and one Event) instead of two, and `kubectl get` shows an empty Ready column for a moment,
   * never a wrong one. The pending state is written once the children stop making their way
   * (a child whose reconcile keeps failing, a controller that is stuck or not in this process):
   * `retryAfterMs` says when to look again (return `requeueAfter(retryAfterMs)`).
   */
  holdFirstPendingMs?: number;
  /**
   * The parent's children: while one of them waits for its controller's turn in this process
   * (ctx.work: queued or being reconciled — WorkQueue.inLine), the hold starts
   * again. A burst of thousands of children queued behind each other is not slowness: the
   * parent would write Ready=False only to overwrite it moments later. Without it (or without
   * ctx.work) the hold is holdFirstPendingMs from the first pending status.
   */
  children?: { kind: KindRef; objects: Iterable<KubeObject> };
  /** The clock for holdFirstPendingMs (tests). */
  now?: () => number;
}

/**
 * The hold for a parent's first `ChildrenPending` status (ReportStatusOptions.holdFirstPendingMs),
 * counted from the last time one of its children was seen in line: long enough for a child
 * taken by its controller to report under load, short enough that an empty Ready column when
 * the children are stuck reads as "a moment".
 */
export const FIRST_PENDING_HOLD_MS = 5_000;

/** Objects whose first pending status is held back, by UID: since when (or since a child was last in line). Bounded: forgetting one restarts its wait. */
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
        if (heldSince.size >= MAX_HELD) heldSince.delete(heldSince.keys().next().value!);
        heldSince.set(uid, (since = now));
      } else if (since + opts.holdFirstPendingMs <= now && childInLine(ctx, opts.children, opts.holdFirstPendingMs)) {
        // Looked for only once the hold has run out: a scan of a Fermat's 5,000 Tuples on every
        // reconcile of the burst would make its cost quadratic again. A child taken within the
        // hold still counts as in line (inLine's withinMs), so nothing seen meanwhile is missed.
        heldSince.set(uid, (since = now));
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

/** Whether one of the children still waits for its controller's turn here (stops at the first). */
function childInLine(ctx: ReportingContext, children: ReportStatusOptions['children'], withinMs: number): boolean {
  if (!ctx.work || !children) return false;
  for (const child of children.objects) if (ctx.work.inLine(children.kind, child, withinMs)) return true;
  return false;
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
