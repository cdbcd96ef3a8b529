import type { AdmissionRequestAttributes, FieldError, KubeObject, ResourceType } from '../../types.ts';
import { badRequest, conflict, invalid } from '../../errors.ts';
import { clone, objectKey } from '../../store/object-store.ts';
import { strategyContext, type EngineContext } from '../../engine/engine-context.ts';
import type { WriteOptions } from '../../engine/request-options.ts';
import { stableEqual, type Obj } from '../../engine/object-values.ts';
import { decode, type PatchInvalid } from '../../engine/decode.ts';
import { toStorage } from '../../engine/present.ts';
import { convertToStorage, presentConverted } from '../../engine/convert.ts';
import { parseRv } from '../../engine/list-options.ts';
import { admit, recheckAfterMutation } from '../../engine/admit.ts';
import { validate } from '../../engine/validate.ts';
import { bumpGeneration } from '../../engine/generation.ts';
import { getStored } from './get.ts';

export async function updateObject(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  body: unknown,
  subresource: '' | 'status',
  opts: WriteOptions = {},
  viaPatch = false,
  patchInvalid?: PatchInvalid,
): Promise<KubeObject> {
  const strategy = ctx.registry.strategy(rt);
  let obj = decode(ctx, rt, body, opts, patchInvalid);
  const md = obj.metadata!;
  if ((md.name ?? '') !== name)
    throw badRequest(`the name of the object (${md.name ?? ''}) does not match the name on the URL (${name})`);
  if (rt.namespaced) {
    if (md.namespace && md.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    md.namespace = namespace;
  } else delete md.namespace;
  const existingStored = getStored(ctx, rt, namespace, name);
  const existing = await presentConverted(ctx, rt, existingStored);
  const existingRv = existingStored.metadata!.resourceVersion!;
  if (!md.resourceVersion) {
    if (!strategy.allowUnconditionalUpdate && !viaPatch) {
      // The generic store names the resource, not the kind, in this one Invalid (UPD-4):
      // `widgets.example.com "w" is invalid: ...`, details.kind "widgets".
      throw invalid({ group: rt.group, kind: rt.plural }, name, [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          value: 0,
          detail: 'must be specified for an update',
        },
      ]);
    }
    md.resourceVersion = existingRv;
  } else {
    parseRv(md.resourceVersion);
    if (md.resourceVersion !== existingRv) throw conflict(rt, name);
  }
  if (md.uid && md.uid !== existing.metadata!.uid && viaPatch) {
    // A patch has no preconditions: a changed uid fails validation (twice: kube-apiserver v1.36.2
    // validates the object metadata's update in two places and lists both, conformance case
    // `patch/merge`).
    const e: FieldError = {
      type: 'FieldValueInvalid',
      field: 'metadata.uid',
      value: md.uid,
      detail: 'field is immutable',
    };
    throw invalid(rt, name, [e, e]);
  }
  if (md.uid && md.uid !== existing.metadata!.uid) {
    const key = `/registry/${rt.group ? rt.group + '/' : ''}${rt.plural}/${objectKey(namespace, name)}`;
    throw conflict(
      rt,
      name,
      `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${md.uid}, UID in object meta: ${existing.metadata!.uid}`,
    );
  }
  strategy.defaults?.(obj, rt);
  ctx.registry.schema(rt)?.applyDefaults(obj);
  /** The server's own preparation; run again on what a mutating webhook returns. */
  const prepare = (obj: KubeObject): KubeObject => {
    if (subresource === 'status') {
      obj = strategy.prepareForStatusUpdate ? strategy.prepareForStatusUpdate(obj, existing) : obj;
      obj.metadata!.generation = existing.metadata?.generation;
      if (obj.metadata!.generation === undefined) delete obj.metadata!.generation;
    } else {
      const nmd = obj.metadata!;
      const emd = existing.metadata!;
      for (const k of ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'uid'] as const) {
        if (emd[k] === undefined) delete nmd[k];
        else nmd[k] = emd[k] as never;
      }
      strategy.prepareForUpdate?.(obj, existing, strategyContext(ctx));
      bumpGeneration(strategy, obj, existing);
      if (emd.deletionTimestamp) {
        const added = (nmd.finalizers ?? []).filter((f) => !(emd.finalizers ?? []).includes(f));
        if (added.length) {
          // Listed twice, as kube-apiserver v1.36.2 does (ObjectMeta's update is validated by the
          // strategy and again by rest.BeforeUpdate; checked for a ConfigMap and a custom
          // resource, conformance case `custom-resource/finalizers`).
          const e: FieldError = {
            type: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          };
          throw invalid(rt, name, [e, e]);
        }
      }
    }
    return obj;
  };
  obj = prepare(obj);
  const attrs = (o: KubeObject): AdmissionRequestAttributes => ({
    operation: 'UPDATE',
    resource: rt,
    subresource,
    name,
    namespace: rt.namespaced ? namespace : '',
    object: o,
    oldObject: existing,
    dryRun: !!opts.dryRun,
    options: {
      kind: 'UpdateOptions',
      apiVersion: 'meta.k8s.io/v1',
      ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}),
    },
  });
  const mutated = (await admit(ctx, 'mutate', attrs(obj), opts)) ?? obj;
  if (mutated !== obj) {
    recheckAfterMutation(rt, mutated, existing, 'UPDATE');
    obj = prepare(mutated);
  }
  validate(ctx, rt, strategy, obj, existing, subresource);
  obj = (await admit(ctx, 'validate', attrs(obj), opts)) ?? obj;
  return commitUpdate(ctx, rt, obj, existingStored, opts);
}

/** OBJ-8 no-op detection, UPD-8 delete-on-last-finalizer, then the write. */
async function commitUpdate(
  ctx: EngineContext,
  rt: ResourceType,
  obj: KubeObject,
  existingStored: KubeObject,
  opts: WriteOptions,
): Promise<KubeObject> {
  const storageForm = toStorage(ctx, rt, await convertToStorage(ctx, rt, clone(obj)));
  storageForm.metadata!.resourceVersion = existingStored.metadata!.resourceVersion;
  if (stableEqual(storageForm, existingStored)) return presentConverted(ctx, rt, existingStored);
  const md = storageForm.metadata!;
  const namespacePending =
    rt.storageKey === '/namespaces' &&
    ((storageForm.spec as Obj | undefined)?.finalizers as string[] | undefined)?.length;
  if (
    md.deletionTimestamp &&
    (md.finalizers ?? []).length === 0 &&
    !md.deletionGracePeriodSeconds &&
    !namespacePending
  ) {
    if (!opts.dryRun) ctx.store.delete(rt.storageKey, md.namespace ?? '', md.name!);
    return presentConverted(ctx, rt, storageForm);
  }
  if (opts.dryRun) return presentConverted(ctx, rt, storageForm);
  return presentConverted(ctx, rt, ctx.store.update(rt.storageKey, storageForm));
}
