import type { KubeObject, ResourceType } from '../types.ts';
import { clone } from '../store/object-store.ts';
import type { EngineContext } from './engine-context.ts';
import { convertedForPresent } from './convert.ts';
import { goEncode, structOfKind } from '../typed/go-json.ts';

/** The Go struct of a built-in object, from its own apiVersion and kind. */
function structOf(obj: KubeObject): string | undefined {
  const av = obj.apiVersion ?? '';
  return structOfKind(av.includes('/') ? av.slice(0, av.indexOf('/')) : '', obj.kind ?? '');
}

export function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** A stored object as the given type/version serves it (copy, converted, defaulted on read). */
export function presentObject(ctx: EngineContext, rt: ResourceType, stored: KubeObject): KubeObject {
  const strategy = ctx.registry.strategy(rt);
  let out = clone(convertedForPresent(rt, stored) ?? stored);
  out.apiVersion ??= apiVersionOf(rt);
  if (strategy.fromStorage) {
    out = strategy.fromStorage(out, rt);
    // Converted to another type than it is stored as (events.k8s.io Events): encoded as that type.
    const struct = rt.origin === 'builtin' ? structOfKind(rt.group, rt.kind) : undefined;
    if (struct) out = goEncode({ ...out, apiVersion: apiVersionOf(rt), kind: rt.kind }, struct) as KubeObject;
  }
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
  let out = strategy.toStorage ? strategy.toStorage(obj) : obj;
  if (rt.origin === 'custom') out.apiVersion = `${rt.group}/${ctx.registry.storageVersion(rt)}`;
  else {
    // Stored as Go would encode the struct: empty omitempty fields gone, the others there.
    const struct = structOf(out);
    if (struct) out = goEncode(out, struct) as KubeObject;
  }
  return out;
}
