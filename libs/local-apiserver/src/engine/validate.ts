import type { FieldError, KubeObject, ResourceType } from '../types.ts';
import { invalid } from '../errors.ts';
import type { Strategy } from '../registry/strategy.ts';
import { validateObjectMeta } from '../validation/object-meta.ts';
import { validateScaleSpec, validateScaleStatus } from '../validation/custom-resource-scale.ts';
import type { EngineContext } from './engine-context.ts';

/**
 * Object meta, the type's strategy, CRD structural checks, the CRD schema of a custom resource and
 * its scale fields (in the real validator's order); 422 with every cause.
 */
export function validate(
  ctx: EngineContext,
  rt: ResourceType,
  strategy: Strategy,
  obj: KubeObject,
  old: KubeObject | undefined,
  subresource: string,
): void {
  const errs: FieldError[] = [];
  if (subresource !== 'status') {
    if (!strategy.ownsObjectMetaValidation)
      errs.push(...validateObjectMeta(obj, strategy.nameValidation, rt.namespaced, rt.origin === 'builtin'));
    if (strategy.validate) errs.push(...strategy.validate(obj, old, rt));
    // rest.BeforeCreate: the generic ObjectMeta checks (name as a path segment) run after the
    // strategy's own, and only when those passed; an update checks the common fields as well.
    if (strategy.ownsObjectMetaValidation && (old || !errs.length))
      errs.push(...validateObjectMeta(obj, 'pathSegment', rt.namespaced, rt.origin === 'builtin'));
    if (rt.storageKey === 'apiextensions.k8s.io/customresourcedefinitions' && ctx.crdSchema) {
      for (const e of ctx.crdSchema.validateStructural(obj, old)) {
        if (!errs.some((x) => x.field === e.field && x.type === e.type)) errs.push(e);
      }
    }
  } else if (strategy.validateStatus && old) {
    errs.push(...strategy.validateStatus(obj, old, rt));
  }
  const schema = ctx.registry.schema(rt);
  if (schema) {
    errs.push(
      ...schema.validate(obj, {
        kind: rt.kind,
        group: rt.group,
        name: obj.metadata?.name ?? '',
        ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
        ...(old ? { old } : {}),
      }),
    );
  }
  const scale = rt.origin === 'custom' ? rt.subresources.scale : undefined;
  if (scale) {
    if (subresource !== 'status') errs.push(...validateScaleSpec(obj, scale));
    errs.push(...validateScaleStatus(obj, scale));
  }
  const gk = { group: strategy.validationGroup ?? rt.group, kind: rt.kind };
  if (errs.length) throw invalid(gk, obj.metadata?.name ?? '', errs);
}
