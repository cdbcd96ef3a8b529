import type { KubeObject, ResourceType } from '../../types.ts';
import { StatusError, methodNotAllowed } from '../../errors.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { DeleteOptions, ListQuery, WriteOptions } from '../../engine/request-options.ts';
import { deleteObject, validateDeleteOptions } from './delete.ts';
import { listObjects } from './list.ts';

function requireVerb(rt: ResourceType, verb: string): void {
  if (verb === 'deletecollection' && !rt.verbs.includes('deletecollection')) throw methodNotAllowed();
}

/**
 * DC-1: the generic store's DeleteCollection lists with the request's list options, deletes
 * every listed item, and answers with the list as it was read: items as they were before their
 * deletion (no deletionTimestamp on one a finalizer keeps), encoded as a list encodes them
 * (built-in items without apiVersion/kind), a `limit` deleting one page and returning its continue.
 */
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
  const list = await listObjects(ctx, rt, namespace, q);
  for (const item of list.items as KubeObject[]) {
    try {
      await deleteObject(ctx, rt, item.metadata?.namespace ?? '', item.metadata!.name!, options, opts);
    } catch (e) {
      if (e instanceof StatusError && e.statusCode === 404) continue;
      throw e;
    }
  }
  return list;
}
