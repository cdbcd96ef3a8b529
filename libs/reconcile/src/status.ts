import type { HelperContext, KindRef } from './context.ts';
import { cloneJson, jsonEqual, type KubeObject } from './object.ts';

/**
 * Writes `status` through the status subresource only if it differs (semantically) from the
 * object's current status; returns whether it wrote. A reconcile that changes nothing therefore
 * costs no write and produces no watch event — which matters, because a status write on every
 * reconcile would wake every watcher of the kind, including this controller, forever.
 *
 * `obj` is the object as read (usually frozen from the cache); it is not modified. The write
 * carries its resourceVersion, so a stale read fails with 409 and the reconcile retries.
 */
export async function updateStatusIfChanged<T extends KubeObject & { status?: unknown }>(
  ctx: HelperContext,
  kind: KindRef<T>,
  obj: T,
  status: NonNullable<T['status']>,
): Promise<boolean> {
  if (jsonEqual(obj.status, status)) return false;
  const copy = cloneJson(obj);
  copy.status = cloneJson(status);
  await ctx.client.resource(kind).updateStatus(copy);
  return true;
}
