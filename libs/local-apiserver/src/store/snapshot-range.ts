import type { KubeObject } from '../types.ts';
import { objectKey, upperBound, type KeyRange, type ObjectStore } from './object-store.ts';

/**
 * The objects of a storage key (one namespace or all) as they were at revision `atRv`, in key
 * order and after `after`: the current ones with the logged changes since `atRv` undone. This is
 * etcd's read at a revision, for exact and continued lists (a page never shows what was written
 * after the first one). Throws HistoryExpiredError when `atRv` is older than the log.
 */
export function snapshotRange(
  store: ObjectStore,
  storageKey: string,
  namespace: string | undefined,
  after: string | undefined,
  atRv: number,
): KeyRange {
  if (atRv >= store.currentRv) return store.keyRange(storageKey, namespace, after);
  const events = store.eventsSince(atRv);
  const now = store.keyRange(storageKey, namespace);
  const objects = new Map<string, KubeObject>();
  for (let i = now.start; i < now.end; i++) objects.set(now.keys[i]!, now.objects.get(now.keys[i]!)!);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.storageKey !== storageKey) continue;
    const ns = e.object.metadata?.namespace ?? '';
    if (namespace && ns !== namespace) continue;
    const key = objectKey(ns, e.object.metadata!.name!);
    if (e.type === 'ADDED') objects.delete(key);
    else objects.set(key, e.oldObject!);
  }
  const keys = [...objects.keys()].sort();
  const start = after ? upperBound(keys, after) : 0;
  return { keys, start, end: Math.max(start, keys.length), objects };
}
