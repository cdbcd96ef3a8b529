import type { HelperContext, KindRef } from './context.ts';
import { cloneJson, type KubeObject } from './object.ts';

/**
 * Finalizers let a controller clean up outside state before the API server forgets an object:
 * a DELETE only sets `deletionTimestamp` while any finalizer remains. The add/remove helpers
 * mutate the object in place and return whether they changed it; never call them on a frozen
 * cache object — use withFinalizer, which copies.
 */
export function hasFinalizer(obj: KubeObject, name: string): boolean {
  return obj.metadata.finalizers?.includes(name) ?? false;
}

export function addFinalizer(obj: KubeObject, name: string): boolean {
  if (hasFinalizer(obj, name)) return false;
  obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), name];
  return true;
}

export function removeFinalizer(obj: KubeObject, name: string): boolean {
  if (!hasFinalizer(obj, name)) return false;
  obj.metadata.finalizers = obj.metadata.finalizers!.filter((f) => f !== name);
  return true;
}

export type FinalizerOutcome<R> =
  { phase: 'applied'; result: R; object: KubeObject } | { phase: 'finalized' } | { phase: 'deleting' };

/**
 * The finalizer flow of a reconcile:
 * - object live, finalizer missing → add it (one update), then `apply`;
 * - object live, finalizer present → `apply`;
 * - object being deleted, finalizer present → `cleanup`, and only when it resolves, remove the
 *   finalizer (the server then completes the delete). If `cleanup` throws, the finalizer stays
 *   and the reconcile is retried — cleanup must therefore be idempotent;
 * - object being deleted, finalizer already gone → nothing (someone else's finalizer is pending).
 *
 * Updates carry the cached resourceVersion; a stale cache means a 409 and a retry.
 */
export async function withFinalizer<T extends KubeObject, R>(
  ctx: HelperContext,
  kind: KindRef<T>,
  obj: T,
  finalizer: string,
  steps: { apply: (obj: T) => R | Promise<R>; cleanup: (obj: T) => void | Promise<void> },
): Promise<FinalizerOutcome<R>> {
  const api = ctx.client.resource(kind);
  if (obj.metadata.deletionTimestamp) {
    if (!hasFinalizer(obj, finalizer)) return { phase: 'deleting' };
    await steps.cleanup(obj);
    const copy = cloneJson(obj);
    removeFinalizer(copy, finalizer);
    await api.update(copy);
    return { phase: 'finalized' };
  }
  let current = obj;
  if (!hasFinalizer(obj, finalizer)) {
    const copy = cloneJson(obj);
    addFinalizer(copy, finalizer);
    current = await api.update(copy);
  }
  return { phase: 'applied', result: await steps.apply(current), object: current };
}
