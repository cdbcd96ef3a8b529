/**
 * The real server's messages are produced by Go's fmt package. Numbers in a CRD schema are
 * float64 there, and `%v` prints them in the shortest form with an exponent from 1e+06 up
 * (`fmt.Sprint(1000000.0)` is `1e+06`, `fmt.Sprint(1234567.0)` is `1.234567e+06`), which differs from JavaScript's `String()`. Values
 * decoded from a request body are int64 when they are integral, so those print in full.
 */

/** Go's `%v` of a float64 (strconv 'g' with shortest precision). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const exp = n.toExponential(); // shortest round-trip digits, e.g. "1.5e+6"
  const [mantissa, expPart] = exp.split('e') as [string, string];
  const e = Number(expPart);
  if (e < -4 || e >= 6) {
    // %e form with at least two exponent digits.
    const sign = e < 0 ? '-' : '+';
    const abs = Math.abs(e);
    return `${mantissa}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return decimal(n);
}

function decimal(n: number): string {
  const s = String(n);
  if (!s.includes('e')) return s;
  // Only reached for 1e-7 < |n| < 1e-4, which JavaScript writes with an exponent.
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/**
 * Go's `%v` of a value decoded from a request body: integers are int64 and print in full,
 * other numbers are float64.
 */
export function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFloat(n);
}

/** Go's `%q` / strconv.Quote of a string (ASCII-printable output, Go escapes). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch; // Go keeps printable Unicode as is
  }
  return out + '"';
}

/** JSON as Go's encoding/json writes it (HTML-sensitive characters escaped like Go does). */
export function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** Go's `%v` of a value decoded from JSON (map[string]interface{}, []interface{}, int64 or float64, ...). */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goSprint(o[k])}`)
    .join(' ')}]`;
}

/** Go's `%T` of a value decoded from JSON into interface{}. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
