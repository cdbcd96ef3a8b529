/**
 * CRD patterns are Go RE2 regular expressions, matched unanchored. Most RE2 syntax is valid
 * JavaScript; the differences operators actually use are translated here: a leading `(?i)`
 * flag group, `\A`/`\z`, and POSIX classes such as `[[:alpha:]]`. A pattern that still does not
 * compile is reported at CRD creation (CRD-9) and skipped at CR validation.
 */
const posix: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp | undefined>();

export function translatePattern(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1]!) if (f === 'i' || f === 's' || f === 'm') flags += f;
  }
  source = source
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => (posix[name] && !neg ? posix[name]! : m));
  return { source, flags };
}

/** The compiled pattern, or undefined when it is not a valid regular expression. */
export function compilePattern(pattern: string): RegExp | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  let re: RegExp | undefined;
  try {
    const { source, flags } = translatePattern(pattern);
    re = new RegExp(source, flags);
  } catch {
    re = undefined;
  }
  cache.set(pattern, re);
  return re;
}

/** The compile error text for an invalid pattern, or undefined when it compiles. */
export function patternError(pattern: string): string | undefined {
  try {
    const { source, flags } = translatePattern(pattern);
    new RegExp(source, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
