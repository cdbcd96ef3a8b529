/**
 * Defaulting of custom resources (CRD-P-2, CRD-P-3), as apiextensions' structural defaulting
 * does it: first nulls are dropped where the schema neither allows null (`nullable`) nor has a
 * default, then absent fields (and disallowed nulls) get a deep copy of their `default`, and
 * defaulting recurses into what is there — including values that were just defaulted, so a
 * `default: {}` object picks up its children's defaults. Defaults never create a parent that
 * does not exist.
 */
import type { JsonSchemaProps } from '../types.ts';
import { isObject } from './validate.ts';

type Node = JsonSchemaProps & { nullable?: boolean; default?: unknown };

function additional(s: Node): Node | undefined {
  return isObject(s.additionalProperties) ? (s.additionalProperties as Node) : undefined;
}

function pruneNulls(x: unknown, s: Node | undefined): void {
  if (!s) return;
  if (isObject(x)) {
    for (const k of Object.keys(x)) {
      const prop = (s.properties?.[k] as Node | undefined) ?? additional(s);
      if (!prop) continue;
      if (x[k] === null && !prop.nullable && prop.default === undefined) delete x[k];
      else pruneNulls(x[k], prop);
    }
  } else if (Array.isArray(x)) {
    for (const item of x) pruneNulls(item, s.items as Node | undefined);
  }
}

/** Whether a schema node or anything below it declares a default (schemas are trees, never changed once compiled). */
const declaresDefault = new WeakMap<Node, boolean>();

function hasDefault(s: Node): boolean {
  let has = declaresDefault.get(s);
  if (has !== undefined) return has;
  has = s.default !== undefined;
  if (!has && s.properties) for (const k of Object.keys(s.properties)) has ||= hasDefault(s.properties[k] as Node);
  const extra = additional(s);
  if (!has && extra) has = hasDefault(extra);
  if (!has && isObject(s.items)) has = hasDefault(s.items as Node);
  declaresDefault.set(s, has);
  return has;
}

function applyDefaults(x: unknown, s: Node | undefined): void {
  // Most schemas declare few defaults or none: subtrees without one are not walked (this runs on
  // every write and every read).
  if (!s || !hasDefault(s)) return;
  if (isObject(x)) {
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      const prop = p as Node;
      if (prop.default === undefined) continue;
      if (!Object.hasOwn(x, k) || (x[k] === null && !prop.nullable)) x[k] = structuredClone(prop.default);
    }
    for (const k of Object.keys(x)) {
      const prop =
        (s.properties?.[k] as Node | undefined) ??
        (s.properties && Object.hasOwn(s.properties, k) ? undefined : additional(s));
      applyDefaults(x[k], prop);
    }
  } else if (Array.isArray(x)) {
    const items = s.items as Node | undefined;
    if (!items) return;
    x.forEach((item, i) => {
      if (item === null && items.default !== undefined && !items.nullable) x[i] = structuredClone(items.default);
      applyDefaults(x[i], items);
    });
  }
}

/** Drop disallowed nulls and apply defaults to `obj` in place. */
export function defaultResource(obj: unknown, schema: JsonSchemaProps | undefined): void {
  if (!schema) return;
  pruneNulls(obj, schema as Node);
  applyDefaults(obj, schema as Node);
}
