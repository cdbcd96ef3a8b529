import type { KubeObject, ResourceType } from '../../types.ts';
import { notFound } from '../../errors.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import { presentConverted } from '../../engine/convert.ts';

export function getStored(ctx: EngineContext, rt: ResourceType, namespace: string, name: string): KubeObject {
  const o = ctx.store.get(rt.storageKey, rt.namespaced ? namespace : '', name);
  if (!o || (rt.namespaced && !namespace)) throw notFound(rt, name);
  return o;
}

export function getObject(ctx: EngineContext, rt: ResourceType, namespace: string, name: string): Promise<KubeObject> {
  return presentConverted(ctx, rt, getStored(ctx, rt, namespace, name));
}
