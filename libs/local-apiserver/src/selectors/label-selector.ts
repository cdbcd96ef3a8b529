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

/** A requirement's own errors (key, values) as NewRequirement aggregates them. */
function requirementErrors(key: string, op: LabelOperator, values: string[]): string[] {
  const errs: string[] = [];
  values.forEach((v, i) => {
    if (op === 'gt' || op === 'lt') {
      if (!/^[+-]?\d+$/.test(v))
        errs.push(
          `values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      return;
    }
    const msgs = labelValueErrors(v);
    if (msgs.length) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join('; ')}`);
  });
  return errs;
}

type TokenKind = 'id' | '!' | '!=' | '(' | ')' | ',' | '=' | '==' | '>' | '<' | 'in' | 'notin' | 'end';

/**
 * Parses a label selector string (LS-1, LS-2) as apimachinery's labels.Parse does, with its
 * messages: errors inside a requirement are prefixed `unable to parse requirement: `, an empty
 * set `()` is the set of the empty value (`env in ()` selects nothing, `env notin ()` all). Errors
 * are 400 BadRequest StatusErrors, as the real server turns selector parse errors into NewBadRequest.
 */
export function parseLabelSelector(input: string | undefined | null): LabelSelector {
  if (!input || !input.trim()) return [];
  const toks = tokenize(input);
  let p = 0;
  // In the operator position `in`/`notin` are keywords; everywhere else they are identifiers.
  const kindOf = (t: Token, keyAndOperator: boolean): TokenKind =>
    t.kind === 'end'
      ? 'end'
      : t.kind === 'op'
        ? (t.text as TokenKind)
        : keyAndOperator && (t.text === 'in' || t.text === 'notin')
          ? (t.text as TokenKind)
          : 'id';
  const lookahead = (ko = false): [TokenKind, string] => [kindOf(toks[p]!, ko), toks[p]!.text];
  const consume = (ko = false): [TokenKind, string] => {
    const t = toks[p]!;
    if (t.kind !== 'end') p++;
    return [kindOf(t, ko), t.text];
  };
  class ParseError extends Error {}
  const fail = (msg: string): never => {
    throw new ParseError(msg);
  };

  const parseRequirement = (): LabelRequirement => {
    let [tok, lit] = consume();
    let op: LabelOperator | undefined;
    if (tok === '!') {
      op = '!';
      [tok, lit] = consume();
    }
    if (tok !== 'id') fail(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyErrs = labelKeyErrors(key);
    if (keyErrs.length) fail(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const [next] = lookahead();
    if (next === 'end' || next === ',') return { key, op: op ?? 'exists', values: [] };
    const [opTok, opLit] = consume(true);
    let values: string[];
    let kind: LabelOperator;
    switch (opTok) {
      case 'in':
      case 'notin': {
        kind = opTok;
        const [lp, lpLit] = consume();
        if (lp !== '(') fail(`found '${lpLit}' expected: '('`);
        const [first, firstLit] = lookahead();
        if (first === ')') {
          consume();
          values = [''];
        } else if (first === 'id' || first === ',') {
          const set = new Set<string>();
          for (;;) {
            const [t, l] = consume();
            if (t === 'id') {
              set.add(l);
              const [t2, l2] = lookahead();
              if (t2 === ',') continue;
              if (t2 === ')') break;
              fail(`found '${l2}', expected: ',' or ')'`);
            } else if (t === ',') {
              if (set.size === 0) set.add('');
              const [t2] = lookahead();
              if (t2 === ')') {
                set.add('');
                break;
              }
              if (t2 === ',') set.add('');
            } else fail(`found '${l}', expected: ',', or identifier`);
          }
          if (consume()[0] !== ')') fail(`found '${firstLit}', expected: ')'`);
          values = [...set].sort();
        } else return fail(`found '${firstLit}', expected: ',', ')' or identifier`);
        break;
      }
      case '=':
      case '==':
      case '!=':
      case '>':
      case '<': {
        kind = opTok === '!=' ? 'notin' : opTok === '>' ? 'gt' : opTok === '<' ? 'lt' : 'in';
        const [v] = lookahead();
        if (v === 'end' || v === ',') values = [''];
        else {
          const [vt, vl] = consume();
          if (vt !== 'id') fail(`found '${vl}', expected: identifier`);
          values = [vl];
        }
        break;
      }
      default:
        return fail(`found '${opLit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const errs = requirementErrors(key, kind, values);
    if (errs.length) fail(errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
    return { key, op: kind, values };
  };

  const reqs: LabelRequirement[] = [];
  for (;;) {
    const [tok, lit] = lookahead();
    if (tok === 'end') return reqs;
    if (tok !== 'id' && tok !== '!') throw badRequest(`found '${lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement());
    } catch (e) {
      if (e instanceof ParseError) throw badRequest(`unable to parse requirement: ${e.message}`);
      throw e;
    }
    const [t, l] = consume();
    if (t === 'end') return reqs;
    if (t !== ',') throw badRequest(`found '${l}', expected: ',' or 'end of string'`);
    const [t2, l2] = lookahead();
    if (t2 !== 'id' && t2 !== '!') throw badRequest(`found '${l2}', expected: identifier after ','`);
  }
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
