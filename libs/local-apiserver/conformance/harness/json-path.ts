/**
 * The small path language of `racy`, `unordered` and deviation `paths`:
 * `body.metadata.annotations["deployment.kubernetes.io/revision"]`, `events[*].object.status`,
 * `body.items[0].spec`. Segments are separated by dots; `["..."]` quotes a key holding dots,
 * `[N]` is an index and `[*]` every element (or every key).
 */
/** A key, an index, or `'*'` (every element or key). */
export type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[\*\]|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    m = re.exec(path);
    if (!m) throw new Error(`bad path ${JSON.stringify(path)} at ${pos}`);
    if (m[0] === '[*]') out.push('*');
    else if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
    else out.push(m[3]!);
    pos = re.lastIndex;
  }
  return out;
}

/** A JSON object or array: members by key, elements by position. */
type Container = Record<string | number, unknown>;
type Visit = (parent: Container, key: string | number) => void;

function walk(value: unknown, segs: Segment[], visit: Visit): void {
  if (value === null || typeof value !== 'object' || segs.length === 0) return;
  const node = value as Container;
  const [head, ...rest] = segs;
  const keys: (string | number)[] =
    head === '*' ? (Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)) : [head!];
  for (const k of keys) {
    if (!(k in node)) continue;
    if (rest.length === 0) visit(node, k);
    else walk(node[k], rest, visit);
  }
}

/**
 * Removes what the path names (array elements become "<ignored>", so positions stay). With
 * `prune`, a map the removal leaves empty goes too: `annotations: {revision}` minus the
 * revision compares equal to no annotations at all.
 */
export function removePath(root: unknown, path: string, prune = false): void {
  const segs = parsePath(path);
  walk(root, segs, (parent, key) => {
    if (Array.isArray(parent)) parent[key] = '<ignored>';
    else delete parent[key];
  });
  if (prune && segs.length > 1) {
    walk(root, segs.slice(0, -1), (parent, key) => {
      const v = parent[key];
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && !Array.isArray(parent))
        delete parent[key];
    });
  }
}

/** Replaces each array the path names with its elements sorted by their JSON. */
export function sortPath(root: unknown, path: string): void {
  walk(root, parsePath(path), (parent, key) => {
    const v = parent[key];
    if (Array.isArray(v))
      parent[key] = [...(v as unknown[])].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  });
}

/** The values the path names (for stale-deviation checks and messages). */
export function pickPath(root: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  walk(root, parsePath(path), (parent, key) => out.push(parent[key]));
  return out;
}
