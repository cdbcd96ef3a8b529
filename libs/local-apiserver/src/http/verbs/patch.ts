import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest, methodNotAllowed, unsupportedMediaType } from '../../errors.ts';
import { mediaType, readBody } from '../request-body.ts';
import { writeOptions } from '../query-options.ts';
import type { FieldError } from '../../types.ts';
import { writeJson } from '../responses.ts';
import { PATCH_TYPES } from '../../engine/request-options.ts';
import { decodePatchBody } from '../../patch/patch-body.ts';
import type { ResourceCall } from '../resource-call.ts';

/** PATCH of an object, its /status or /scale (json, merge, strategic merge; apply is refused by the engine). */
export async function servePatch(call: ResourceCall): Promise<void> {
  const { deps, req, res, rr, q, warnings } = call;
  const { engine } = deps;
  const { rt, namespace, name, subresource } = rr;
  if (!name) throw methodNotAllowed();
  if (subresource === 'finalize') throw methodNotAllowed();
  const type = mediaType(req);
  const types = engine.supportedPatchTypes(rt);
  if (!types.includes(type)) {
    // Built-ins are routed by go-restful, whose Consumes check answers before the patch handler's
    // own (which custom resources reach): a bare `415: Unsupported Media Type` with empty
    // details (kube-apiserver v1.36.2, conformance case `patch/patch-content-types`).
    if (rt.origin !== 'custom') throw new StatusError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
    throw unsupportedMediaType(types);
  }
  const buf = await readBody(req);
  // PatchOptions are validated before the patch is decoded, as kube-apiserver's PatchResource does.
  const leading: FieldError[] =
    q.has('force') && type !== PATCH_TYPES.apply
      ? [{ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' }]
      : [];
  const opts = writeOptions(q, warnings, 'PatchOptions', leading);
  let patch: unknown;
  let fieldProblems: string[] = [];
  if (type === PATCH_TYPES.apply) {
    try {
      patch = parseYaml(buf.toString('utf8'));
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
  } else {
    const kind = type === PATCH_TYPES.json ? 'json' : type === PATCH_TYPES.merge ? 'merge' : 'strategic';
    ({ patch, fieldProblems } = decodePatchBody(kind, buf.toString('utf8')));
  }
  if (subresource === 'scale')
    return writeJson(
      res,
      200,
      await engine.patchScale(rt, namespace, name, type, patch, opts),
      'application/json',
      warnings,
    );
  const out = await engine.patch(rt, namespace, name, type, patch, subresource as '' | 'status', opts, fieldProblems);
  return writeJson(res, 200, out, 'application/json', warnings);
}
