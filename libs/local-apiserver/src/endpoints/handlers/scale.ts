import type { KubeObject, ResourceType } from '../../types.ts';
import { badRequest, conflict, invalid, notFound, unsupportedMediaType } from '../../errors.ts';
import { clone } from '../../store/object-store.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import { PATCH_TYPES, type WriteOptions } from '../../engine/request-options.ts';
import { isObj, type Obj } from '../../engine/object-values.ts';
import { getObject } from './get.ts';
import { updateObject } from './update.ts';
import { applyPatch, supportedPatchTypes } from './patch.ts';

function readPath(o: unknown, path: string): unknown {
  let cur = o;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function writePath(o: Obj, path: string, v: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    if (!isObj(cur[p])) cur[p] = {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]] = v;
}

/** autoscaling/v1 Scale view of an object (SC-1). */
export async function getScale(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  name: string,
): Promise<KubeObject> {
  const scale = rt.subresources.scale;
  if (!scale) throw notFound(rt, name);
  const o = await getObject(ctx, rt, namespace, name);
  const md = o.metadata!;
  let selector = '';
  if (rt.origin === 'builtin') {
    const sel = (o.spec as Obj | undefined)?.selector as { matchLabels?: Record<string, string> } | undefined;
    selector = Object.entries(sel?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  } else if (scale.labelSelectorPath) {
    const s = readPath(o, scale.labelSelectorPath);
    selector = typeof s === 'string' ? s : '';
  }
  const specReplicas = readPath(o, scale.specReplicasPath);
  const statusReplicas = readPath(o, scale.statusReplicasPath);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: md.name,
      ...(md.namespace ? { namespace: md.namespace } : {}),
      uid: md.uid,
      resourceVersion: md.resourceVersion,
      creationTimestamp: md.creationTimestamp,
    },
    // ScaleSpec.replicas is `int32 ,omitempty`: zero replicas is `spec: {}`.
    spec: typeof specReplicas === 'number' && specReplicas !== 0 ? { replicas: specReplicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector ? { selector } : {}) },
  };
}

export async function updateScale(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  body: unknown,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  const scale = rt.subresources.scale;
  if (!scale) throw notFound(rt, name);
  if (!isObj(body)) throw badRequest('Scale body must be a JSON object');
  const md = (body.metadata ?? {}) as Obj;
  const current = await getObject(ctx, rt, namespace, name);
  // An absent spec.replicas is Go's zero value.
  const replicas = (body.spec as Obj | undefined)?.replicas ?? 0;
  if (typeof replicas !== 'number' || replicas < 0) {
    throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        value: replicas ?? null,
        detail: 'must be greater than or equal to 0',
      },
    ]);
  }
  if (md.resourceVersion && md.resourceVersion !== current.metadata!.resourceVersion) throw conflict(rt, name);
  const next = clone(current);
  writePath(next as Obj, scale.specReplicasPath, replicas);
  await updateObject(ctx, rt, namespace, name, next, '', opts, true);
  return getScale(ctx, rt, namespace, name);
}

export async function patchScale(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  contentType: string,
  patch: unknown,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  const types = supportedPatchTypes(rt).filter((t) => t !== PATCH_TYPES.apply);
  if (!types.includes(contentType)) throw unsupportedMediaType(types);
  const current = await getScale(ctx, rt, namespace, name);
  const patched = applyPatch({ ...rt, group: 'autoscaling', kind: 'Scale' }, current, contentType, patch);
  return updateScale(ctx, rt, namespace, name, patched, opts);
}
