/** Admission: the NamespaceLifecycle check and the mutating/validating webhook phases. */
import type { AdmissionRequestAttributes, KubeObject, ResourceType } from '../types.ts';
import { StatusError, badRequest, forbidden, invalid, notFound } from '../errors.ts';
import type { EngineContext } from './engine-context.ts';
import type { WriteOptions } from './request-options.ts';

export function namespaceLifecycle(ctx: EngineContext, rt: ResourceType, namespace: string, name: string): void {
  if (!rt.namespaced) return;
  const ns = ctx.store.get('/namespaces', '', namespace);
  if (!ns) throw notFound({ group: '', plural: 'namespaces' }, namespace);
  if (ns.metadata?.deletionTimestamp) {
    throw forbidden(rt, name, `unable to create new content in namespace ${namespace} because it is being terminated`, [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ]);
  }
}

export function webhookConfigs(ctx: EngineContext, kind: 'mutating' | 'validating'): KubeObject[] {
  return ctx.store.list(`admissionregistration.k8s.io/${kind}webhookconfigurations`);
}

export async function admit(
  ctx: EngineContext,
  phase: 'mutate' | 'validate',
  attrs: AdmissionRequestAttributes,
  opts: WriteOptions,
): Promise<KubeObject | undefined> {
  if (!ctx.admission) return attrs.object;
  // Webhook configurations never go through webhooks themselves (as on a real server).
  if (attrs.resource.group === 'admissionregistration.k8s.io') return attrs.object;
  const configs = webhookConfigs(ctx, phase === 'mutate' ? 'mutating' : 'validating');
  if (configs.length === 0) return attrs.object;
  if (attrs.resource.namespaced && attrs.namespace) {
    attrs.namespaceLabels = ctx.store.get('/namespaces', '', attrs.namespace)?.metadata?.labels ?? {};
  }
  if (phase === 'mutate') {
    const r = await ctx.admission.mutate(attrs, configs);
    opts.warnings?.push(...r.warnings);
    return r.object ?? attrs.object;
  }
  const r = await ctx.admission.validate(attrs, configs);
  opts.warnings?.push(...r.warnings);
  return attrs.object;
}

/**
 * What a mutating webhook may not change, enforced again on the object it returned (as
 * kube-apiserver's BeforeCreate/BeforeUpdate run after mutating admission): the namespace of
 * the request, on update the name and uid, and the system fields, which are restored from
 * `reference` (the object as the server prepared it for create, or the stored one for update).
 */
export function recheckAfterMutation(
  rt: ResourceType,
  mutated: KubeObject,
  reference: KubeObject,
  operation: 'CREATE' | 'UPDATE',
): void {
  const md = (mutated.metadata ??= {});
  const ref = reference.metadata ?? {};
  if (rt.namespaced) {
    if ((md.namespace ?? '') !== (ref.namespace ?? ''))
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  } else delete md.namespace;
  if (operation === 'CREATE') {
    if (md.resourceVersion)
      throw new StatusError(500, '', 'resourceVersion should not be set on objects to be created');
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
  } else {
    const errs = [];
    if (md.name !== ref.name)
      errs.push({
        type: 'FieldValueInvalid' as const,
        field: 'metadata.name',
        value: md.name ?? '',
        detail: 'field is immutable',
      });
    if (md.uid && md.uid !== ref.uid)
      errs.push({
        type: 'FieldValueInvalid' as const,
        field: 'metadata.uid',
        value: md.uid,
        detail: 'field is immutable',
      });
    if (errs.length) throw invalid(rt, ref.name ?? '', errs);
    for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
      if (ref[k] === undefined) delete md[k];
      else md[k] = ref[k] as never;
    }
  }
  for (const k of ['uid', 'creationTimestamp'] as const) {
    if (ref[k] === undefined) delete md[k];
    else md[k] = ref[k] as never;
  }
}
