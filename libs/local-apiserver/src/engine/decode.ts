import type { FieldError, KubeObject, ResourceType } from '../types.ts';
import { badRequest, invalid } from '../errors.ts';
import { assertStorableDepth, clone } from '../store/object-store.ts';
import type { EngineContext } from './engine-context.ts';
import type { WriteOptions } from './request-options.ts';
import { isObj } from './object-values.ts';
import { apiVersionOf } from './present.ts';

/** CR-7 type checks, unknown-field pruning (FV-1) and copy of the request body. */
export function decode(ctx: EngineContext, rt: ResourceType, body: unknown, opts: WriteOptions): KubeObject {
  if (!isObj(body))
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the body must be a JSON object`,
    );
  assertStorableDepth(body);
  const obj = clone(body) as KubeObject;
  const expectedApiVersion = apiVersionOf(rt);
  if (rt.origin === 'custom') {
    if (!obj.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    const errs: FieldError[] = [];
    if (obj.kind !== rt.kind)
      errs.push({ type: 'FieldValueInvalid', field: 'kind', value: obj.kind, detail: `must be ${rt.kind}` });
    if (obj.apiVersion !== expectedApiVersion) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'apiVersion',
        value: obj.apiVersion ?? '',
        detail: `must be ${expectedApiVersion}`,
      });
    }
    if (errs.length) throw invalid(rt, obj.metadata?.name ?? '', errs);
    const schema = ctx.registry.schema(rt);
    if (schema) {
      const pruned = schema.prune(obj);
      handleUnknownFields(rt, pruned, opts);
    }
  } else {
    if (obj.apiVersion && obj.apiVersion !== expectedApiVersion) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectedApiVersion})`,
      );
    }
    if (obj.kind && obj.kind !== rt.kind) {
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the kind in the data (${obj.kind}) does not match the expected kind`,
      );
    }
    obj.apiVersion = expectedApiVersion;
    obj.kind = rt.kind;
  }
  if (obj.metadata !== undefined && !isObj(obj.metadata)) {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: metadata must be an object`,
    );
  }
  obj.metadata ??= {};
  const md = obj.metadata;
  delete md.selfLink;
  delete md.managedFields;
  return obj;
}

export function handleUnknownFields(rt: ResourceType, paths: string[], opts: WriteOptions): void {
  if (paths.length === 0) return;
  const mode = opts.fieldValidation ?? 'Warn';
  if (mode === 'Strict') {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${paths.map((p) => `unknown field "${p}"`).join(', ')}`,
    );
  }
  if (mode === 'Warn') for (const p of paths) opts.warnings?.push(`unknown field "${p}"`);
}
