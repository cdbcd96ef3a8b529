/**
 * The "simple JSONPath" of additionalPrinterColumns (`.spec.replicas`,
 * `.metadata.labels['app.kubernetes.io/name']`, `.items[0]`, and the filter operators use:
 * `.status.conditions[?(@.type=="Ready")].status`). Evaluation returns every match in document
 * order; a printer column takes the first one (TBL-3).
 */

type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: unknown };

export class JsonPathError extends Error {
  readonly code = 'JsonPathInvalid';
}

function parseLiteral(raw: string): unknown {
  const t = raw.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  const n = Number(t);
  if (t !== '' && !Number.isNaN(n)) return n;
  throw new JsonPathError(`unrecognized literal ${t}`);
}

export function parseJsonPath(expr: string): Segment[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const out: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      i++;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      const name = s.slice(i, j);
      if (name === '*') out.push({ kind: 'wildcard' });
      else if (name !== '') out.push({ kind: 'field', name });
      i = j;
    } else if (c === '[') {
      const end = findClose(s, i);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') out.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) out.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) out.push(parseFilter(inner.slice(2, -1)));
      else throw new JsonPathError(`unsupported JSONPath segment [${inner}] in ${expr}`);
    } else {
      throw new JsonPathError(`unexpected ${c} at ${i} in ${expr}`);
    }
  }
  return out;
}

function findClose(s: string, open: number): number {
  let quote = '';
  for (let k = open + 1; k < s.length; k++) {
    const ch = s[k]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ']') return k;
  }
  throw new JsonPathError(`unclosed [ in ${s}`);
}

function parseFilter(f: string): Segment {
  const m = /^@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+)$/.exec(f.trim());
  if (m)
    return { kind: 'filter', path: m[1]!.slice(1).split('.'), op: m[2] as '==' | '!=', value: parseLiteral(m[3]!) };
  const e = /^@((?:\.[^.=!\s]+)+)$/.exec(f.trim());
  if (e) return { kind: 'filter', path: e[1]!.slice(1).split('.'), op: 'exists' };
  throw new JsonPathError(`unsupported filter ${f}`);
}

function get(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

export function evaluateJsonPath(segments: Segment[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === 'field') {
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, seg.name))
          next.push((v as Record<string, unknown>)[seg.name]);
      } else if (seg.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = seg.index < 0 ? v.length + seg.index : seg.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (seg.kind === 'wildcard') {
        if (Array.isArray(v)) next.push(...(v as unknown[]));
        else if (typeof v === 'object' && v !== null) next.push(...Object.values(v as Record<string, unknown>));
      } else {
        const items: unknown[] = Array.isArray(v) ? v : [];
        for (const item of items) {
          const val = get(item, seg.path);
          const hit =
            seg.op === 'exists'
              ? val !== undefined
              : seg.op === '=='
                ? val === seg.value
                : val !== undefined && val !== seg.value;
          if (hit) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
