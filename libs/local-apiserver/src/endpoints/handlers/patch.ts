import type { KubeObject, ResourceType } from '../../types.ts';
import { StatusError, badRequest, unsupportedMediaType } from '../../errors.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import { PATCH_TYPES, type WriteOptions } from '../../engine/request-options.ts';
import { isObj } from '../../engine/object-values.ts';
import { applyMergePatch } from '../../patch/merge-patch.ts';
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from '../../patch/json-patch.ts';
import { applyStrategicMergePatch, smpSchemaFor, StrategicMergePatchError } from '../../patch/strategic-merge-patch.ts';
import { assertStorableDepth } from '../../store/object-store.ts';
import { getObject } from './get.ts';
import type { PatchInvalid } from '../../engine/decode.ts';
import { patchedObjectText, patchInvalid } from '../../patch/patch-invalid.ts';
import { goSprint } from '../../crd-schema/go-format.ts';
import { updateObject } from './update.ts';

export function supportedPatchTypes(rt: ResourceType): string[] {
  return rt.origin === 'custom'
    ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply]
    : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply];
}

/**
 * Applies a patch document (as decodePatchBody returns it: JSON patch operations, or an object)
 * to an object in its served form.
 */
export function applyPatch(rt: ResourceType, current: KubeObject, contentType: string, patch: unknown): KubeObject {
  let result: unknown;
  // Patch algorithms recurse over the document: a deep one is refused before they walk it.
  assertStorableDepth(patch);
  try {
    if (contentType === PATCH_TYPES.json) {
      if (!Array.isArray(patch))
        throw badRequest(
          'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
        );
      if (patch.length > 10000) {
        throw new StatusError(
          413,
          'RequestEntityTooLarge',
          `The allowed maximum operations in a JSON patch is 10000, got ${patch.length}`,
        );
      }
      result = applyJsonPatch(current, patch as JsonPatchOperation[]);
    } else if (contentType === PATCH_TYPES.merge) {
      if (!isObj(patch)) throw badRequest('error decoding patch: the patch must be a JSON object');
      result = applyMergePatch(current, patch);
    } else {
      // A strategic merge patch of null changes nothing (kube-apiserver v1.36.2).
      if (patch === null) return current;
      if (!isObj(patch)) throw badRequest('error decoding patch: the patch must be a JSON object');
      result = applyStrategicMergePatch(current, patch, smpSchemaFor(rt.group, rt.kind));
    }
  } catch (e) {
    // PATCH-4: kube-apiserver answers a JSON patch that cannot be applied with a generic 422
    // whose details are empty (errors.NewGenericServerResponse: the library's reason is dropped).
    if (e instanceof JsonPatchError)
      throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    if (e instanceof StrategicMergePatchError) {
      throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
        causes: [{ reason: 'FieldValueInvalid', message: e.message }],
      });
    }
    throw e;
  }
  if (!isObj(result))
    throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request');
  return result as KubeObject;
}

export async function patchObject(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  contentType: string,
  patch: unknown,
  subresource: '' | 'status',
  opts: WriteOptions = {},
  fieldProblems: readonly string[] = [],
): Promise<KubeObject> {
  const types = supportedPatchTypes(rt);
  if (!types.includes(contentType)) throw unsupportedMediaType(types);
  if (contentType === PATCH_TYPES.apply) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'server-side apply (application/apply-patch+yaml) is not supported by local-apiserver; use client-side apply or a json, merge or strategic merge patch',
    );
  }
  const current = await getObject(ctx, rt, namespace, name);
  const patched = applyPatch(rt, current, contentType, patch);
  // PATCH-7: a result that does not decode is a 422 naming the patch (strategic merge: the patch
  // as Go prints a map, and the unstructured converter's words) or the patched object.
  const invalidFor: PatchInvalid = (detail, converterDetail) =>
    contentType === PATCH_TYPES.strategic
      ? patchInvalid(goSprint(patch), converterDetail ?? detail)
      : patchInvalid(patchedObjectText(patched, contentType, patch), detail);
  if (fieldProblems.length) {
    const mode = opts.fieldValidation ?? 'Warn';
    if (mode === 'Strict') throw invalidFor(`strict decoding error: ${fieldProblems.join(', ')}`);
    if (mode === 'Warn') opts.warnings?.push(...fieldProblems);
  }
  return updateObject(ctx, rt, namespace, name, patched, subresource, opts, true, invalidFor);
}
