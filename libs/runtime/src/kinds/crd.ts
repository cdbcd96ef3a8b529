import type { TSchema } from '@sinclair/typebox';
import type { WebhookClientConfig } from './builtin.ts';
import { InvalidKindError, type CustomKind, type KubeObject } from './kind.ts';

type Schema = Record<string, unknown>;

/*
 * Keywords an apiextensions.k8s.io/v1 structural schema accepts. Everything else TypeBox puts
 * on a schema ($id, symbol keys, `examples`, draft-2019 keywords) is dropped or translated,
 * because the API server rejects a CRD with unknown or non-structural keywords.
 */
const PASS_THROUGH = new Set([
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'nullable',
  'example',
  'externalDocs',
]);

/** Converts one TypeBox schema into the structural OpenAPI v3 subset a CRD accepts. */
export function structuralSchema(schema: TSchema | Schema, path = '<root>'): Schema {
  const s = schema as Schema;
  const out: Schema = {};

  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    return unionSchema(s, path);
  }
  if ('const' in s) {
    const value = s.const;
    return { ...pick(s), type: s.type ?? jsonType(value, path), enum: [value] };
  }

  for (const key of Object.keys(s)) {
    const value = s[key];
    if (PASS_THROUGH.has(key)) {
      out[key] = key === 'required' ? [...(value as string[])] : clone(value);
    } else if (key.startsWith('x-kubernetes-')) {
      out[key] = clone(value);
    } else if (key === 'exclusiveMaximum' || key === 'exclusiveMinimum') {
      // TypeBox writes draft-2019 numbers; OpenAPI v3.0 (the CRD dialect) wants a boolean flag.
      if (typeof value === 'number') {
        out[key === 'exclusiveMaximum' ? 'maximum' : 'minimum'] = value;
        out[key] = true;
      } else {
        out[key] = value;
      }
    } else if (key === 'uniqueItems') {
      if (value === true) {
        throw new InvalidKindError(
          `${path}: uniqueItems: true is not allowed in a CRD schema; use x-kubernetes-list-type: set`,
        );
      }
    } else if (key === 'properties') {
      const props: Schema = {};
      for (const [name, sub] of Object.entries(value as Record<string, TSchema>)) {
        props[name] = structuralSchema(sub, `${path}.${name}`);
      }
      out.properties = props;
    } else if (key === 'items') {
      if (Array.isArray(value)) {
        throw new InvalidKindError(
          `${path}: tuple schemas (items: [...]) are not structural; use an array of one item type`,
        );
      }
      out.items = structuralSchema(value as TSchema, `${path}[]`);
    } else if (key === 'patternProperties') {
      const patterns = Object.values(value as Record<string, TSchema>);
      if (patterns.length !== 1) {
        throw new InvalidKindError(`${path}: only a single-pattern Record maps to additionalProperties`);
      }
      out.additionalProperties = structuralSchema(patterns[0]!, `${path}[*]`);
    } else if (key === 'allOf' || key === 'not') {
      throw new InvalidKindError(
        `${path}: ${key} is not supported by crdFor; use Type.Unsafe for hand-written schemas`,
      );
    }
  }

  if ('additionalProperties' in s && !('patternProperties' in s)) {
    const ap = s.additionalProperties;
    if (typeof ap === 'object' && ap !== null) {
      out.additionalProperties = structuralSchema(ap as TSchema, `${path}[*]`);
    } else if (ap === true && !('properties' in s)) {
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }
    // `additionalProperties: false` is the CRD default (pruning) and is forbidden beside properties.
  }

  if (!('type' in out) && !out['x-kubernetes-preserve-unknown-fields'] && !out['x-kubernetes-int-or-string']) {
    // Type.Unknown()/Type.Any(): an untyped node must explicitly keep unknown fields.
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}

function unionSchema(s: Schema, path: string): Schema {
  const members = ((s.anyOf ?? s.oneOf) as Schema[]).filter((m) => m.type !== 'null');
  const nullable = members.length !== ((s.anyOf ?? s.oneOf) as Schema[]).length;
  const base: Schema = pick(s);
  if (nullable) base.nullable = true;

  if (members.length === 1) {
    return { ...structuralSchema(members[0]!, path), ...base };
  }
  if (members.length > 0 && members.every((m) => 'const' in m)) {
    const types = new Set(members.map((m) => (m.type as string | undefined) ?? jsonType(m.const, path)));
    if (types.size !== 1) {
      throw new InvalidKindError(`${path}: a union of literals must share one JSON type`);
    }
    return { ...base, type: [...types][0], enum: members.map((m) => m.const) };
  }
  const types = new Set(members.map((m) => m.type));
  if (members.length === 2 && types.has('integer') && types.has('string')) {
    return { ...base, 'x-kubernetes-int-or-string': true };
  }
  throw new InvalidKindError(
    `${path}: unions other than literal enums, nullable and int-or-string are not structural; use Type.Unsafe`,
  );
}

function pick(s: Schema): Schema {
  const out: Schema = {};
  for (const key of ['description', 'default', 'title']) {
    if (key in s) out[key] = clone(s[key]);
  }
  return out;
}

