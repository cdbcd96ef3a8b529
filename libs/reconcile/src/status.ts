import type { HelperContext, KindRef } from './context.ts';
import { cloneJson, jsonEqual, type KubeObject } from './object.ts';

/**
 * Writes `status` through the status subresource only if it differs (semantically) from the
 * object's current status; returns whether it wrote. A reconcile that changes nothing therefore
 * costs no write and produces no watch event — which matters, because a status write on every
 * reconcile would wake every watcher of the kind, including this controller, forever.
 *
 * The write is a JSON merge patch of only what differs from `obj.status` (keys that disappear
 * are sent as `null`), with no resourceVersion precondition. A full PUT with the cached
 * resourceVersion fails with 409 whenever the cache has not yet seen this controller's own
 * previous write — routine when children report in quick succession — and each 409 costs a
 * round trip and a requeue for nothing.
 *
 * Why no precondition is safe here: the controller owns `.status` (nobody else writes it), and
 * the status is recomputed from the cache on every reconcile — not read-modified-written. If
 * the cache was stale, the patch still sets exactly the fields that differ from what was seen;
 * the object's own update event (controllers are queued on their object's changes) reconciles
 * again once the cache catches up, and a status that is still wrong is patched again. Last
 * writer wins, and the last writer is the reconcile with the freshest cache.
 *
 * When it is NOT safe — use `updateStatus` with the resourceVersion instead: when another actor
 * writes some of the same status fields (their value would be overwritten or, for keys this
 * status lacks, deleted with `null`); when the new status is derived from the old one (counters,
 * appended history) so a stale base loses an increment; when the controller filters its own
 * object's status-only updates out of its queue (nothing would correct a patch computed from a
 * stale read); or when a status written to an object deleted and re-created under the same name
 * in the meantime would do harm (the patch lands on the new object until its own reconcile
 * corrects it). Lists (conditions) are replaced whole, as merge patch does for every array.
 *
 * Until the cache shows our own write, a reconcile that runs again (a child reported meanwhile)
 * would see the old status and write the same new one again. So the status last written for
 * each object is remembered, with the resourceVersions at which the cache is still behind it:
 * the one it was computed from, and those of our own earlier writes in a quick succession. While
 * the cache shows one of those, the remembered status — not the cache's — is what the server has,
 * and the diff is taken against it. The version of our last write arriving, or any version we
 * did not write (someone else's), makes the memory obsolete and it is dropped.
 *
 * `obj` is the object as read (usually frozen from the cache); it is not modified.
 */
export async function updateStatusIfChanged<T extends KubeObject & { status?: unknown }>(
  ctx: HelperContext,
  kind: KindRef<T>,
  obj: T,
  status: NonNullable<T['status']>,
): Promise<boolean> {
  const memory = writtenBy(ctx.client);
  const { namespace, name, uid, resourceVersion } = obj.metadata;
  const key = memoryKey(kind, obj);
  const known = knownStatus(memory, key, obj);
  if (jsonEqual(known, status)) return false;
  const patch = { status: mergePatchFrom(known, status) };
  const previous = memory.get(key);
  memory.delete(key);
  const written = await ctx.client.resource(kind).patchStatus(namespace, name!, patch, 'merge');
  // The cache is behind our write while it shows the version we computed from, or one of our
  // own earlier writes that it has not got past yet (two writes before it saw the first).
  const behind = new Set<string>(previous?.behind);
  if (previous?.writtenResourceVersion !== undefined) behind.add(previous.writtenResourceVersion);
  if (resourceVersion !== undefined) behind.add(resourceVersion);
  const writtenResourceVersion = written?.metadata?.resourceVersion;
  if (writtenResourceVersion !== undefined) behind.delete(writtenResourceVersion);
  memory.set(key, { uid, behind, writtenResourceVersion, status: cloneJson(status) });
  if (memory.size > MAX_REMEMBERED) memory.delete(memory.keys().next().value!);
  return true;
}

/**
 * `obj` with the status this process last wrote for it, while the cache has not yet shown that
 * write (otherwise `obj` itself). Compute the new status from this, not from the cached object:
 * conditions then keep the lastTransitionTime already written, and a recomputation a second
 * later is not a different status (and not another write).
 */
export function withLatestStatus<T extends KubeObject & { status?: unknown }>(
  ctx: HelperContext,
  kind: KindRef<T>,
  obj: T,
): T {
  const memory = writtenBy(ctx.client);
  const known = knownStatus(memory, memoryKey(kind, obj), obj);
  return known === obj.status ? obj : { ...obj, status: known };
}

function memoryKey(kind: KindRef, obj: KubeObject): string {
  return `${kind.apiVersion}/${kind.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** The remembered write if it is still ahead of the cache; drops it once the cache moved on. */
function knownStatus(memory: Map<string, Written>, key: string, obj: KubeObject & { status?: unknown }): unknown {
  const last = memory.get(key);
  if (!last) return obj.status;
  const rv = obj.metadata.resourceVersion;
  if (last.uid === obj.metadata.uid && rv !== undefined && last.behind.has(rv)) return last.status;
  memory.delete(key);
  return obj.status;
}

interface Written {
  uid: string | undefined;
  /** Versions at which the cache has not yet seen `status` (resourceVersions are opaque: only compared for equality). */
  behind: Set<string>;
  writtenResourceVersion: string | undefined;
  status: unknown;
}

/** Writes not yet seen by the cache, per client (one per manager). Forgetting one costs one redundant write. */
const MAX_REMEMBERED = 10_000;
const written = new WeakMap<object, Map<string, Written>>();

function writtenBy(client: object): Map<string, Written> {
  let m = written.get(client);
  if (!m) written.set(client, (m = new Map<string, Written>()));
  return m;
}

/**
 * The RFC 7386 JSON merge patch that turns `from` into `to`: members of `to` that differ (objects
 * recursively, everything else — arrays included — whole), and `null` for members `from` has and
 * `to` lacks. `undefined` members count as absent. A `null` inside `to` cannot be expressed by a
 * merge patch (it means "delete"), so it is sent as a deletion, which is what a JSON round trip
 * of most statuses means anyway. When `to` is not an object, the patch is `to` itself.
 */
export function mergePatchFrom(from: unknown, to: unknown): unknown {
  if (!isPlainObject(to)) return to;
  const base = isPlainObject(from) ? from : {};
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined) continue;
    const old = base[k];
    if (jsonEqual(old, v)) continue;
    patch[k] = isPlainObject(v) && isPlainObject(old) ? mergePatchFrom(old, v) : v;
  }
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && (!Object.hasOwn(to, k) || to[k] === undefined)) patch[k] = null;
  }
  return patch;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
