/**
 * The CRD as kube-apiserver validates it: converted to the internal apiextensions type, whose
 * shape shows in its 422s (CRD-1, CRD-9).
 *
 * - Per-version fields that are the same in every version (schema, subresources, printer
 *   columns, selectable fields) are hoisted to the spec (`Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_...`),
 *   so their errors are reported once, at `spec.validation.openAPIV3Schema…` or
 *   `spec.additionalPrinterColumns[j]…`, and the versions then hold null there.
 * - `field.Invalid(spec.versions, …)` prints the internal versions with encoding/json: Go field
 *   names (the internal types have no json tags), every field present, map keys sorted.
 */
import { deepEqual, isObject } from './validate.ts';
import { goJson } from './go-format.ts';

type Obj = Record<string, unknown>;

/** Which per-version fields are identical in every version, hence validated once at the spec. */
export interface Hoisted {
  schema: boolean;
  subresources: boolean;
  additionalPrinterColumns: boolean;
  selectableFields: boolean;
}

/** apiequality.Semantic.DeepEqual: an empty list or map equals an absent one. */
function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (empty(a) && empty(b)) return true;
  return deepEqual(a ?? null, b ?? null);
}

export function hoisted(versions: readonly Obj[]): Hoisted {
  const same = (k: string) => versions.every((v) => semanticEqual(v[k], versions[0]?.[k]));
  return {
    schema: same('schema'),
    subresources: same('subresources'),
    additionalPrinterColumns: same('additionalPrinterColumns'),
    selectableFields: same('selectableFields'),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const ptr = (v: unknown) => (v === undefined ? null : v);
const bool = (v: unknown) => v === true;
const list = <T>(v: unknown, f: (x: unknown) => T): T[] | null => (Array.isArray(v) ? v.map(f) : null);
const map = <T>(v: unknown, f: (x: unknown) => T): Record<string, T> | null => {
  if (!isObject(v)) return null;
  const out: Record<string, T> = {};
  for (const k of Object.keys(v).sort()) out[k] = f(v[k]);
  return out;
};

/** The internal JSONSchemaProps, field by field in its declaration order. */
function schemaProps(x: unknown): Obj {
  const s = (isObject(x) ? x : {}) as Obj;
  const orBool = (v: unknown) =>
    v === undefined
      ? null
      : typeof v === 'boolean'
        ? { Allows: v, Schema: null }
        : { Allows: true, Schema: schemaProps(v) };
  return {
    ID: str(s.id),
    Schema: str(s.$schema),
    Ref: ptr(s.$ref),
    Description: str(s.description),
    Type: str(s.type),
    Nullable: bool(s.nullable),
    Format: str(s.format),
    Title: str(s.title),
    Default: ptr(s.default),
    Maximum: ptr(s.maximum),
    ExclusiveMaximum: bool(s.exclusiveMaximum),
    Minimum: ptr(s.minimum),
    ExclusiveMinimum: bool(s.exclusiveMinimum),
    MaxLength: ptr(s.maxLength),
    MinLength: ptr(s.minLength),
    Pattern: str(s.pattern),
    MaxItems: ptr(s.maxItems),
    MinItems: ptr(s.minItems),
    UniqueItems: bool(s.uniqueItems),
    MultipleOf: ptr(s.multipleOf),
    Enum: list(s.enum, (e) => e),
    MaxProperties: ptr(s.maxProperties),
    MinProperties: ptr(s.minProperties),
    Required: list(s.required, (r) => r),
    Items:
      s.items === undefined
        ? null
        : Array.isArray(s.items)
          ? { Schema: null, JSONSchemas: s.items.map(schemaProps) }
          : { Schema: schemaProps(s.items), JSONSchemas: null },
    AllOf: list(s.allOf, schemaProps),
    OneOf: list(s.oneOf, schemaProps),
    AnyOf: list(s.anyOf, schemaProps),
    Not: s.not === undefined ? null : schemaProps(s.not),
    Properties: map(s.properties, schemaProps),
    AdditionalProperties: orBool(s.additionalProperties),
    PatternProperties: map(s.patternProperties, schemaProps),
    Dependencies: map(s.dependencies, (d) =>
      Array.isArray(d) ? { Schema: null, Property: d } : { Schema: schemaProps(d), Property: null },
    ),
    AdditionalItems: orBool(s.additionalItems),
    Definitions: map(s.definitions, schemaProps),
    ExternalDocs: isObject(s.externalDocs)
      ? { Description: str(s.externalDocs.description), URL: str(s.externalDocs.url) }
      : null,
    Example: ptr(s.example),
    XPreserveUnknownFields: ptr(s['x-kubernetes-preserve-unknown-fields']),
    XEmbeddedResource: bool(s['x-kubernetes-embedded-resource']),
    XIntOrString: bool(s['x-kubernetes-int-or-string']),
    XListMapKeys: list(s['x-kubernetes-list-map-keys'], (k) => k),
    XListType: ptr(s['x-kubernetes-list-type']),
    XMapType: ptr(s['x-kubernetes-map-type']),
    XValidations: list(s['x-kubernetes-validations'], (r) => {
      const rule = (isObject(r) ? r : {}) as Obj;
      return {
        Rule: str(rule.rule),
        Message: str(rule.message),
        MessageExpression: str(rule.messageExpression),
        Reason: ptr(rule.reason),
        FieldPath: str(rule.fieldPath),
        OptionalOldSelf: ptr(rule.optionalOldSelf),
      };
    }),
  };
}

function subresources(x: unknown): Obj | null {
  if (!isObject(x)) return null;
  const scale = isObject(x.scale) ? x.scale : undefined;
  return {
    Status: isObject(x.status) ? {} : null,
    Scale: scale
      ? {
          SpecReplicasPath: str(scale.specReplicasPath),
          StatusReplicasPath: str(scale.statusReplicasPath),
          LabelSelectorPath: ptr(scale.labelSelectorPath),
        }
      : null,
  };
}

/** `spec.versions` as `field.Invalid` prints it: Go's JSON of the internal versions. */
export function internalVersionsJson(versions: readonly Obj[]): string {
  const h = hoisted(versions);
  return goJson(
    versions.map((v) => {
      const schema = isObject(v.schema) ? v.schema : undefined;
      return {
        Name: str(v.name),
        Served: bool(v.served),
        Storage: bool(v.storage),
        Deprecated: bool(v.deprecated),
        DeprecationWarning: ptr(v.deprecationWarning),
        Schema:
          h.schema || !schema
            ? null
            : { OpenAPIV3Schema: schema.openAPIV3Schema === undefined ? null : schemaProps(schema.openAPIV3Schema) },
        Subresources: h.subresources ? null : subresources(v.subresources),
        AdditionalPrinterColumns: h.additionalPrinterColumns
          ? null
          : list(v.additionalPrinterColumns, (c) => {
              const col = (isObject(c) ? c : {}) as Obj;
              return {
                Name: str(col.name),
                Type: str(col.type),
                Format: str(col.format),
                Description: str(col.description),
                Priority: typeof col.priority === 'number' ? col.priority : 0,
                JSONPath: str(col.jsonPath),
              };
            }),
        SelectableFields: h.selectableFields
          ? null
          : list(v.selectableFields, (f) => ({ JSONPath: str(isObject(f) ? f.jsonPath : undefined) })),
      };
    }),
  );
}
