/**
 * CRD create/update validation (CRD-1, CRD-4, CRD-9): the spec-level rules and the structural
 * schema rules, with the real server's field paths
 * (`spec.versions[0].schema.openAPIV3Schema.properties[spec].type`, or
 * `spec.validation.openAPIV3Schema…` when every version has the same schema: internal-crd.ts)
 * and messages.
 *
 * Like the real server, the structural rules of a version are only checked when its schema
 * passed the first, keyword-level pass (so one mistake does not come back twice). The logical
 * junctor rules (allOf/anyOf/oneOf/not may not declare types, defaults, ...) are checked only
 * for the most common mistakes; CEL rules are not compiled.
 */
import type { FieldError, JsonSchemaProps, KubeObject } from '../types.ts';
import { patternError } from './pattern.ts';
import { validateValue, isObject } from './validate.ts';
import { pruneResource } from './prune.ts';
import { hoisted, internalVersionsJson } from './internal-crd.ts';

type Node = JsonSchemaProps & Record<string, unknown>;

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}
function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}
function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

/** First pass (ValidateCustomResourceDefinitionOpenAPISchema): keywords that are not allowed. */
function keywordErrors(s: Node, path: string, isRoot: boolean, out: FieldError[]): void {
  if (typeof s.type === 'string' && s.type !== '' && !OPENAPI_TYPES.includes(s.type)) {
    if (s.type === 'null')
      out.push(forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
    else
      out.push({
        type: 'FieldValueNotSupported',
        field: `${path}.type`,
        value: s.type,
        detail: `supported values: ${OPENAPI_TYPES.map((t) => `"${t}"`).join(', ')}`,
      });
  }
  if (s.id !== undefined) out.push(forbidden(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined)
    out.push(forbidden(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (s.patternProperties !== undefined)
    out.push(forbidden(`${path}.patternProperties`, 'patternProperties is not supported'));
  if (s.definitions !== undefined) out.push(forbidden(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined) out.push(forbidden(`${path}.dependencies`, 'dependencies is not supported'));
  if (s.$ref !== undefined) out.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (Array.isArray(s.items)) out.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (s.uniqueItems === true)
    out.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  if (isRoot && s.nullable === true) out.push(forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  const rules = s['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    // Never ignored silently: a rule skipped here would pass locally and fail on a cluster.
    rules.forEach((r, i) =>
      out.push(
        forbidden(
          `${path}.x-kubernetes-validations[${i}].rule`,
          `local-apiserver does not evaluate CEL validation rules (${JSON.stringify(isObject(r) ? (r as Node).rule : r)}); a real API server enforces it. Remove the rule (kubebuilder: the XValidation marker) to run this CRD locally, or test against kube-apiserver (KUBEBUILDER_ASSETS)`,
        ),
      ),
    );
  }
  if (typeof s.pattern === 'string') {
    const err = patternError(s.pattern);
    if (err) out.push(invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${err}`));
  }
  if (s.additionalProperties !== undefined) {
    const props = s.properties ? Object.keys(s.properties) : [];
    if (props.length > 0 && (s.additionalProperties === false || isObject(s.additionalProperties))) {
      out.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    if (isObject(s.additionalProperties))
      keywordErrors(s.additionalProperties as Node, `${path}.additionalProperties`, false, out);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (isObject(p)) keywordErrors(p as Node, `${path}.properties[${k}]`, false, out);
  }
  if (isObject(s.items)) keywordErrors(s.items as Node, `${path}.items`, false, out);
  for (const j of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[j];
    if (Array.isArray(list))
      list.forEach((sub, i) => isObject(sub) && keywordErrors(sub as Node, `${path}.${j}[${i}]`, false, out));
  }
  if (isObject(s.not)) keywordErrors(s.not as Node, `${path}.not`, false, out);
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && s.type !== 'array') {
    out.push(
      s.type
        ? invalid(`${path}.type`, s.type, 'must be array if x-kubernetes-list-type is specified')
        : required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'),
    );
  }
  if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'];
    if (!Array.isArray(keys) || keys.length === 0)
      out.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
  }
}

/** Second pass: the structural schema rules (§6.3 CRD-9). */
function structuralErrors(s: Node, path: string, where: 'root' | 'field' | 'item', out: FieldError[]): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const type = typeof s.type === 'string' ? s.type : '';
  if (embedded && type !== 'object') {
    out.push(
      type
        ? invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true')
        : required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'),
    );
  } else if (type === '' && !intOrString && !preserve) {
    const detail =
      where === 'root'
        ? 'must not be empty at the root'
        : where === 'item'
          ? 'must not be empty for specified array items'
          : 'must not be empty for specified object fields';
    out.push(required(`${path}.type`, detail));
  }
  if (where === 'root' && type !== '' && type !== 'object')
    out.push(invalid(`${path}.type`, type, 'must be object at the root'));
  if (where === 'root' && s.additionalProperties !== undefined)
    out.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
  if (intOrString && preserve)
    out.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (type === 'array' && s.items === undefined) out.push(required(`${path}.items`, 'must be specified'));
  if (where === 'root' && isObject(s.properties?.metadata)) {
    const meta = s.properties!.metadata as Node;
    const allowed = new Set(['type', 'properties']);
    const extra = Object.keys(meta).filter((k) => !allowed.has(k));
    const propKeys = Object.keys(meta.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
    if (extra.length > 0 || propKeys.length > 0 || (meta.type !== undefined && meta.type !== 'object')) {
      out.push(
        forbidden(
          `${path}.properties[metadata]`,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }
  for (const j of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[j];
    if (!Array.isArray(list)) continue;
    list.forEach((sub, i) => {
      if (!isObject(sub)) return;
      const p = `${path}.${j}[${i}]`;
      const intOrStringBranch = intOrString && j === 'anyOf';
      if (sub.type !== undefined && !intOrStringBranch)
        out.push(forbidden(`${p}.type`, 'must be empty to be structural'));
      for (const k of ['default', 'additionalProperties'] as const) {
        if (sub[k] !== undefined) out.push(forbidden(`${p}.${k}`, 'must be undefined to be structural'));
      }
      if (sub.description !== undefined) out.push(forbidden(`${p}.description`, 'must be empty to be structural'));
      if (sub.nullable === true) out.push(forbidden(`${p}.nullable`, 'must be false to be structural'));
    });
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (isObject(p)) structuralErrors(p as Node, `${path}.properties[${k}]`, 'field', out);
  }
  if (isObject(s.additionalProperties))
    structuralErrors(s.additionalProperties as Node, `${path}.additionalProperties`, 'field', out);
  if (isObject(s.items)) structuralErrors(s.items as Node, `${path}.items`, 'item', out);
}

/** Defaults must survive pruning unchanged and validate against their own node (CRD-P-2). */
function defaultErrors(s: Node, path: string, out: FieldError[]): void {
  if (s.default !== undefined) {
    const field = `${path}.default`;
    const pruned = structuredClone(s.default);
    const wrapper = { v: pruned };
    const prunedPaths = pruneResource(wrapper, { type: 'object', properties: { v: s } });
    if (prunedPaths.length > 0)
      out.push(
        invalid(
          field,
          s.default,
          `must not have unknown fields (${prunedPaths.map((p) => p.replace(/^v\.?/, '')).join(', ')})`,
        ),
      );
    else out.push(...validateValue(s, s.default, { fieldPrefix: field }));
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (isObject(p)) defaultErrors(p as Node, `${path}.properties[${k}]`, out);
  }
  if (isObject(s.additionalProperties))
    defaultErrors(s.additionalProperties as Node, `${path}.additionalProperties`, out);
  if (isObject(s.items)) defaultErrors(s.items as Node, `${path}.items`, out);
}

/** Structural and keyword errors of one openAPIV3Schema at `path`. */
export function schemaErrors(schema: JsonSchemaProps, path: string): FieldError[] {
  const first: FieldError[] = [];
  keywordErrors(schema as Node, path, true, first);
  if (first.length > 0) return first;
  const second: FieldError[] = [];
  structuralErrors(schema as Node, path, 'root', second);
  if (second.length > 0) return second;
  const third: FieldError[] = [];
  defaultErrors(schema as Node, path, third);
  return third;
}

/** `spec.versions: Invalid value: [<internal versions>]: must have exactly one version marked as storage version` */
export function storageVersionError(versions: readonly Record<string, unknown>[]): FieldError {
  return {
    type: 'FieldValueInvalid',
    field: 'spec.versions',
    bodyOverride: `Invalid value: ${internalVersionsJson(versions)}: must have exactly one version marked as storage version`,
  };
}

function columnErrors(version: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const columns = Array.isArray(version.additionalPrinterColumns)
    ? (version.additionalPrinterColumns as Record<string, unknown>[])
    : [];
  columns.forEach((c, j) => {
    const p = `${path}[${j}]`;
    if (!c.name) errs.push(required(`${p}.name`));
    if (!c.type) errs.push(required(`${p}.type`, `must be one of ${PRINTER_TYPES.join(',')}`));
    else if (typeof c.type !== 'string' || !PRINTER_TYPES.includes(c.type))
      errs.push(invalid(`${p}.type`, c.type, `must be one of ${PRINTER_TYPES.join(',')}`));
    if (c.format && (typeof c.format !== 'string' || !PRINTER_FORMATS.includes(c.format)))
      errs.push(invalid(`${p}.format`, c.format, `must be one of ${PRINTER_FORMATS.join(',')}`));
    if (!c.jsonPath) errs.push(required(`${p}.JSONPath`));
  });
  return errs;
}

interface CrdSpec {
  group?: unknown;
  scope?: unknown;
  names?: { plural?: unknown; singular?: unknown; kind?: unknown; listKind?: unknown; shortNames?: unknown };
  versions?: unknown;
}

/**
 * Validate a CRD on create/update (CRD-1, CRD-4, CRD-9). `old` enables the update rules
 * (a version still listed in status.storedVersions may not be removed).
 */
export function validateCrd(crd: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (isObject(crd.spec) ? crd.spec : {}) as CrdSpec;
  const names = isObject(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const name = crd.metadata?.name ?? '';
  if (name !== `${plural}.${group}`)
    errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (group === '') errs.push(required('spec.group'));
  else if (!group.includes('.')) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') {
    errs.push(
      spec.scope === undefined || spec.scope === ''
        ? required('spec.scope')
        : {
            type: 'FieldValueNotSupported',
            field: 'spec.scope',
            value: spec.scope,
            detail: 'supported values: "Cluster", "Namespaced"',
          },
    );
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as Record<string, unknown>[]) : [];
  if (versions.length === 0)
    errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  // Identical per-version fields are validated once, where the internal CRD holds them.
  const h = hoisted(versions);
  const first = versions[0];
  const firstSchema = first && isObject(first.schema) ? first.schema.openAPIV3Schema : undefined;
  if (h.schema && isObject(firstSchema))
    errs.push(...schemaErrors(firstSchema as JsonSchemaProps, 'spec.validation.openAPIV3Schema'));
  if (h.additionalPrinterColumns && first) errs.push(...columnErrors(first, 'spec.additionalPrinterColumns'));
  versions.forEach((v, i) => {
    const vname = typeof v.name === 'string' ? v.name : '';
    if (vname === '') errs.push(required(`spec.versions[${i}].name`));
    else if (!DNS1123_LABEL.test(vname) || vname.length > 63) {
      errs.push(
        invalid(
          `spec.versions[${i}].name`,
          vname,
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ),
      );
    }
    if (seen.has(vname)) errs.push(invalid(`spec.versions[${i}]`, vname, 'duplicate version'));
    seen.add(vname);
    const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(schema)) errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`));
    else if (!h.schema)
      errs.push(...schemaErrors(schema as JsonSchemaProps, `spec.versions[${i}].schema.openAPIV3Schema`));
    if (!h.additionalPrinterColumns) errs.push(...columnErrors(v, `spec.versions[${i}].additionalPrinterColumns`));
  });
  const storage = versions.filter((v) => v.storage === true).length;
  if (versions.length > 0 && storage !== 1) errs.push(storageVersionError(versions));
  if (plural === '') errs.push(required('spec.names.plural'));
  if (typeof names.kind !== 'string' || names.kind === '') errs.push(required('spec.names.kind'));
  if (old) {
    const stored = (
      isObject(old.status) && Array.isArray(old.status.storedVersions) ? old.status.storedVersions : []
    ) as string[];
    stored.forEach((sv, i) => {
      if (!seen.has(sv)) {
        errs.push(
          invalid(
            `status.storedVersions[${i}]`,
            sv,
            `missing from spec.versions; ${sv} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${sv} and removes ${sv} from status.storedVersions`,
          ),
        );
      }
    });
  }
  // ValidateCustomResourceDefinitionStoredVersions: a create keeps only the storage version
  // (PrepareForCreate runs first and always sets status), so a CRD without one has none — Go's
  // nil list, printed null.
  if (isObject(crd.status)) {
    const storedNow = Array.isArray(crd.status.storedVersions) ? crd.status.storedVersions : [];
    if (storedNow.length === 0)
      errs.push(invalid('status.storedVersions', null, 'must have at least one stored version'));
  }
  return errs;
}
