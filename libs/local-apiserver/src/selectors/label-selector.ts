import { badRequest } from '../errors.ts';
import { labelKeyErrors, labelValueErrors } from '../validation/names.ts';

export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

type Token = { kind: 'id' | 'op' | 'end'; text: string };

const OPERATORS = ['!=', '==', '=', '!', '>', '<', '(', ')', ','];

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < input.length && !' \t\n\r'.includes(input[j]) && !OPERATORS.some((o) => input.startsWith(o, j))) j++;
    out.push({ kind: 'id', text: input.slice(i, j) });
    i = j;
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

function fail(msg: string): never {
  throw badRequest(`unable to parse requirement: ${msg}`);
}

function validateKey(key: string): void {
  const errs = labelKeyErrors(key);
  if (errs.length) fail(`key: Invalid value: ${JSON.stringify(key)}: ${errs.join('; ')}`);
}

function validateValue(i: number, key: string, v: string): void {
  const errs = labelValueErrors(v);
  if (errs.length) fail(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`);
}

/**
 * Parses a label selector string (LS-1, LS-2). Errors are 400 BadRequest StatusErrors, as the
 * real server turns selector parse errors into NewBadRequest.
 */
export function parseLabelSelector(input: string | undefined | null): LabelSelector {
  if (!input || !input.trim()) return [];
  const toks = tokenize(input);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const reqs: LabelRequirement[] = [];
  for (;;) {
    let t = next();
    if (t.kind === 'op' && t.text === '!') {
      const k = next();
      if (k.kind !== 'id') throw badRequest(`found '${k.text}', expected: identifier after '!'`);
      validateKey(k.text);
      reqs.push({ key: k.text, op: '!', values: [] });
    } else if (t.kind === 'id') {
      const key = t.text;
      validateKey(key);
      const o = peek();
      if (o.kind === 'end' || (o.kind === 'op' && o.text === ',')) {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (o.kind === 'id' && (o.text === 'in' || o.text === 'notin')) {
        next();
        const lp = next();
        if (lp.text !== '(') throw badRequest(`found '${lp.text}', expected: '('`);
        const values: string[] = [];
        for (;;) {
          const v = next();
          if (v.kind === 'op' && v.text === ')') break;
          if (v.kind === 'op' && v.text === ',') {
            // empty value between commas
            values.push('');
            continue;
          }
          if (v.kind !== 'id') throw badRequest(`found '${v.text}', expected: ',', ')' or identifier`);
          values.push(v.text);
          const sep = next();
          if (sep.text === ')') break;
          if (sep.text !== ',') throw badRequest(`found '${sep.text}', expected: ',' or ')'`);
        }
        if (values.length === 0) fail(`for 'in', 'notin' operators, values set can't be empty`);
        values.forEach((v, i) => validateValue(i, key, v));
        reqs.push({ key, op: o.text as 'in' | 'notin', values });
      } else if (o.kind === 'op' && ['=', '==', '!=', '>', '<'].includes(o.text)) {
        next();
        const v = peek();
        let value = '';
        if (v.kind === 'id') {
          value = v.text;
          next();
        } else if (!(v.kind === 'end' || v.text === ',')) {
          throw badRequest(`found '${v.text}', expected: identifier`);
        }
        if (o.text === '>' || o.text === '<') {
          if (!/^-?\d+$/.test(value)) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
          reqs.push({ key, op: o.text === '>' ? 'gt' : 'lt', values: [value] });
        } else {
          validateValue(0, key, value);
          reqs.push({ key, op: o.text === '!=' ? 'notin' : 'in', values: [value] });
        }
      } else {
        throw badRequest(`found '${o.text}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    } else {
      throw badRequest(`found '${t.text}', expected: !, identifier, or 'end of string'`);
    }
    t = next();
    if (t.kind === 'end') break;
    if (!(t.kind === 'op' && t.text === ',')) throw badRequest(`found '${t.text}', expected: ',' or 'end of string'`);
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const a = BigInt(v);
        const b = BigInt(r.values[0]);
        if (r.op === 'gt' ? !(a > b) : !(a < b)) return false;
        break;
      }
    }
  }
  return true;
}

/** metav1.LabelSelector (matchLabels + matchExpressions) as used in Deployments and webhooks. */
export function matchesLabelSelectorObject(
  sel:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      }
    | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!sel) return true;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: 'in', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!';
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return matchesLabels(reqs, labels);
}

export function labelSelectorObjectToString(
  sel:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      }
    | undefined,
): string {
  if (!sel) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
