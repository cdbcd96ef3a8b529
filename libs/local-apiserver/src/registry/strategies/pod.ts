import type { FieldError, KubeObject } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { ensureObj, keepStatus, obj, setDefault, takeStatus, type Obj } from './shared.ts';
import { defaultPodSpec } from './pod-template.ts';
import { validatePodSpec } from './pod-spec-validation.ts';
import { stableEqual } from '../../engine/object-values.ts';

/** What DefaultTolerationSeconds admission adds to every new Pod (no nodes here, but the real server does). */
const DEFAULT_TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** The spec without what a Pod update may change (ValidatePodUpdate's mungedPodSpec). */
function mutableFieldsCleared(spec: Obj, old: Obj): Obj {
  const s = structuredClone(spec);
  for (const list of ['containers', 'initContainers'])
    for (const [i, c] of ((s[list] as Obj[] | undefined) ?? []).entries()) {
      const oldC = ((old[list] as Obj[] | undefined) ?? [])[i];
      c.image = oldC?.image;
    }
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  return s;
}

// ---------------------------------------------------------------- Pod
export const podStrategy: Strategy = {
  // Pods track generation (PodObservedGenerationTracking): spec changes and deletion bump it.
  generation: 'spec',
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  nameValidation: 'subdomain',
  defaults(o) {
    defaultPodSpec(ensureObj(o, 'spec'));
    const spec = o.spec as Obj;
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
  },
  prepareForCreate(o) {
    o.status = { phase: 'Pending', qosClass: 'BestEffort' };
    const spec = o.spec as Obj;
    const tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []) as Obj[];
    for (const key of DEFAULT_TOLERATIONS) {
      if (tolerations.some((t) => t.key === key && (t.effect === 'NoExecute' || !t.effect))) continue;
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
    spec.tolerations = tolerations;
  },
  prepareForUpdate(o, old) {
    keepStatus(o, old);
  },
  prepareForStatusUpdate: takeStatus,
  validate(o, old) {
    const errs: FieldError[] = validatePodSpec(o.spec, 'spec');
    if (
      old &&
      !stableEqual(mutableFieldsCleared(obj(o.spec), obj(old.spec)), mutableFieldsCleared(obj(old.spec), obj(old.spec)))
    )
      errs.push({ type: 'FieldValueForbidden', field: 'spec', detail: POD_UPDATE_FORBIDDEN });
    return errs;
  },
};

/** Graceful deletion of a Pod no node runs: grace period 0, deleted at once, answered as marked. */
export function markPodDeleted(pod: KubeObject, now: string): void {
  const md = pod.metadata!;
  md.deletionTimestamp = now;
  md.deletionGracePeriodSeconds = 0;
  if (typeof md.generation === 'number') md.generation++;
}
