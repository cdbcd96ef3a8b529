import type { KubeObject } from '../kinds/kind.ts';

export type Transform<T> = (obj: T) => T;

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The default transform: drops `managedFields` and kubectl's last-applied annotation, which are
 * often larger than the rest of the object and which no reconciler should read from a cache.
 * Objects arrive fresh from JSON.parse and are not shared yet, so this edits in place.
 */
export function stripBulkyFields<T extends KubeObject>(obj: T): T {
  const meta = obj.metadata;
  if (!meta) return obj;
  delete meta.managedFields;
  if (meta.annotations && LAST_APPLIED_ANNOTATION in meta.annotations) {
    delete meta.annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  return obj;
}

/**
 * Freezes an object graph so a reconciler that mutates what it read gets a TypeError (strict
 * mode) instead of silently corrupting the cache for every other reader. Done once at ingest,
 * so reads cost nothing.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

/**
 * Plain JSON, whatever came in: class instances and Date objects (as client-node's typed
 * APIs produce) become what JSON.parse would have produced. Values already plain pass through.
 */
export function toPlainJson<T>(value: T): T {
  return isPlain(value) ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function isPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value !== 'function' && typeof value !== 'bigint' && value !== undefined;
  if (Array.isArray(value)) return value.every(isPlain);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(isPlain);
}
