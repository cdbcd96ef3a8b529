/**
 * Validation of a custom resource against its CRD's openAPIV3Schema, producing the field errors
 * the real server produces (CRD-VAL-1). The real pipeline is kube-openapi's schema validator
 * followed by apiextensions' `kubeOpenAPIResultToFieldErrors`; the order of checks inside one
 * node follows kube-openapi (type, junctors, string, format, number, array, enum, object) so
 * that the same value gets the same errors. Across sibling properties the real server's order
 * is Go map order (random); here it is schema order.
 *
 * Values come from JSON.parse: an integral number plays Go's int64, any other number float64.
 */
import type { FieldError, JsonSchemaProps } from '../types.ts';
import { goJson, goQuote } from './go-format.ts';
import { validateFormat, validateNumber, validateString } from './validate-scalars.ts';
import { childPath, fieldOf, inBody, invalid, type Ctx, type Json, type Node } from './validation-context.ts';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON type name of a decoded value, as kube-openapi's typeValidator infers it. */
function jsonType(v: Json): { type: string; format: string } {
  if (v === null) return { type: 'null', format: '' };
  if (typeof v === 'boolean') return { type: 'boolean', format: '' };
  if (typeof v === 'string') return { type: 'string', format: '' };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { type: 'integer', format: 'int64' } : { type: 'number', format: 'float64' };
  if (Array.isArray(v)) return { type: 'array', format: '' };
  return { type: 'object', format: '' };
}

const INT_OR_STRING: readonly string[] = ['integer', 'string'];
const NO_TYPES: readonly string[] = [];
/** One list per type name, so that validating a node allocates none. */
const SINGLE_TYPES = new Map<string, readonly string[]>();

/** The validator's type list: int-or-string nodes accept integer and string (CRD-P-4). */
function typesOf(s: Node): readonly string[] {
  if (s['x-kubernetes-int-or-string']) return INT_OR_STRING;
  if (!s.type) return NO_TYPES;
  let t = SINGLE_TYPES.get(s.type);
  if (!t) SINGLE_TYPES.set(s.type, (t = [s.type]));
  return t;
}

function validateType(ctx: Ctx, s: Node, path: string, v: Json): boolean {
  const types = typesOf(s);
  const format = s.format ?? '';
  if (types.length === 0 && format === '') return true;
  const { type: schType, format: valFormat } = jsonType(v);
  if (v === null) {
    if (types.length > 0 && !s.nullable) {
      ctx.errors.push({
        type: 'FieldValueTypeInvalid',
        field: fieldOf(ctx, path),
        value: 'null',
        detail: `${inBody(path)} must be of type ${types.join(',')}: "null"`,
      });
      return false;
    }
    return true;
  }
  const isNumeric = types.includes('number') || types.includes('integer');
  // Go's isFloatInt (3.0 for an integer field) needs no case: JSON.parse makes 3.0 an integer.
  const isIntFloat = schType === 'integer' && types.includes('number');
  const kindIsStringOrSlice = schType === 'string' || schType === 'array';
  if (!kindIsStringOrSlice && format !== '' && !(types.includes(schType) || valFormat === format || isIntFloat)) {
    ctx.errors.push({
      type: 'FieldValueTypeInvalid',
      field: fieldOf(ctx, path),
      value: valFormat,
      detail: `${inBody(path)} must be of type ${format}: ${goQuote(valFormat)}`,
    });
    return false;
  }
  if (!isNumeric && format !== '' && kindIsStringOrSlice) return true;
  if (types.length === 0) return true;
  if (!(types.includes(schType) || isIntFloat)) {
    ctx.errors.push({
      type: 'FieldValueTypeInvalid',
      field: fieldOf(ctx, path),
      value: schType,
      detail: `${inBody(path)} must be of type ${types.join(',')}: ${goQuote(schType)}`,
    });
    return false;
  }
  return true;
}

