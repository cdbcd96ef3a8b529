/**
 * A JSON parser that answers like Go's encoding/json where JSON.parse cannot: syntax errors in
 * Go's words (`unexpected end of JSON input`, `invalid character 'x' after object key`), and the
 * paths of duplicate keys (sigs.k8s.io/json's strict decoding reports `duplicate field "data"`;
 * JSON.parse silently keeps the last value, as Go's decoding does).
 */

export class JsonSyntaxError extends Error {
  readonly code = 'JsonSyntaxError';
}

/** Go's quoteChar: `'x'`, `'\''`, `'"'`, or the escaped form of a control character. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) {
    const esc: Record<string, string> = {
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
      '\b': '\\b',
      '\f': '\\f',
      '\v': '\\v',
      '\u0007': '\\a',
    };
    return `'${esc[c] ?? `\\x${code.toString(16).padStart(2, '0')}`}'`;
  }
  // strconv.Quote spells other unprintable runes (C1 controls, soft hyphen) as \u escapes.
  if ((code >= 0x80 && code <= 0x9f) || code === 0xad) return `'\\u${code.toString(16).padStart(4, '0')}'`;
  return `'${c}'`;
}

// eslint-disable-next-line no-control-regex -- control characters are what JSON strings must escape
const SPECIAL = /["\\\u0000-\u001f]/g;

export interface ParsedJson {
  value: unknown;
  /** Paths of keys that appeared twice in one object (`data`, `spec.template.spec.containers[0].name`). */
  duplicates: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A repeated object key decoded into the same Go map or struct: the later keys join the earlier. */
function mergeInto(earlier: Record<string, unknown>, later: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(later)) {
    const prev = earlier[k];
    const merged = isPlainObject(prev) && isPlainObject(v) ? mergeInto(prev, v) : v;
    Object.defineProperty(earlier, k, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return earlier;
}

export interface ParseOptions {
  /**
   * Decode a repeated key whose values are both objects as Go decodes it into a typed struct: into
   * the map or struct the first one filled, so their keys merge (kube-apiserver v1.36.2 stores
   * `"data":{"a":"1"},"data":{"b":"2"}` as both keys: conformance case
   * `request-options/field-validation-builtin`). Unstructured (custom resource) decoding replaces.
   */
  mergeRepeatedObjects?: boolean;
}

/**
 * Every string token of a valid JSON text, with the `:` that makes it an object key. In valid
 * JSON a `"` outside a string always opens one, so a left-to-right scan meets exactly the tokens.
 */
const STRING_TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?/g;

function keysInText(text: string): number {
  let n = 0;
  STRING_TOKEN.lastIndex = 0;
  for (let m = STRING_TOKEN.exec(text); m; m = STRING_TOKEN.exec(text)) if (m[1] !== undefined) n++;
  return n;
}

/** Own keys of every object in a parsed value (iterative: JSON.parse accepts any depth). */
function keysInValue(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    for (const k in v) {
      n++;
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return n;
}

/**
 * Request bodies are parsed on every write. V8's JSON.parse accepts exactly the texts this parser
 * accepts and builds the same value when no object repeats a key, which is when the keys it kept
 * are as many as the keys the text names; only a syntax error or a repeated key (rare: what needs
 * Go's words or the duplicates' paths) takes the parser below.
 */
export function parseJsonText(text: string, options: ParseOptions = {}): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseJsonTextSlowly(text, options);
  }
  if (value !== null && typeof value === 'object' && keysInValue(value) !== keysInText(text))
    return parseJsonTextSlowly(text, options);
  return { value, duplicates: [] };
}

function parseJsonTextSlowly(text: string, options: ParseOptions): ParsedJson {
  let i = 0;
  const duplicates: string[] = [];
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const eof = () => new JsonSyntaxError('unexpected end of JSON input');
  const bad = (context: string) => new JsonSyntaxError(`invalid character ${quoteChar(text[i]!)} ${context}`);
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

  function parseString(): string {
    // text[i] === '"'
    let j = i + 1;
    let out = '';
    for (;;) {
      if (j >= text.length) {
        i = j;
        throw eof();
      }
      // Copy the run of plain characters up to the next quote, escape or control character at once.
      SPECIAL.lastIndex = j;
      const stop = SPECIAL.exec(text);
      const end = stop ? stop.index : text.length;
      out += text.slice(j, end);
      j = end;
      if (j >= text.length) continue;
      const c = text[j]!;
      if (c === '"') break;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === undefined) {
          i = j + 1;
          throw eof();
        }
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (n in simple) {
          out += simple[n];
          j += 2;
          continue;
        }
        if (n === 'u') {
          const hex = text.slice(j + 2, j + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            i =
              j +
              2 +
              Math.max(
                0,
                [...hex].findIndex((h) => !/[0-9a-fA-F]/.test(h)),
              );
            if (i >= text.length) throw eof();
            throw bad('in \\u hexadecimal character escape');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          j += 6;
          continue;
        }
        i = j + 1;
        throw bad('in string escape code');
      }
      if (c.charCodeAt(0) < 0x20) {
        i = j;
        throw bad('in string literal');
      }
      out += c;
      j++;
    }
    i = j + 1;
    return out;
  }

  function parseLiteral(word: string, value: unknown): unknown {
    for (let k = 0; k < word.length; k++) {
      if (i + k >= text.length) {
        i += k;
        throw eof();
      }
      if (text[i + k] !== word[k]) {
        i += k;
        throw bad(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
      }
    }
    i += word.length;
    return value;
  }

  function parseNumber(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-') {
      i += m ? 1 : 0;
      if (i >= text.length) throw eof();
      throw bad('in numeric literal');
    }
    i += m[0].length;
    return Number(m[0]);
  }

  function parseValue(path: string): unknown {
    ws();
    if (i >= text.length) throw eof();
    const c = text[i]!;
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (i >= text.length) throw eof();
        if (text[i] !== '"') throw bad('looking for beginning of object key string');
        const key = parseString();
        ws();
        if (i >= text.length) throw eof();
        if (text[i] !== ':') throw bad('after object key');
        i++;
        const v = parseValue(join(path, key));
        if (seen.has(key)) duplicates.push(join(path, key));
        const prev = seen.has(key) ? out[key] : undefined;
        seen.add(key);
        const value = options.mergeRepeatedObjects && isPlainObject(prev) && isPlainObject(v) ? mergeInto(prev, v) : v;
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        ws();
        if (i >= text.length) throw eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        throw bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(parseValue(`${path}[${out.length}]`));
        ws();
        if (i >= text.length) throw eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        throw bad('after array element');
      }
    }
    if (c === '"') return parseString();
    if (c === 't') return parseLiteral('true', true);
    if (c === 'f') return parseLiteral('false', false);
    if (c === 'n') return parseLiteral('null', null);
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    throw bad('looking for beginning of value');
  }

  const value = parseValue('');
  ws();
  if (i < text.length) throw bad('after top-level value');
  return { value, duplicates };
}
