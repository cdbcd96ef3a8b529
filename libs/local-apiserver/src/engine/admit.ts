/** Admission: the NamespaceLifecycle check and the mutating/validating webhook phases. */
import type { AdmissionRequestAttributes, KubeObject, ResourceType } from '../types.ts';
import { forbidden, notFound } from '../errors.ts';
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
