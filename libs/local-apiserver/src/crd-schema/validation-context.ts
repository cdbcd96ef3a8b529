/** What the validators of validate.ts and validate-scalars.ts share: the schema node shape, the error sink, kube-openapi's field naming. */
import type { FieldError, JsonSchemaProps } from '../types.ts';

export type Json = unknown;

export interface Ctx {
  errors: FieldError[];
  /** Field prefix the real server puts before error names (`status` for /status writes). */
  fieldPrefix: string;
}

/** A schema with its x-kubernetes extensions read into plain fields. */
export type Node = JsonSchemaProps & {
  nullable?: boolean;
  enum?: Json[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  allOf?: Node[];
  anyOf?: Node[];
  oneOf?: Node[];
  not?: Node;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
};

/** kube-openapi error name → the field path apiextensions reports. */
export function fieldOf(ctx: Ctx, name: string): string {
  const trimmed = name.startsWith('.') ? name.slice(1) : name;
  if (trimmed === '') return ctx.fieldPrefix || '<nil>';
  return ctx.fieldPrefix ? `${ctx.fieldPrefix}.${trimmed}` : trimmed;
}

/** `<name> in body` as kube-openapi prints it (root errors have an empty name). */
export function inBody(name: string): string {
  return `${name} in body`;
}

export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function invalid(ctx: Ctx, name: string, value: Json, detail: string): void {
  ctx.errors.push({ type: 'FieldValueInvalid', field: fieldOf(ctx, name), value, detail });
}

/** Errors kube-openapi returns as plain errors land on the prefix path with an empty value. */
export function plainError(ctx: Ctx, detail: string): void {
  ctx.errors.push({ type: 'FieldValueInvalid', field: ctx.fieldPrefix || '<nil>', value: '', detail });
}
