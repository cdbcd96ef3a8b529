import { badRequest } from '../errors.ts';
import { JsonSyntaxError, parseJsonText } from '../typed/json-text.ts';
import type { JsonPatchOperation } from './json-patch.ts';

/** How Go's encoding/json names a JSON value's type in an UnmarshalTypeError. */
export function goJsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** JSON.parse for speed (and any depth); Go's syntax error wording when it fails. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return parseJsonText(text).value;
    } catch (e) {
      if (e instanceof JsonSyntaxError) throw e;
      throw new JsonSyntaxError('invalid JSON');
    }
  }
}

/** Paths of keys given twice (`[0].op`); none when the text is too deep for the checking parser. */
function duplicateKeys(text: string): string[] {
  try {
    return parseJsonText(text).duplicates;
  } catch {
    return [];
  }
}

/** The fields of kube-apiserver's handlers.jsonPatchOp; op, path and from are strings. */
const OP_FIELDS = ['op', 'path', 'from', 'value'];
const OP_STRING_FIELDS = ['op', 'path', 'from'];

/**
 * A JSON patch body as kube-apiserver decodes it before applying it: into
 * `[]handlers.jsonPatchOp`, whose type errors are the 400 (checked against kube-apiserver
 * v1.36.2, conformance case `patch/json-patch-edges`). `null` is the empty patch.
 */
function decodeJsonPatchOps(value: unknown): JsonPatchOperation[] {
  // (The string fields' names are matched exactly: kube-apiserver decodes case-sensitively.)
  const fail = (m: string) => badRequest(`error decoding patch: json: ${m}`);
  if (value === null) return [];
  if (!Array.isArray(value))
    throw fail(`cannot unmarshal ${goJsonTypeName(value)} into Go value of type []handlers.jsonPatchOp`);
  const ops: JsonPatchOperation[] = [];
  // Go reports the first type error of the walk, and keeps decoding the rest.
  let first: string | undefined;
  for (const el of value) {
    if (el === null) {
      ops.push({});
      continue;
    }
    if (!isObj(el)) {
      first ??= `cannot unmarshal ${goJsonTypeName(el)} into Go value of type handlers.jsonPatchOp`;
      continue;
    }
    for (const [k, v] of Object.entries(el)) {
      if (OP_STRING_FIELDS.includes(k) && v !== null && typeof v !== 'string')
        first ??= `cannot unmarshal ${goJsonTypeName(v)} into Go struct field jsonPatchOp.${k} of type string`;
    }
    ops.push(el);
  }
  if (first) throw fail(first);
  return ops;
}

export type PatchBodyType = 'json' | 'merge' | 'strategic';

export interface DecodedPatch {
  patch: unknown;
  /**
   * A JSON patch's operations with fields jsonPatchOp does not have, or given twice:
   * `json patch unknown field "[0].extra"`, `json patch duplicate field "[0].op"` (a warning each
   * under fieldValidation=Warn, a 422 under Strict).
   */
  fieldProblems: string[];
}

/** Unknown and repeated fields of each operation, in order. */
function opFieldProblems(ops: readonly unknown[], duplicates: readonly string[]): string[] {
  const out: string[] = [];
  ops.forEach((op, i) => {
    if (!isObj(op)) return;
    for (const k of Object.keys(op)) if (!OP_FIELDS.includes(k)) out.push(`json patch unknown field "[${i}].${k}"`);
    for (const d of duplicates) if (d.startsWith(`[${i}].`)) out.push(`json patch duplicate field "${d}"`);
  });
  return out;
}

/**
 * Decodes a PATCH body with kube-apiserver's 400s (checked against v1.36.2: conformance cases
 * `patch/merge`, `patch/json-patch`, `patch/json-patch-edges`):
 * - a syntax error is Go's message, after `error decoding patch: ` except for strategic merge;
 * - a merge or strategic patch that is not an object is `json: cannot unmarshal array into Go
 *   value of type map[string]interface {}` (prefixed the same way); `null` is a 400 `Invalid JSON
 *   Patch` for a merge patch and changes nothing as a strategic one;
 * - a JSON patch must decode as a list of operations (decodeJsonPatchOps).
 * Returns the patch document: operations for `json`, an object (or null: no change) otherwise.
 */
export function decodePatchBody(type: PatchBodyType, text: string): DecodedPatch {
  const prefix = type === 'strategic' ? '' : 'error decoding patch: ';
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    throw badRequest(`${prefix}${(e as Error).message}`);
  }
  if (type === 'json') {
    const ops = decodeJsonPatchOps(value);
    return { patch: ops, fieldProblems: opFieldProblems(ops, duplicateKeys(text)) };
  }
  if (value === null) {
    if (type === 'merge') throw badRequest('Invalid JSON Patch');
    return { patch: null, fieldProblems: [] };
  }
  if (!isObj(value))
    throw badRequest(
      `${prefix}json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type map[string]interface {}`,
    );
  return { patch: value, fieldProblems: [] };
}
