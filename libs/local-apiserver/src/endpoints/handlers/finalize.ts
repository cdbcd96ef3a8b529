import type { KubeObject, ResourceType } from '../../types.ts';
import { conflict } from '../../errors.ts';
import { clone } from '../../store/object-store.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { WriteOptions } from '../../engine/request-options.ts';
import type { Obj } from '../../engine/object-values.ts';
import { getObject, getStored } from './get.ts';

/**
 * PUT /api/v1/namespaces/{name}/finalize (FIN-1): only spec.finalizers changes; a Terminating
 * namespace left with none is deleted by the namespace controller.
 */
export async function finalizeNamespace(
  ctx: EngineContext,
  rt: ResourceType,
  name: string,
  body: unknown,
  opts: WriteOptions,
): Promise<KubeObject> {
  const cur = await getObject(ctx, rt, '', name);
  const next = {
    ...cur,
    spec: {
      ...((cur.spec as Obj) ?? {}),
      finalizers: ((body as Obj).spec as Obj | undefined)?.finalizers ?? [],
    },
  } as KubeObject;
  next.metadata = {
    ...cur.metadata,
    resourceVersion: (body as KubeObject).metadata?.resourceVersion ?? cur.metadata!.resourceVersion,
  };
  const nsType = ctx.registry.find('', 'v1', 'namespaces')!;
  const stored = getStored(ctx, nsType, '', next.metadata!.name!);
  if (next.metadata!.resourceVersion !== stored.metadata!.resourceVersion) throw conflict(nsType, next.metadata!.name!);
  const updated = clone(stored) as KubeObject;
  updated.spec = { ...((stored.spec as Obj) ?? {}), finalizers: (next.spec as Obj).finalizers };
  const fins = ((updated.spec as Obj).finalizers as string[] | undefined) ?? [];
  if (fins.length === 0) delete (updated.spec as Obj).finalizers;
  if (opts.dryRun) return ctx.present(nsType, updated);
  // A Terminating namespace left without finalizers is deleted by the namespace controller, as
  // kube-controller-manager's deletes it after its finalize call.
  return ctx.present(nsType, ctx.store.update(nsType.storageKey, updated));
}
