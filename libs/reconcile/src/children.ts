import { httpCode, OWNER_UID_INDEX, type HelperContext, type KindRef } from './context.ts';
import type { KubeObject } from './object.ts';

/**
 * The objects of `kind` that `owner` controls: a controller ownerReference carrying the owner's
 * UID, in the owner's namespace. Matching by name instead would let two same-named owners in
 * different namespaces (or an owner deleted and recreated under the same name) claim each
 * other's children. Read from the cache's owner-UID index, so it is a lookup, not a scan.
 */
export function ownedChildren<T extends KubeObject>(ctx: HelperContext, kind: KindRef<T>, owner: KubeObject): T[] {
  const uid = owner.metadata.uid;
  if (!uid) return [];
  const ns = owner.metadata.namespace;
  return ctx.cache
    .reader(kind)
    .byIndex(OWNER_UID_INDEX, uid)
    .filter((child) => !ns || child.metadata.namespace === ns);
}

/**
 * Deletes every child `owner` controls whose name is not in `desiredNames`, and returns the ones
 * this call deleted (for events). Each delete carries a UID precondition: if the name was
 * meanwhile taken by a different object, the server refuses (409) and that object is left alone.
 * Children already being deleted are skipped. Deletion propagates in the background, so the
 * child's own children go too.
 */
export async function deleteUndesired<T extends KubeObject>(
  ctx: HelperContext,
  kind: KindRef<T>,
  owner: KubeObject,
  desiredNames: { has(name: string): boolean },
): Promise<T[]> {
  const deleted: T[] = [];
  for (const child of ownedChildren(ctx, kind, owner)) {
    const { name, deletionTimestamp } = child.metadata;
    if (!name || desiredNames.has(name) || deletionTimestamp) continue;
    if (await deleteChild(ctx, kind, child)) deleted.push(child);
  }
  return deleted;
}

/**
 * Deletes one child with a UID precondition (a different object meanwhile under its name is left
 * alone: 409) and background propagation; whether this call deleted it.
 */
export async function deleteChild<T extends KubeObject>(
  ctx: HelperContext,
  kind: KindRef<T>,
  child: T,
): Promise<boolean> {
  const { name, namespace, uid } = child.metadata;
  try {
    return await ctx.client.resource(kind).delete(namespace, name!, {
      propagationPolicy: 'Background',
      ...(uid ? { preconditions: { uid } } : {}),
    });
  } catch (err) {
    if (httpCode(err) === 409 || httpCode(err) === 404) return false;
    throw err;
  }
}
