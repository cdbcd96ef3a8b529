/** String, format and number checks of one schema node, worded as kube-openapi words them (CRD-VAL-1). */
import { checkFormat, isKnownFormat } from './formats.ts';
import { goFloat, goNumber, goQuote } from './go-format.ts';
import { compilePattern } from './pattern.ts';
import { fieldOf, inBody, invalid, plainError, type Ctx, type Node } from './validation-context.ts';

/** Length in code points, as Go's utf8.RuneCountInString. */
function runeCount(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
      const d = v.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function validateString(ctx: Ctx, s: Node, path: string, v: string): void {
  if (s.maxLength === undefined && s.minLength === undefined && s.pattern === undefined) return;
  // UTF-16 units bound the code points from above (and twice them from below): most strings
  // need no count at all.
  const length =
    (s.maxLength === undefined || v.length <= s.maxLength) &&
    (s.minLength === undefined || v.length >> 1 >= s.minLength)
      ? -1
      : runeCount(v);
  if (s.maxLength !== undefined && length > s.maxLength) {
    ctx.errors.push({
      type: 'FieldValueTooLong',
      field: fieldOf(ctx, path),
      detail: `may not be more than ${s.maxLength} ${s.maxLength === 1 ? 'byte' : 'bytes'}`,
    });
    return;
  }
  if (s.minLength !== undefined && length !== -1 && length < s.minLength) {
    invalid(ctx, path, v, `${inBody(path)} should be at least ${s.minLength} chars long`);
    return;
  }
  if (s.pattern !== undefined) {
    const re = compilePattern(s.pattern);
    if (re && !re.test(v)) invalid(ctx, path, v, `${inBody(path)} should match '${s.pattern}'`);
  }
}

export function validateFormat(ctx: Ctx, s: Node, path: string, v: string): void {
  if (!s.format || !isKnownFormat(s.format)) return;
  // kube-openapi reports a format mismatch as an invalid type (errors.InvalidType), so the cause is FieldValueTypeInvalid.
  if (!checkFormat(s.format, v))
    ctx.errors.push({
      type: 'FieldValueTypeInvalid',
      field: fieldOf(ctx, path),
      value: v,
      detail: `${inBody(path)} must be of type ${s.format}: ${goQuote(v)}`,
    });
}

const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;
const UINT32 = [0, 2 ** 32 - 1] as const;
const FLOAT32_MAX = 3.4028234663852886e38;

/** kube-openapi's IsValueValidAgainstRange: the value must fit the declared numeric format. */
function rangeCheck(ctx: Ctx, s: Node, path: string, v: number): void {
  const format = s.format ?? '';
  const isInteger = s.type === 'integer';
  let ok = true;
  if (isInteger) {
    if (!Number.isInteger(v)) ok = false;
    else if (format === 'int32') ok = v >= INT32[0] && v <= INT32[1];
    else if (format === 'uint32') ok = v >= UINT32[0] && v <= UINT32[1];
    else if (format === 'uint64') ok = v >= 0;
  } else if (format === 'float' || format === 'float32') {
    ok = Math.abs(v) <= FLOAT32_MAX;
  }
  if (ok) return;
  const typeName = isInteger ? 'integer' : 'number';
  const fmt = format === '' ? ' (default format)' : ` with format ${format}`;
  plainError(ctx, `Checked value must be of type ${typeName}${fmt} in ${path}`);
}

function isMultipleOf(v: number, factor: number): boolean {
  if (factor === 0) return false;
  const mult = factor < 1 ? (1 / factor) * v : v / factor;
  return Math.ceil(mult) === mult;
}

/**
 * kube-openapi checks an integer value against int64(bound) and a fractional one against the
 * float64 bound, so the bound prints as an integer (9007199254740991) or a Go float (1e+06).
 */
function boundText(v: number, b: number): string {
  return Number.isInteger(v) ? goNumber(Math.trunc(b)) : goFloat(b);
}

export function validateNumber(ctx: Ctx, s: Node, path: string, v: number): void {
  // int-or-string nodes have no single numeric type, so the real server skips the range check.
  if (s.type === 'integer' || s.type === 'number') rangeCheck(ctx, s, path, v);
  if (s.multipleOf !== undefined) {
    if (s.multipleOf <= 0)
      plainError(ctx, `factor MultipleOf declared for ${path} must be positive: ${goFloat(s.multipleOf)}`);
    else if (!isMultipleOf(v, s.multipleOf))
      invalid(ctx, path, v, `${inBody(path)} should be a multiple of ${goFloat(s.multipleOf)}`);
  }
  if (s.minimum !== undefined) {
    const bad = s.exclusiveMinimum ? v <= s.minimum : v < s.minimum;
    if (bad)
      invalid(
        ctx,
        path,
        v,
        `${inBody(path)} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${boundText(v, s.minimum)}`,
      );
  }
  if (s.maximum !== undefined) {
    const bad = s.exclusiveMaximum ? v >= s.maximum : v > s.maximum;
    if (bad)
      invalid(
        ctx,
        path,
        v,
        `${inBody(path)} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${boundText(v, s.maximum)}`,
      );
  }
}
