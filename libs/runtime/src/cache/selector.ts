export class InvalidSelectorError extends Error {
  readonly code = 'InvalidSelector';
  constructor(selector: string, why: string) {
    super(`invalid label selector "${selector}": ${why}`);
    this.name = 'InvalidSelectorError';
  }
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists' | '=' | '!=';
  values: string[];
}

/**
 * Parses a label selector in the API server's string syntax (`a=b,c!=d,e in (x,y),!f,g`) into a
 * matcher, so cache reads filter exactly as a live list with `labelSelector` would.
 */
export function parseLabelSelector(selector: string): LabelMatcher {
  const reqs = splitRequirements(selector).map((part) => parseRequirement(part, selector));
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

/** Matchers from the structured form used in specs (`matchLabels` / `matchExpressions`). */
export function labelSelectorMatcher(sel: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): LabelMatcher {
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=', values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' } as const)[e.operator as 'In'];
    if (!op) throw new InvalidSelectorError(JSON.stringify(sel), `unknown operator ${e.operator}`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const SET_RE = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const EQ_RE = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*([-A-Za-z0-9_.]*)$`);
const EXISTS_RE = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

function parseRequirement(part: string, selector: string): Requirement {
  let m = SET_RE.exec(part);
  if (m) {
    const values = m[4]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { key: m[1]!, op: m[3] as 'in' | 'notin', values };
  }
  m = EQ_RE.exec(part);
  if (m) return { key: m[1]!, op: m[3] === '!=' ? '!=' : '=', values: [m[4]!] };
  m = EXISTS_RE.exec(part);
  if (m) return { key: m[2]!, op: m[1] ? '!exists' : 'exists', values: [] };
  throw new InvalidSelectorError(selector, `cannot parse "${part}"`);
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case '=':
      return has && value === r.values[0];
    case '!=':
      return !has || value !== r.values[0];
    case 'in':
      return has && r.values.includes(value!);
    case 'notin':
      return !has || !r.values.includes(value!);
  }
}