function jsonType(value: unknown, path: string): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  throw new InvalidKindError(`${path}: unsupported literal ${JSON.stringify(value)}`);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export interface CrdOptions {
  /**
   * The storage version when several versions of the kind are given (with conversion, the
   * hub). One version is its own storage version.
   */
  storageVersion?: string;
  /**
   * Where the API server calls the conversion webhook (`/convert` on the manager's webhook
   * Service, or a URL): the CRD gets `conversion.strategy: Webhook` with ConversionReview v1.
   * Without it the strategy is the API server's default, None (only apiVersion is rewritten).
   */
  conversion?: WebhookClientConfig;
}

function versionOf(kind: CustomKind<KubeObject>, storage: boolean): Schema {
  const def = kind.definition;
  const properties: Schema = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: structuralSchema(def.spec, 'spec'),
  };
  if (def.status) properties.status = structuralSchema(def.status, 'status');

  const openAPIV3Schema: Schema = { type: 'object' };
  if (def.description) openAPIV3Schema.description = def.description;
  openAPIV3Schema.properties = properties;
  // A spec with required fields is itself required (kubebuilder's `+required` spec): without
  // this an object with no spec at all passes the API server — none of the spec's `required`
  // applies to an absent spec — and reaches the controller, whose type promises a spec.
  const specRequired = (properties.spec as Schema).required;
  if (Array.isArray(specRequired) && specRequired.length > 0) openAPIV3Schema.required = ['spec'];

  const subresources: Schema = {};
  if (def.status) subresources.status = {};
  if (def.scale) {
    const scale: Schema = {
      specReplicasPath: def.scale.specReplicasPath,
      statusReplicasPath: def.scale.statusReplicasPath,
    };
    if (def.scale.labelSelectorPath) scale.labelSelectorPath = def.scale.labelSelectorPath;
    subresources.scale = scale;
  }

  const columns = (def.printerColumns ?? []).map((c) => ({ ...c }));
  if (!columns.some((c) => c.name === 'Age')) {
    columns.push({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
  }
  const version: Schema = { name: kind.version, served: true, storage, schema: { openAPIV3Schema } };
  if (Object.keys(subresources).length > 0) version.subresources = subresources;
  version.additionalPrinterColumns = columns;
  return version;
}

/**
 * The apiextensions.k8s.io/v1 CustomResourceDefinition for a kind, as a plain object: one
 * served version per kind value given (the versions of one kind: same group, kind, plural and
 * scope), its openAPIV3Schema derived from the TypeBox schemas, `/status` when the kind has a
 * status schema, `/scale` when declared, printer columns with `Age` last (what kubectl shows
 * for every built-in kind), the conversion webhook when one is given, and the
 * `api-approved.kubernetes.io` annotation when the kind declares `apiApproval`.
 */
export function crdFor(
  kindOrVersions: CustomKind<KubeObject> | readonly CustomKind<KubeObject>[],
  opts: CrdOptions = {},
): Record<string, unknown> {
  const kinds = Array.isArray(kindOrVersions)
    ? (kindOrVersions as readonly CustomKind<KubeObject>[])
    : [kindOrVersions as CustomKind<KubeObject>];
  const kind = kinds[0];
  if (!kind) throw new InvalidKindError('crdFor needs at least one kind');
  for (const other of kinds.slice(1)) {
    if (
      other.group !== kind.group ||
      other.kind !== kind.kind ||
      other.plural !== kind.plural ||
      other.namespaced !== kind.namespaced
    )
      throw new InvalidKindError(
        `crdFor: ${other.apiVersion} ${other.kind} is not another version of ${kind.apiVersion} ${kind.kind} (group, kind, plural and scope must match)`,
      );
  }
  const names = kinds.map((k) => k.version);
  if (new Set(names).size !== names.length)
    throw new InvalidKindError(`crdFor ${kind.kind}: version listed twice (${names.join(', ')})`);
  const storage = opts.storageVersion ?? (kinds.length === 1 ? kind.version : undefined);
  if (!storage || !names.includes(storage))
    throw new InvalidKindError(
      `crdFor ${kind.kind}: ${storage ? `storage version ${storage} is not among ${names.join(', ')}` : `choose the storage version among ${names.join(', ')} (storageVersion; with conversion, the hub)`}`,
    );
  const storageKind = kinds.find((k) => k.version === storage)!;
  const def = storageKind.definition;

  const crdNames: Schema = { kind: kind.kind, listKind: kind.listKind, plural: kind.plural, singular: kind.singular };
  if (def.shortNames?.length) crdNames.shortNames = [...def.shortNames];
  if (def.categories?.length) crdNames.categories = [...def.categories];

  const spec: Schema = {
    group: kind.group,
    names: crdNames,
    scope: kind.namespaced ? 'Namespaced' : 'Cluster',
    versions: kinds.map((k) => versionOf(k, k.version === storage)),
  };
  if (opts.conversion) {
    const clientConfig = clone(opts.conversion);
    if (clientConfig.service) clientConfig.service.path ??= '/convert';
    spec.conversion = { strategy: 'Webhook', webhook: { clientConfig, conversionReviewVersions: ['v1'] } };
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${kind.plural}.${kind.group}`,
      ...(def.apiApproval ? { annotations: { 'api-approved.kubernetes.io': def.apiApproval } } : {}),
    },
    spec,
  };
}
