import { clone } from '../store/object-store.ts';

/** Why an RFC 6902 patch could not be applied; the server maps this to 422 (PATCH-4). */
export class JsonPatchError extends Error {
  readonly code = 'JsonPatchError';
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer: "${p}"`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  return (
    ak.length === bk.length &&
    ak.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function arrayIndex(arr: unknown[], seg: string, forAdd: boolean): number {
  if (forAdd && seg === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw new JsonPatchError(`invalid array index: ${seg}`);
  const i = Number(seg);
  if (forAdd ? i > arr.length : i >= arr.length) throw new JsonPatchError(`array index out of bounds: ${i}`);
  return i;
}

function get(doc: unknown, path: string[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, seg, false)];
    else if (isObj(cur)) {
      if (!(seg in cur)) throw new JsonPatchError(`doc is missing path: "/${path.join('/')}"`);
      cur = cur[seg];
    } else throw new JsonPatchError(`doc is missing path: "/${path.join('/')}"`);
  }
  return cur;
}

function parentOf(doc: unknown, path: string[]): unknown {
  return get(doc, path.slice(0, -1));
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else if (isObj(parent)) parent[last] = value;
  else throw new JsonPatchError(`doc is missing path: "/${path.join('/')}"`);
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  if (path.length === 0) return null;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (isObj(parent)) {
    if (!(last in parent)) throw new JsonPatchError(`Unable to remove nonexistent key: ${last}: missing value`);
    delete parent[last];
  } else throw new JsonPatchError(`doc is missing path: "/${path.join('/')}"`);
  return doc;
}

/** Applies an RFC 6902 patch to a copy of doc. */
export function applyJsonPatch(docIn: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(docIn);
  for (const raw of ops as JsonPatchOperation[]) {
    if (!isObj(raw) || typeof raw.op !== 'string') throw new JsonPatchError('missing operation');
    if (typeof raw.path !== 'string') throw new JsonPatchError(`missing path in "${raw.op}" operation`);
    const path = parsePointer(raw.path);
    switch (raw.op) {
      case 'add':
        if (!('value' in raw)) throw new JsonPatchError('missing value');
        doc = add(doc, path, clone(raw.value));
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace': {
        if (!('value' in raw)) throw new JsonPatchError('missing value');
        get(doc, path);
        if (path.length === 0) doc = clone(raw.value);
        else {
          const parent = parentOf(doc, path);
          const last = path[path.length - 1];
          if (Array.isArray(parent)) parent[arrayIndex(parent, last, false)] = clone(raw.value);
          else (parent as Record<string, unknown>)[last] = clone(raw.value);
        }
        break;
      }
      case 'move': {
        if (typeof raw.from !== 'string') throw new JsonPatchError('missing from');
        const from = parsePointer(raw.from);
        const v = get(doc, from);
        doc = remove(doc, from);
        doc = add(doc, path, v);
        break;
      }
      case 'copy': {
        if (typeof raw.from !== 'string') throw new JsonPatchError('missing from');
        doc = add(doc, path, clone(get(doc, parsePointer(raw.from))));
        break;
      }
      case 'test': {
        let actual: unknown;
        try {
          actual = get(doc, path);
        } catch {
          throw new JsonPatchError(`testing value /${path.join('/')} failed: test failed`);
        }
        if (!deepEqual(actual, raw.value))
          throw new JsonPatchError(`testing value /${path.join('/')} failed: test failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}
