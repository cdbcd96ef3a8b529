import type { KubeObject } from '@kubeloop/runtime';

export type { KubeObject, ObjectMeta, OwnerReference } from '@kubeloop/runtime';

/** `namespace/name` (or `name` for cluster-scoped objects), for messages and logs. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}

/**
 * Deep structural copy of plain JSON. Objects from the cache are frozen; mutate functions work
 * on a copy so a reconciler can never corrupt what every other controller reads.
 */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Semantic equality of two JSON values: key order does not matter, `undefined` members count as
 * absent (JSON.stringify drops them, so the server never sees them).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}
