import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { ensureObj, keepStatus, obj, setDefault, takeStatus, type Obj } from './shared.ts';
import { defaultPodSpec } from './pod-template.ts';

// ---------------------------------------------------------------- Pod
export const podStrategy: Strategy = {
  generation: 'none',
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  nameValidation: 'subdomain',
  defaults(o) {
    defaultPodSpec(ensureObj(o, 'spec'));
    const spec = o.spec as Obj;
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
  },
  prepareForCreate(o) {
    o.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  prepareForUpdate(o, old) {
    keepStatus(o, old);
  },
  prepareForStatusUpdate: takeStatus,
  validate(o) {
    const errs: FieldError[] = [];
    const containers = obj(o.spec).containers;
    if (!Array.isArray(containers) || containers.length === 0)
      errs.push({ type: 'FieldValueRequired', field: 'spec.containers' });
    return errs;
  },
};
