/**
 * The scale subresource's own checks on every custom resource write (SC-1), as
 * apiextensions' customResourceValidator runs them after the schema: the replicas fields must
 * read as Go int64 through `unstructured.NestedInt64`, which is why a string there is reported
 * twice (once by the schema, once as the accessor's error), and a label selector as a string.
 * Field paths are the CRD's JSON paths verbatim (`.spec.replicas`, leading dot included).
 */
import type { FieldError, KubeObject, ScaleSubresource } from '../types.ts';
import { goSprint, goTypeName } from '../crd-schema/go-format.ts';

const MAX_INT32 = 2 ** 31 - 1;

type Nested = { value: unknown; found: boolean; error?: string };

/** unstructured.NestedFieldNoCopy: a missing field or a null on the way is "not found". */
function nestedField(obj: unknown, fields: string[]): Nested {
  let val: unknown = obj;
  for (let i = 0; i < fields.length; i++) {
    if (val === null || val === undefined) return { value: undefined, found: false };
    if (typeof val !== 'object' || Array.isArray(val)) {
      return {
        value: undefined,
        found: false,
        error: `${jsonPath(fields.slice(0, i + 1))} accessor error: ${goSprint(val)} is of the type ${goTypeName(val)}, expected map[string]interface{}`,
      };
    }
    const m = val as Record<string, unknown>;
    if (!Object.hasOwn(m, fields[i]!)) return { value: undefined, found: false };
    val = m[fields[i]!];
  }
  return { value: val, found: true };
}

function jsonPath(fields: string[]): string {
  return `.${fields.join('.')}`;
}

function fieldsOf(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

/** unstructured.NestedInt64 / NestedString: the value, or the accessor's error text. */
function nestedTyped(obj: unknown, path: string, want: 'int64' | 'string'): { value: unknown; error?: string } {
  const fields = fieldsOf(path);
  const zero = want === 'int64' ? 0 : '';
  const r = nestedField(obj, fields);
  if (r.error) return { value: zero, error: r.error };
  if (!r.found) return { value: zero };
  const ok = want === 'int64' ? goTypeName(r.value) === 'int64' : typeof r.value === 'string';
  if (!ok) {
    return {
      value: zero,
      error: `${jsonPath(fields)} accessor error: ${goSprint(r.value)} is of the type ${goTypeName(r.value)}, expected ${want}`,
    };
  }
  return { value: r.value };
}

function replicasErrors(obj: KubeObject, path: string): FieldError[] {
  const { value, error } = nestedTyped(obj, path, 'int64');
  if (error) return [{ type: 'FieldValueInvalid', field: path, value, detail: error }];
  const n = value as number;
  if (n < 0) return [{ type: 'FieldValueInvalid', field: path, value: n, detail: 'should be a non-negative integer' }];
  if (n > MAX_INT32) {
    return [
      { type: 'FieldValueInvalid', field: path, value: n, detail: `should be less than or equal to ${MAX_INT32}` },
    ];
  }
  return [];
}

/** ValidateScaleSpec: main-resource writes only. */
export function validateScaleSpec(obj: KubeObject, scale: ScaleSubresource): FieldError[] {
  return replicasErrors(obj, scale.specReplicasPath);
}

/** ValidateScaleStatus: every write, main resource and /status. */
export function validateScaleStatus(obj: KubeObject, scale: ScaleSubresource): FieldError[] {
  const errs = replicasErrors(obj, scale.statusReplicasPath);
  if (scale.labelSelectorPath) {
    const { value, error } = nestedTyped(obj, scale.labelSelectorPath, 'string');
    if (error) errs.push({ type: 'FieldValueInvalid', field: scale.labelSelectorPath, value, detail: error });
  }
  return errs;
}
