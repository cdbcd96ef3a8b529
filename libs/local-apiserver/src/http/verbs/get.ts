import type { KubeObject, Obj } from '../../types.ts';
import { resourceVersionTooLarge } from '../../errors.ts';
import { validateListOptions } from '../../engine/list-options.ts';
import { negotiate } from '../negotiation.ts';
import { writeNegotiated } from '../responses.ts';
import { transformPartial } from '../partial-metadata.ts';
import { tableIncludeObject, type ResourceCall } from '../resource-call.ts';

/**
 * A get or list that names a resourceVersion the server has not reached waits for it, then
 * answers 504 ResourceVersionTooLarge (GET-3), as kube-apiserver does: never a silent answer from
 * an older state than the client has already seen. `0`, invalid RVs and continue pages go on to
 * the engine's own checks.
 */
async function waitForResourceVersion(call: ResourceCall): Promise<void> {
  const { deps, rr, lq } = call;
  const rv = lq.resourceVersion;
  if (rv === undefined || !/^\d+$/.test(rv) || rv === '0' || (!rr.name && lq.continue)) return;
  if (!rr.name) validateListOptions(lq, false);
  const requested = Number(rv);
  const store = deps.engine.store;
  if (requested <= store.currentRv) return;
  if (!(await store.whenReached(requested, deps.futureRvWaitMs)))
    throw resourceVersionTooLarge(requested, store.currentRv);
}

/** GET of an object, a collection or /scale, as JSON or YAML, a Table or PartialObjectMetadata (NEG-2, NEG-4). */
export async function serveGet(call: ResourceCall): Promise<void> {
  const { deps, req, res, rr, lq, q } = call;
  const { engine, modules } = deps;
  const { rt, namespace, name, subresource } = rr;
  const choice = negotiate(req.headers.accept, {
    tableAllowed: !!modules.table && subresource !== 'scale',
    custom: rt.origin === 'custom',
    builtinRoute: rt.origin === 'builtin',
  });
  await waitForResourceVersion(call);
  let body: KubeObject;
  if (!name) body = await engine.list(rt, namespace, lq);
  else if (subresource === 'scale') body = await engine.getScale(rt, namespace, name);
  else body = await engine.get(rt, namespace, name);
  if (choice.convert?.kind === 'Table' && modules.table) {
    const items = name
      ? [body]
      : (body.items as KubeObject[]).map((i) => ({ apiVersion: body.apiVersion, kind: rt.kind, ...i }));
    const meta = name ? { resourceVersion: body.metadata?.resourceVersion } : (body.metadata as Obj);
    const table = modules.table.toTable(rt, items, { includeObject: tableIncludeObject(q), listMeta: meta as never });
    return writeNegotiated(res, 200, table, choice.mediaType);
  }
  return writeNegotiated(res, 200, transformPartial(rt, body, choice, !name), choice.mediaType);
}
