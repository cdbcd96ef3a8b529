import { methodNotAllowed } from '../../errors.ts';
import { readTypedBody } from '../request-body.ts';
import { writeOptions } from '../query-options.ts';
import { writeJson } from '../responses.ts';
import type { ResourceCall } from '../resource-call.ts';

/** PUT of an object, its /status, /scale or a namespace's /finalize. */
export async function serveUpdate(call: ResourceCall): Promise<void> {
  const { deps, req, res, rr, q, warnings } = call;
  const { engine } = deps;
  const { rt, namespace, name, subresource } = rr;
  if (!name) throw methodNotAllowed();
  const body = await readTypedBody(req, rt, subresource === 'scale');
  const opts = writeOptions(q, warnings, 'UpdateOptions');
  if (subresource === 'scale')
    return writeJson(res, 200, await engine.updateScale(rt, namespace, name, body, opts), 'application/json', warnings);
  if (subresource === 'finalize') {
    const out = await engine.finalizeNamespace(rt, name, body, opts);
    return writeJson(res, 200, out, 'application/json', warnings);
  }
  const updated = await engine.update(rt, namespace, name, body, subresource as '' | 'status', opts);
  return writeJson(res, 200, updated, 'application/json', warnings);
}
