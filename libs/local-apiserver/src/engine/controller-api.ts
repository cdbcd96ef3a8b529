import type { ControllerApi, GroupVersionResource, ResourceType } from '../types.ts';
import { notFound } from '../errors.ts';
import type { EngineContext } from './engine-context.ts';
import { PATCH_TYPES } from './request-options.ts';
import { createObject } from '../endpoints/handlers/create.ts';
import { updateObject } from '../endpoints/handlers/update.ts';
import { patchObject } from '../endpoints/handlers/patch.ts';
import { deleteObject } from '../endpoints/handlers/delete.ts';

function typeFor(ctx: EngineContext, gvr: GroupVersionResource): ResourceType {
  const rt = ctx.registry.find(gvr.group, gvr.version, gvr.resource);
  if (!rt) throw notFound({ group: gvr.group, plural: gvr.resource }, '');
  return rt;
}

export function controllerApi(ctx: EngineContext): ControllerApi {
  return {
    resourceTypes: () => ctx.registry.all(),
    get: (gvr, namespace, name) => {
      const rt = typeFor(ctx, gvr);
      const o = ctx.store.get(rt.storageKey, rt.namespaced ? namespace : '', name);
      return o ? ctx.present(rt, o) : undefined;
    },
    list: (gvr, namespace) => {
      const rt = typeFor(ctx, gvr);
      return ctx.store
        .list(rt.storageKey, rt.namespaced ? namespace || undefined : undefined)
        .map((o) => ctx.present(rt, o));
    },
    create: (gvr, obj) => {
      const rt = typeFor(ctx, gvr);
      return createObject(ctx, rt, obj.metadata?.namespace ?? '', obj);
    },
    update: (gvr, obj, o) => {
      const rt = typeFor(ctx, gvr);
      return updateObject(ctx, rt, obj.metadata?.namespace ?? '', obj.metadata!.name!, obj, o?.subresource ?? '');
    },
    mergePatch: (gvr, namespace, name, patch, o) => {
      const rt = typeFor(ctx, gvr);
      return patchObject(ctx, rt, namespace, name, PATCH_TYPES.merge, patch, o?.subresource ?? '');
    },
    delete: async (gvr, namespace, name, o) => {
      const rt = typeFor(ctx, gvr);
      await deleteObject(ctx, rt, namespace, name, {
        ...(o?.propagationPolicy ? { propagationPolicy: o.propagationPolicy } : {}),
        ...(o?.preconditions ? { preconditions: o.preconditions } : {}),
      });
    },
    onChange: (listener) => ctx.store.subscribe(listener),
  };
}
