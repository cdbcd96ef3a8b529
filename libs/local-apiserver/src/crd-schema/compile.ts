/**
 * One CRD version's schema prepared for the request pipeline (CompiledSchema in types.ts). The
 * server runs, per write: prune → applyDefaults → (mutating admission → prune → applyDefaults)
 * → validate; and applyDefaults again on every read, so that a default added to the schema
 * later shows up without rewriting storage (CRD-P-2).
 */
import type { CompiledSchema, FieldError, JsonSchemaProps, KubeObject } from '../types.ts';
import { defaultResource } from './defaults.ts';
import { pruneResource } from './prune.ts';
import { isObject, validateValue } from './validate.ts';

export function compileSchema(openAPIV3Schema: JsonSchemaProps | undefined): CompiledSchema {
  const schema = openAPIV3Schema ? structuredClone(openAPIV3Schema) : undefined;
  const statusSchema = schema?.properties?.status;
  return {
    validate(obj: KubeObject, ctx): FieldError[] {
      if (!schema) return [];
      if (ctx.subresource === 'status') {
        // CRD-VAL-3: the status schema is validated on its own, so the text says `num in body`
        // while the field is `status.num`.
        if (!statusSchema || obj.status === undefined) return [];
        const old = isObject(ctx.old) ? ctx.old.status : undefined;
        return validateValue(statusSchema, obj.status, { fieldPrefix: 'status', old });
      }
      return validateValue(schema, withoutMetadata(obj, schema), {
        old: ctx.old ? withoutMetadata(ctx.old, schema) : undefined,
      });
    },
    applyDefaults(obj: KubeObject): void {
      defaultResource(obj, schema);
    },
    prune(obj: KubeObject): string[] {
      if (!schema) return [];
      return pruneResource(obj, schema);
    },
  };
}

/**
 * ObjectMeta is validated by the generic metadata rules, not by the schema; only what the schema
 * may say about metadata (name and generateName restrictions) is checked here.
 */
function withoutMetadata(obj: KubeObject, schema: JsonSchemaProps): Record<string, unknown> {
  const { metadata, ...rest } = obj;
  const metaSchema = schema.properties?.metadata;
  if (!metaSchema?.properties || !isObject(metadata)) return rest;
  const kept: Record<string, unknown> = {};
  for (const k of ['name', 'generateName']) if (metadata[k] !== undefined) kept[k] = metadata[k];
  return { ...rest, metadata: kept };
}
