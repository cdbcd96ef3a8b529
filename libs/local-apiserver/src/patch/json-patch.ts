import { clone } from '../store/object-store.ts';

/**
 * Why an RFC 6902 patch could not be applied. kube-apiserver answers every such failure with the
 * same 422 and no causes (PATCH-4), so the message is for logs and tests only.
 */
export class JsonPatchError extends Error {
  readonly code = 'JsonPatchError';
}

/**
 * One operation as kube-apiserver decodes it (map-shaped: the keys are matched exactly, a missing
 * `op` is the kind "unknown", a missing `value` is null).
 */
export type JsonPatchOperation = Record<string, unknown>;

type Json = unknown;

/**
 * A webhook's patch as json-patch's DecodePatch reads it (kube-apiserver's mutating dispatcher):
 * a list of objects, `null` entries being operations of the kind "unknown".
 */
export function webhookPatchOperations(value: unknown): JsonPatchOperation[] {
  const type = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v);
  if (value === null) return [];
  if (!Array.isArray(value))
    throw new JsonPatchError(`json: cannot unmarshal ${type(value)} into Go value of type jsonpatch.Patch`);
  return value.map((op: unknown) => {
    if (op === null) return {};
    if (typeof op !== 'object' || Array.isArray(op))
      throw new JsonPatchError(`json: cannot unmarshal ${type(op)} into Go value of type jsonpatch.Operation`);
    return op as JsonPatchOperation;
  });
}
type Container = Json[] | Record<string, Json>;

function isObj(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 6901 unescaping in one pass (`~01` is `~1`). */
function decodeKey(s: string): string {
  return s.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** Go's strconv.Atoi: an optional sign, decimal digits (leading zeros allowed), within int64. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new JsonPatchError(`strconv.Atoi: parsing "${key}": invalid syntax`);
  const n = Number(key);
  if (!Number.isSafeInteger(n)) throw new JsonPatchError(`strconv.Atoi: parsing "${key}": value out of range`);
  return n;
}

/** Negative indices count from the end (json-patch's SupportNegativeIndices, on in kube-apiserver). */
function resolveIndex(idx: number, len: number): number {
  if (idx < 0) {
    if (idx < -len) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
    return idx + len;
  }
  return idx;
}

/** A member, or undefined where json-patch's container has no node (missing, or JSON null). */
function getIn(con: Container, key: string): Json {
  if (!Array.isArray(con)) return Object.hasOwn(con, key) ? con[key] : undefined;
  const idx = resolveIndex(atoi(key), con.length);
  if (idx >= con.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  return con[idx];
}

function setIn(con: Container, key: string, value: Json): void {
  if (!Array.isArray(con)) {
    con[key] = value;
    return;
  }
  con[resolveIndex(atoi(key), con.length)] = value;
}

function addIn(con: Container, key: string, value: Json): void {
  if (!Array.isArray(con)) {
    con[key] = value;
    return;
  }
  if (key === '-') {
    con.push(value);
    return;
  }
  const size = con.length + 1;
  let idx = atoi(key);
  if (idx >= size) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -size) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
    idx += size;
  }
  con.splice(idx, 0, value);
}

function removeIn(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!Object.hasOwn(con, key)) throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete con[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= con.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  idx = resolveIndex(idx, con.length);
  con.splice(idx, 1);
}

/**
 * json-patch v4's findObject: the container that holds the pointer's last segment. The pointer's
 * first segment is skipped unread (so `data/a` addresses the root's `a`, as on kube-apiserver);
 * the root itself (`""`) has no container.
 */
function findObject(doc: Json, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Json = doc;
  for (const part of split.slice(1, -1)) {
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    let next: Json;
    try {
      next = getIn(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null) return undefined;
    cur = next;
  }
  if (!isObj(cur) && !Array.isArray(cur)) return undefined;
  return { con: cur, key: decodeKey(split[split.length - 1]!) };
}

function stringField(op: JsonPatchOperation, field: 'path' | 'from'): string {
  const v = op[field];
  if (typeof v !== 'string') throw new JsonPatchError(`operation missing ${field} field`);
  return v;
}

function valueOf(op: JsonPatchOperation): Json {
  return op['value'] === undefined ? null : clone(op['value']);
}

/** json-patch's equality: objects and arrays member by member, scalars as their JSON text. */
function jsonEqual(a: Json, b: Json): boolean {
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ak = Object.keys(a);
    return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
}

function located(doc: Json, path: string, what: string): { con: Container; key: string } {
  const at = findObject(doc, path);
  if (!at) throw new JsonPatchError(`${what} operation does not apply: doc is missing path: "${path}"`);
  return at;
}

/**
 * Applies a decoded patch (see decodeJsonPatchBody) to a copy of doc with the semantics of the
 * json-patch v4 library kube-apiserver uses (checked against kube-apiserver v1.36.2: conformance
 * cases `patch/json-patch` and `patch/json-patch-edges`), which differ from RFC 6902 where a
 * client can notice: `replace` of a missing object member adds it; `copy` from a missing member
 * and `add` without a value write null; `test` of a missing member against null passes; negative
 * array indices count from the end; the root can be replaced and tested but not added or removed.
 */
export function applyJsonPatch(docIn: unknown, ops: readonly JsonPatchOperation[]): unknown {
  let doc = clone(docIn);
  for (const op of ops) {
    const kind = typeof op['op'] === 'string' ? op['op'] : 'unknown';
    switch (kind) {
      case 'add': {
        const { con, key } = located(doc, stringField(op, 'path'), 'add');
        addIn(con, key, valueOf(op));
        break;
      }
      case 'remove': {
        const { con, key } = located(doc, stringField(op, 'path'), 'remove');
        removeIn(con, key);
        break;
      }
      case 'replace': {
        const path = stringField(op, 'path');
        if (path === '') {
          const v = valueOf(op);
          if (!isObj(v) && !Array.isArray(v))
            throw new JsonPatchError('replace operation value must be object or array');
          doc = v;
          break;
        }
        const { con, key } = located(doc, path, 'replace');
        getIn(con, key);
        setIn(con, key, valueOf(op));
        break;
      }
      case 'move': {
        const from = located(doc, stringField(op, 'from'), 'move');
        const v = getIn(from.con, from.key);
        removeIn(from.con, from.key);
        const to = located(doc, stringField(op, 'path'), 'move');
        addIn(to.con, to.key, v ?? null);
        break;
      }
      case 'copy': {
        const from = located(doc, stringField(op, 'from'), 'copy');
        const v = getIn(from.con, from.key);
        const to = located(doc, stringField(op, 'path'), 'copy');
        addIn(to.con, to.key, v === undefined ? null : clone(v));
        break;
      }
      case 'test': {
        const path = stringField(op, 'path');
        const expected = op['value'] === undefined ? undefined : op['value'];
        let actual: Json;
        if (path === '') actual = doc;
        else {
          const { con, key } = located(doc, path, 'test');
          actual = getIn(con, key);
        }
        const ok =
          actual === undefined || actual === null
            ? expected === null
            : expected !== undefined && jsonEqual(actual, expected);
        if (!ok) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${kind}`);
    }
  }
  return doc;
}
