import type { Obj } from '../types.ts';

export type { Obj };

/** RFC 3339 with second precision (OBJ-3). */
export function nowSeconds(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function stableEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!stableEqual(a[i], bb[i])) return false;
    return true;
  }
  // Keys holding undefined count as absent. Runs on every update (the no-op check): loops, no copies.
  const ao = a as Obj;
  const bo = b as Obj;
  let defined = 0;
  for (const k of Object.keys(ao)) {
    if (ao[k] === undefined) continue;
    defined++;
    if (!stableEqual(ao[k], bo[k])) return false;
  }
  for (const k of Object.keys(bo)) if (bo[k] !== undefined) defined--;
  return defined === 0;
}

/**
 * A decoded JSON value as text in a message or a field-selector value: a string as it is, a number
 * or boolean as Go's fmt prints it, an object or array as JSON (String() would print
 * `[object Object]`), nothing for null and absent.
 */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}
