/**
 * Pruning of unknown fields (CRD-P-1), as apiextensions' structural pruning does it: every
 * field the schema does not declare is dropped unless `x-kubernetes-preserve-unknown-fields`
 * covers it; pruning resumes under properties declared inside a preserved subtree. Resource
 * roots (the object itself and `x-kubernetes-embedded-resource` nodes) keep `apiVersion`,
 * `kind` and `metadata`; their `metadata` loses fields ObjectMeta does not have. The returned
 * paths feed `fieldValidation` (Warn → `Warning: 299` headers, Strict → 400).
 */
import type { JsonSchemaProps } from '../types.ts';
import { isObject } from './validate.ts';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** ObjectMeta's JSON fields in Go's struct order (the order an encoded object has them). */
export const OBJECT_META_ORDER: readonly string[] = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** ObjectMeta's JSON fields; anything else under a resource's `metadata` is unknown. */
export const OBJECT_META_FIELDS = new Set(OBJECT_META_ORDER);

type Node = JsonSchemaProps & {
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
};

interface PruneState {
  pruned: string[];
  metaPruned: string[];
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function additional(s: Node): Node | undefined {
  if (isObject(s.additionalProperties)) return s.additionalProperties as Node;
  if (s.additionalProperties === true) return { 'x-kubernetes-preserve-unknown-fields': true };
  return undefined;
}

function pruneMetadata(meta: unknown, path: string, st: PruneState): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(k)) {
      delete meta[k];
      st.metaPruned.push(join(join(path, 'metadata'), k));
    }
  }
}

function prune(x: unknown, s: Node | undefined, path: string, st: PruneState): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, path, st);
    return;
  }
  if (isObject(x)) {
    const embedded = s?.['x-kubernetes-embedded-resource'];
    if (embedded) pruneMetadata(x.metadata, path, st);
    const extra = s ? additional(s) : undefined;
    for (const k of Object.keys(x)) {
      if (embedded && META_FIELDS.has(k)) continue;
      const prop = s?.properties?.[k] as Node | undefined;
      if (prop) prune(x[k], prop, join(path, k), st);
      else if (extra) prune(x[k], extra, join(path, k), st);
      else {
        st.pruned.push(join(path, k));
        delete x[k];
      }
    }
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => prune(item, s?.items as Node | undefined, `${path}[${i}]`, st));
  }
}

function skipPrune(x: unknown, s: Node, path: string, st: PruneState): void {
  if (isObject(x)) {
    if (s['x-kubernetes-embedded-resource']) pruneMetadata(x.metadata, path, st);
    for (const k of Object.keys(x)) {
      if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) continue;
      const prop = s.properties?.[k] as Node | undefined;
      const extra = isObject(s.additionalProperties) ? (s.additionalProperties as Node) : undefined;
      if (prop) prune(x[k], prop, join(path, k), st);
      else if (extra) prune(x[k], extra, join(path, k), st);
    }
  } else if (Array.isArray(x) && s.items) {
    x.forEach((item, i) => skipPrune(item, s.items as Node, `${path}[${i}]`, st));
  }
}

/**
 * Prune `obj` (a whole resource) in place and return the removed paths: schema paths sorted,
 * then metadata paths, the order in which the real server emits its warnings.
 */
/** The schema as a resource root, made once per compiled schema (they never change). */
const resourceRoots = new WeakMap<JsonSchemaProps, Node>();
const NO_SCHEMA_ROOT: Node = { 'x-kubernetes-embedded-resource': true };

export function pruneResource(obj: unknown, schema: JsonSchemaProps | undefined): string[] {
  let root = schema ? resourceRoots.get(schema) : NO_SCHEMA_ROOT;
  if (!root) resourceRoots.set(schema!, (root = { ...schema, 'x-kubernetes-embedded-resource': true }));
  const st: PruneState = { pruned: [], metaPruned: [] };
  prune(obj, root, '', st);
  return [...st.pruned.sort(), ...st.metaPruned];
}