function validateArray(ctx: Ctx, s: Node, path: string, v: Json[], old: Json): void {
  if (s.items) {
    const oldItems = oldListItems(s, v, old);
    v.forEach((item, i) => validateNode(ctx, s.items as Node, `${path}[${i}]`, item, oldItems[i]));
  }
  if (s.minItems !== undefined && v.length < s.minItems) {
    invalid(ctx, path, v.length, `${inBody(path)} should have at least ${s.minItems} items`);
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    ctx.errors.push({
      type: 'FieldValueTooMany',
      field: fieldOf(ctx, path),
      value: v.length,
      detail: `must have at most ${s.maxItems} ${s.maxItems === 1 ? 'item' : 'items'}`,
    });
  }
  if (s.uniqueItems && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) {
    invalid(ctx, path, '', `${inBody(path)} shouldn't contain duplicates`);
  }
}

/**
 * Ratcheting correlates old and new list items only for `x-kubernetes-list-type: map` (by key)
 * and `set` (by value); atomic lists are compared as a whole by the caller.
 */
function oldListItems(s: Node, v: Json[], old: Json): Json[] {
  if (!Array.isArray(old)) return [];
  const olds: readonly Json[] = old;
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    return v.map((item) =>
      olds.find((o) => isObject(o) && isObject(item) && keys.every((k) => deepEqual(o[k], item[k]))),
    );
  }
  if (listType === 'set') return v.map((item) => olds.find((o) => deepEqual(o, item)));
  return [];
}

function enumValueString(e: Json): string {
  return typeof e === 'string' ? e : goJson(e);
}

function validateEnum(ctx: Ctx, s: Node, path: string, v: Json): void {
  if (!s.enum || s.enum.length === 0) return;
  if (s.enum.some((e) => deepEqual(e, v))) return;
  ctx.errors.push({
    type: 'FieldValueNotSupported',
    field: fieldOf(ctx, path),
    value: v,
    detail: `supported values: ${s.enum.map((e) => goQuote(enumValueString(e))).join(', ')}`,
  });
}

function validateObject(ctx: Ctx, s: Node, path: string, v: Record<string, Json>, old: Json): void {
  const n = Object.keys(v).length;
  if (s.minProperties !== undefined && n < s.minProperties) {
    invalid(ctx, path, n, `${inBody(path)} should have at least ${s.minProperties} properties`);
  }
  if (s.maxProperties !== undefined && n > s.maxProperties) {
    ctx.errors.push({
      type: 'FieldValueTooMany',
      field: fieldOf(ctx, path),
      value: n,
      detail: `must have at most ${s.maxProperties} ${s.maxProperties === 1 ? 'item' : 'items'}`,
    });
  }
  const props = s.properties ?? {};
  const oldObj = isObject(old) ? old : undefined;
  if (isObject(s.additionalProperties)) {
    for (const k of Object.keys(v)) {
      if (!Object.hasOwn(props, k))
        validateNode(ctx, s.additionalProperties as Node, childPath(path, k), v[k], oldObj?.[k]);
    }
  } else if (s.additionalProperties === false) {
    for (const k of Object.keys(v)) {
      if (!Object.hasOwn(props, k))
        invalid(ctx, childPath(path, k), '', `${path}.${k} in body is a forbidden property`);
    }
  }
  for (const k of Object.keys(props)) {
    if (Object.hasOwn(v, k)) validateNode(ctx, props[k] as Node, childPath(path, k), v[k], oldObj?.[k]);
  }
  if (s.required) {
    for (const k of s.required) {
      if (!Object.hasOwn(v, k))
        ctx.errors.push({ type: 'FieldValueRequired', field: fieldOf(ctx, `${path}.${k}`), detail: '' });
    }
  }
  if (s['x-kubernetes-embedded-resource']) {
    // Embedded objects must say what they are, like top-level objects (CRD-P-5).
    for (const k of ['apiVersion', 'kind']) {
      if (typeof v[k] !== 'string' || v[k] === '')
        ctx.errors.push({ type: 'FieldValueRequired', field: fieldOf(ctx, childPath(path, k)), detail: '' });
    }
  }
}

