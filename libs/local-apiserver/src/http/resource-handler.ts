import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest, methodNotAllowed, notFound, resourceNotFound } from '../errors.ts';
import type { HandlerDeps } from './handler-deps.ts';
import type { ResourceRequest } from './resource-path.ts';
import { tableIncludeObject, type ResourceCall } from './resource-call.ts';
import { listQuery } from './query-options.ts';
import { negotiateWatch } from './negotiation.ts';
import { serveGet } from './verbs/get.ts';
import { serveCreate } from './verbs/create.ts';
import { serveUpdate } from './verbs/update.ts';
import { servePatch } from './verbs/patch.ts';
import { serveDelete } from './verbs/delete.ts';
import { serveWatch } from './verbs/watch.ts';

/**
 * A request to a resource path: the checks every verb shares (a namespace where one is needed,
 * known subresources), then the verb's handler in verbs/.
 */
export async function handleResource(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  rr: ResourceRequest,
  q: URLSearchParams,
): Promise<void> {
  const { rt, namespace, name, subresource } = rr;
  // HEAD is not among the routes the real server installs for resources: 405.
  const method = req.method ?? 'GET';
  const lq = listQuery(q);
  const isWatch = rr.watchPrefix || (!name && method === 'GET' && lq.watch === true);
  // Namespaced resources need a namespace for everything except list/watch (URL-1, URL-6).
  if (rt.namespaced && !namespace && (name || (method !== 'GET' && method !== 'HEAD'))) {
    // POST /api/v1/configmaps: the collection route exists (list across namespaces), the verb not.
    if (!name && !subresource && method === 'POST') throw methodNotAllowed();
    throw resourceNotFound();
  }
  if (rr.watchPrefix && (method !== 'GET' || subresource)) {
    if (method !== 'GET' && !subresource) throw methodNotAllowed();
    throw resourceNotFound();
  }
  if (subresource) {
    const known =
      (subresource === 'status' && rt.subresources.status) ||
      (subresource === 'scale' && !!rt.subresources.scale) ||
      (subresource === 'finalize' && !!rt.subresources.finalize);
    if (!known) {
      if (rt.origin === 'custom') throw notFound(rt, name);
      throw resourceNotFound();
    }
  }

  if (isWatch) {
    if (rr.watchPrefix && name) {
      const fs = lq.fieldSelector ? `${lq.fieldSelector},metadata.name=${name}` : `metadata.name=${name}`;
      if (lq.fieldSelector && /(^|,)metadata\.name==?([^,]*)/.test(lq.fieldSelector)) {
        const m = /(^|,)metadata\.name==?([^,]*)/.exec(lq.fieldSelector)!;
        if (m[2] !== name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
      }
      lq.fieldSelector = fs;
    }
    const choice = negotiateWatch(req.headers.accept, {
      tableAllowed: !!deps.modules.table,
      custom: rt.origin === 'custom',
    });
    const includeObject = choice.convert?.kind === 'Table' && deps.modules.table ? tableIncludeObject(q) : 'Metadata';
    return serveWatch(deps, req, res, rt, namespace, lq, choice, includeObject);
  }

  const call: ResourceCall = { deps, req, res, rr, q, lq, warnings: [] };
  try {
    return await serveVerb(call, method);
  } catch (e) {
    if (e instanceof StatusError) e.warnings.push(...call.warnings);
    throw e;
  }
}

function serveVerb(call: ResourceCall, method: string): Promise<void> {
  switch (method) {
    case 'GET':
      return serveGet(call);
    case 'POST':
      return serveCreate(call);
    case 'PUT':
      return serveUpdate(call);
    case 'PATCH':
      return servePatch(call);
    case 'DELETE':
      return serveDelete(call);
    default:
      throw methodNotAllowed();
  }
}
