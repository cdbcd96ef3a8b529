import type { AdmissionRequestAttributes, FieldError, ResourceType } from '../../types.ts';
import { conflict, deleteSuccess, forbidden, invalid } from '../../errors.ts';
import { clone } from '../../store/object-store.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { DeleteOptions, WriteOptions } from '../../engine/request-options.ts';
import { nowSeconds, stableEqual, type Obj } from '../../engine/object-values.ts';
import { toStorage } from '../../engine/present.ts';
import { presentConverted } from '../../engine/convert.ts';
import { admit } from '../../engine/admit.ts';
import { getStored } from './get.ts';
import { markPodDeleted } from '../../registry/strategies/pod.ts';

const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export function validateDeleteOptions(o: DeleteOptions): void {
  const errs: FieldError[] = [];
  if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'propagationPolicy',
      value: o.propagationPolicy,
      detail: 'orphanDependents and deletionPropagation cannot be both set',
    });
  }
  if (o.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(o.propagationPolicy)) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'propagationPolicy',
      value: o.propagationPolicy,
      detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
    });
  }
  // ValidateDryRun: one error whose value is the whole list (`Unsupported value: ["Maybe"]`).
  if (o.dryRun?.some((d) => d !== 'All'))
    errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', value: o.dryRun, detail: 'supported values: "All"' });
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
}

/** Returns the HTTP status and body of a DELETE (DEL-1…DEL-7). */
export async function deleteObject(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  options: DeleteOptions = {},
  opts: WriteOptions = {},
): Promise<{ code: number; body: unknown }> {
  validateDeleteOptions(options);
  const strategy = ctx.registry.strategy(rt);
  const existingStored = getStored(ctx, rt, namespace, name);
  const existing = await presentConverted(ctx, rt, existingStored);
  const emd = existing.metadata!;
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== emd.uid) {
    throw conflict(
      { group: rt.group, plural: rt.kind },
      name,
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${emd.uid}). The object might have been deleted and then recreated`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== emd.resourceVersion) {
    throw conflict(
      { group: rt.group, plural: rt.kind },
      name,
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${emd.resourceVersion}). The object might have been modified`,
    );
  }
  const isNamespace = rt.storageKey === '/namespaces';
  if (isNamespace && IMMORTAL_NAMESPACES.includes(name)) throw forbidden(rt, name, 'this namespace may not be deleted');
  // A namespace's spec.finalizers (`kubernetes`) hold it: while any is left a delete only
  // answers the Terminating namespace (the namespace REST's Delete).
  const specFinalizers = ((existing.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? [];
  if (isNamespace && emd.deletionTimestamp && specFinalizers.length > 0) return { code: 200, body: existing };
  const attrs: AdmissionRequestAttributes = {
    operation: 'DELETE',
    resource: rt,
    subresource: '',
    name,
    namespace: rt.namespaced ? namespace : '',
    oldObject: existing,
    dryRun: !!opts.dryRun,
    options: {
      kind: 'DeleteOptions',
      apiVersion: 'meta.k8s.io/v1',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
    },
  };
  await admit(ctx, 'mutate', attrs, opts);
  await admit(ctx, 'validate', attrs, opts);

  const next = clone(existing);
  const md = next.metadata!;
  let fins = [...(md.finalizers ?? [])];
  const isCrd = rt.storageKey === 'apiextensions.k8s.io/customresourcedefinitions';
  // The CRD REST's own Delete (CRD-5) answers a CRD's first DELETE: it only sets the deletion
  // timestamp, adds the cleanup finalizer and the Terminating condition — no propagation
  // finalizers, no generation bump, no grace period. Later DELETEs go the generic way.
  const crdFirstDelete = isCrd && !emd.deletionTimestamp;
  const policy = crdFirstDelete
    ? undefined
    : (options.propagationPolicy ??
      (options.orphanDependents === true ? 'Orphan' : options.orphanDependents === false ? 'Background' : undefined));
  if (policy === 'Orphan') fins = [...fins.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan'), 'orphan'];
  else if (policy === 'Foreground')
    fins = [...fins.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan'), 'foregroundDeletion'];
  else if (policy === 'Background') fins = fins.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan');
  if (isCrd && !fins.includes(CRD_CLEANUP_FINALIZER)) fins.push(CRD_CLEANUP_FINALIZER);
  // The first delete of a namespace always only marks it Terminating; the namespace controller
  // empties it and deletes it again.
  const nsFirstDelete = isNamespace && !emd.deletionTimestamp;
  if (fins.length > 0 || nsFirstDelete) {
    if (fins.length) md.finalizers = fins;
    else delete md.finalizers;
    if (!md.deletionTimestamp) {
      md.deletionTimestamp = nowSeconds();
      if (!crdFirstDelete && typeof md.generation === 'number' && md.generation > 0) md.generation++;
    }
    // Graceful deletion's zero grace period; the namespace and CRD RESTs set only the timestamp.
    if (!isNamespace && !crdFirstDelete) md.deletionGracePeriodSeconds = 0;
    if (isNamespace) next.status = { ...((next.status as Obj | undefined) ?? {}), phase: 'Terminating' };
    if (isCrd) {
      const status = (next.status ?? {}) as Obj;
      const conds = ((status.conditions as Obj[] | undefined) ?? []).filter((c) => c.type !== 'Terminating');
      conds.push({
        type: 'Terminating',
        status: 'True',
        lastTransitionTime: nowSeconds(),
        reason: 'InstanceDeletionPending',
        message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
      });
      next.status = { ...status, conditions: conds };
    }
    const storageForm = toStorage(ctx, rt, clone(next));
    storageForm.metadata!.resourceVersion = existingStored.metadata!.resourceVersion;
    if (stableEqual(storageForm, existingStored) || opts.dryRun)
      return { code: 200, body: await presentConverted(ctx, rt, storageForm) };
    const stored = ctx.store.update(rt.storageKey, storageForm);
    return {
      code: options.orphanDependents === false && !crdFirstDelete ? 202 : 200,
      body: await presentConverted(ctx, rt, stored),
    };
  }
  // A Pod is deleted gracefully with grace period 0 (no node runs it): answered as marked.
  const answer = (o: typeof existing) => {
    if (rt.storageKey !== '/pods') return o;
    const marked = clone(o);
    markPodDeleted(marked, nowSeconds());
    return marked;
  };
  if (opts.dryRun)
    return { code: 200, body: strategy.returnDeletedObject ? answer(existing) : deleteSuccess(rt, name, emd.uid!) };
  const deleted = ctx.store.delete(rt.storageKey, rt.namespaced ? namespace : '', name)!;
  return {
    code: 200,
    body: strategy.returnDeletedObject
      ? answer(await presentConverted(ctx, rt, deleted))
      : deleteSuccess(rt, name, emd.uid!),
  };
}
