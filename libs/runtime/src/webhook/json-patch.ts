/**
 * RFC 6902 JSON Patch between two JSON values — what a mutating webhook answers. The API
 * server applies it to the object it sent, so the diff must be exact against that object:
 * compute it from the untouched request object to the mutated copy.
 */
export type JsonPatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

/** RFC 6901: `~` → `~0`, `/` → `~1` (so annotation keys like `a.io/b` survive). */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

export function createPatch(from: unknown, to: unknown): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  diff(from, to, '', ops);
  return ops;
}

function diff(a: unknown, b: unknown, path: string, ops: JsonPatchOp[]): void {
  if (equal(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (a[k] === undefined) continue;
      if (!(k in b) || b[k] === undefined) ops.push({ op: 'remove', path: `${path}/${escapePointer(k)}` });
    }
    for (const k of Object.keys(b)) {
      if (b[k] === undefined) continue;
      const p = `${path}/${escapePointer(k)}`;
      if (!(k in a) || a[k] === undefined) ops.push({ op: 'add', path: p, value: b[k] });
      else diff(a[k], b[k], p, ops);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    // Element-wise when the arrays mostly line up (defaulting a field in each container);
    // otherwise one replace is smaller and cannot be misapplied.
    let changed = 0;
    for (let i = 0; i < common; i++) if (!equal(a[i], b[i])) changed++;
    if (common > 0 && changed === common && a.length !== b.length) {
      ops.push({ op: 'replace', path, value: b });
      return;
    }
    for (let i = 0; i < common; i++) diff(a[i], b[i], `${path}/${i}`, ops);
    for (let i = common; i < b.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: b[i] });
    // Remove from the end so earlier indexes stay valid while the patch applies.
    for (let i = a.length - 1; i >= common; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
    return;
  }
  ops.push({ op: 'replace', path, value: b });
}

/** Applies a patch produced by createPatch (add/remove/replace only), for tests and checks. */
export function applyPatch<T>(doc: T, ops: JsonPatchOp[]): T {
  let root: unknown = structuredClone(doc);
  for (const op of ops) {
    if (op.path === '') {
      root = op.op === 'remove' ? undefined : structuredClone(op.value);
      continue;
    }
    const tokens = op.path
      .slice(1)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop()!;
    let parent = root as Record<string, unknown> | unknown[];
    for (const t of tokens) parent = (parent as Record<string, unknown>)[t] as Record<string, unknown>;
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === 'remove') parent.splice(i, 1);
      else parent[i] = structuredClone(op.value);
    } else if (op.op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = structuredClone(op.value);
    }
  }
  return root as T;
}
