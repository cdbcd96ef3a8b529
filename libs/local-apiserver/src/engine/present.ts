import type { KubeObject, ResourceType } from '../types.ts';
import { clone } from '../store/object-store.ts';
import type { EngineContext } from './engine-context.ts';
import { convertedForPresent } from './convert.ts';

export function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** A stored object as the given type/version serves it (copy, converted, defaulted on read). */
export function presentObject(ctx: EngineContext, rt: ResourceType, stored: KubeObject): KubeObject {
  const strategy = ctx.registry.strategy(rt);
  let out = clone(convertedForPresent(rt, stored) ?? stored);
  if (strategy.fromStorage) out = strategy.fromStorage(out, rt);
  out.apiVersion = apiVersionOf(rt);
  out.kind = rt.kind;
  const schema = ctx.registry.schema(rt);
  if (schema) schema.applyDefaults(out);
  // apiVersion/kind first, as the real server serializes them.
  const { apiVersion, kind, ...rest } = out;
  return { apiVersion, kind, ...rest };
}

export function toStorage(ctx: EngineContext, rt: ResourceType, obj: KubeObject): KubeObject {
  const strategy = ctx.registry.strategy(rt);
  const out = strategy.toStorage ? strategy.toStorage(obj) : obj;
  if (rt.origin === 'custom') out.apiVersion = `${rt.group}/${ctx.registry.storageVersion(rt)}`;
  return out;
}
