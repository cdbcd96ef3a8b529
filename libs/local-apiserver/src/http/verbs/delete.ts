import { methodNotAllowed, unsupportedMediaType } from '../../errors.ts';
import { mediaType, readBody } from '../request-body.ts';
import { RESPONSE_TYPES } from '../negotiation.ts';
import { deleteOptions, writeOptions } from '../query-options.ts';
import { writeJson } from '../responses.ts';
import type { ResourceCall } from '../resource-call.ts';

/** DELETE of an object, or of a collection (deletecollection). */
export async function serveDelete(call: ResourceCall): Promise<void> {
  const { deps, req, res, rr, q, lq, warnings } = call;
  const { engine } = deps;
  const { rt, namespace, name, subresource } = rr;
  if (subresource) throw methodNotAllowed();
  const buf = await readBody(req);
  // DeleteOptions in a body are read as JSON only when said so (never a cross-site Blob).
  if (buf.length > 0 && !['application/json', 'application/yaml'].includes(mediaType(req)))
    throw unsupportedMediaType(RESPONSE_TYPES);
  const options = deleteOptions(buf, q);
  const opts = writeOptions(q, warnings, 'DeleteOptions');
  if (options.dryRun?.includes('All')) opts.dryRun = true;
  if (!name) {
    if (!rt.verbs.includes('deletecollection')) throw methodNotAllowed();
    return writeJson(
      res,
      200,
      await engine.deleteCollection(rt, namespace, lq, options, opts),
      'application/json',
      warnings,
    );
  }
  const r = await engine.delete(rt, namespace, name, options, opts);
  return writeJson(res, r.code, r.body, 'application/json', warnings);
}
