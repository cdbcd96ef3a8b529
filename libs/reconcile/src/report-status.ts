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
): Promise<{ written: boolean; status: NonNullable<T['status']> }> {
  const current = withLatestStatus(ctx, kind, obj);
  const status = compute(current);
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