/** The errors of `v` against one junctor branch, kept apart from the node's own. */
function branchErrors(ctx: Ctx, sub: Node, path: string, v: Json): FieldError[] {
  const inner: Ctx = { errors: [], fieldPrefix: ctx.fieldPrefix };
  validateNode(inner, sub, path, v, undefined);
  return inner.errors;
}

function validateJunctors(ctx: Ctx, s: Node, path: string, v: Json): void {
  // Most nodes have no junctor: no closure is made for them (this runs for every node of every write).
  if (!s.allOf && !s.anyOf && !s.oneOf && !s.not) return;
  const passes = (sub: Node) => branchErrors(ctx, sub, path, v);
  if (s.allOf) {
    const errs = s.allOf.flatMap(passes);
    if (errs.length > 0) {
      ctx.errors.push(...errs);
      invalid(ctx, path, '', `${inBody(path)} must validate all the schemas (allOf)`);
    }
  }
  if (s.anyOf && s.anyOf.length > 0 && !s['x-kubernetes-int-or-string']) {
    const results = s.anyOf.map(passes);
    if (!results.some((r) => r.length === 0)) {
      ctx.errors.push(...results.flat());
      invalid(ctx, path, '', `${inBody(path)} must validate at least one schema (anyOf)`);
    }
  }
  if (s.oneOf && s.oneOf.length > 0) {
    const ok = s.oneOf.map(passes).filter((r) => r.length === 0).length;
    if (ok !== 1) invalid(ctx, path, '', `${inBody(path)} must validate one and only one schema (oneOf)`);
  }
  if (s.not && passes(s.not).length === 0) {
    invalid(ctx, path, '', `${inBody(path)} must not validate the schema (not)`);
  }
}

function validateListType(ctx: Ctx, s: Node, path: string, v: Json[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    v.forEach((x, i) => {
      if (v.findIndex((y) => deepEqual(x, y)) !== i)
        ctx.errors.push({ type: 'FieldValueDuplicate', field: fieldOf(ctx, `${path}[${i}]`), value: x });
    });
  } else if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (x: Json) =>
      isObject(x) ? Object.fromEntries(keys.filter((k) => Object.hasOwn(x, k)).map((k) => [k, x[k]])) : x;
    v.forEach((x, i) => {
      if (v.findIndex((y) => deepEqual(keyOf(x), keyOf(y))) !== i)
        ctx.errors.push({ type: 'FieldValueDuplicate', field: fieldOf(ctx, `${path}[${i}]`), value: keyOf(x) });
    });
  }
}

/**
 * Validate one node. `old` is the correlated old value on updates: an unchanged subtree is not
 * validated again (CRD-VAL-4 ratcheting), so objects stored before a schema tightened stay
 * writable as long as the offending fields are left alone.
 */
export function validateNode(ctx: Ctx, s: Node, path: string, v: Json, old: Json): void {
  if (old !== undefined && deepEqual(v, old)) return;
  if (v === null) {
    validateType(ctx, s, path, v);
    validateEnum(ctx, s, path, v);
    return;
  }
  validateType(ctx, s, path, v);
  validateJunctors(ctx, s, path, v);
  if (typeof v === 'string') {
    validateString(ctx, s, path, v);
    validateFormat(ctx, s, path, v);
  } else if (typeof v === 'number') {
    validateNumber(ctx, s, path, v);
  } else if (Array.isArray(v)) {
    validateArray(ctx, s, path, v, old);
  }
  validateEnum(ctx, s, path, v);
  if (isObject(v)) validateObject(ctx, s, path, v, old);
  if (Array.isArray(v)) validateListType(ctx, s, path, v);
}

/** Validate `value` (the whole object, or `.status` with prefix `status`) against a schema. */
export function validateValue(
  schema: JsonSchemaProps,
  value: Json,
  opts: { fieldPrefix?: string; old?: Json } = {},
): FieldError[] {
  const ctx: Ctx = { errors: [], fieldPrefix: opts.fieldPrefix ?? '' };
  validateNode(ctx, schema as Node, '', value, opts.old);
  return ctx.errors;
}
