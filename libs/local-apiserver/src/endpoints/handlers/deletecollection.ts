import type { KubeObject, ResourceType } from '../../types.ts';
import { StatusError, methodNotAllowed } from '../../errors.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { DeleteOptions, ListQuery, WriteOptions } from '../../engine/request-options.ts';
import { apiVersionOf } from '../../engine/present.ts';
import { convertStored } from '../../engine/convert.ts';
import { matches, selectors } from '../../engine/selection.ts';
import { deleteObject, validateDeleteOptions } from './delete.ts';

function requireVerb(rt: ResourceType, verb: string): void {
  if (verb === 'deletecollection' && !rt.verbs.includes('deletecollection')) throw methodNotAllowed();
}

export async function deleteCollection(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  q: ListQuery,
  options: DeleteOptions,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  requireVerb(rt, 'deletecollection');
  validateDeleteOptions(options);
  const sel = selectors(rt, q);
  const items: KubeObject[] = [];
  const all = ctx.store.list(rt.storageKey, rt.namespaced ? namespace || undefined : undefined);
  await convertStored(ctx, rt, all);
  for (const o of all) {
    const presented = ctx.present(rt, o);
    if (!matches(rt, sel, rt.origin === 'custom' ? presented : o)) continue;
    try {
      const r = await deleteObject(ctx, rt, o.metadata?.namespace ?? '', o.metadata!.name!, options, opts);
      const body = r.body as KubeObject;
      items.push(body.kind === 'Status' ? presented : body);
    } catch (e) {
      if (e instanceof StatusError && e.statusCode === 404) continue;
      throw e;
    }
  }
  return {
    kind: rt.listKind,
    apiVersion: apiVersionOf(rt),
    // (A custom resource list is unstructured: an empty continue stays, as in listObjects.)
    metadata: { resourceVersion: String(ctx.store.currentRv), ...(rt.origin === 'custom' ? { continue: '' } : {}) },
    items,
  };
}
