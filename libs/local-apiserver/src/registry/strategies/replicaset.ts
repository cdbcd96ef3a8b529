import type { Strategy } from '../strategy.ts';
import { dropZeros, ensureObj, setDefault, statusSplit, takeStatus, type Obj } from './shared.ts';
import { defaultTemplate, validateWorkload } from './pod-template.ts';

export const replicaSetStrategy: Strategy = {
  generation: 'spec',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  ...statusSplit,
  prepareForCreate(o) {
    // ReplicaSetStatus.replicas has no omitempty: it is always there, 0 at first.
    o.status = { replicas: 0 };
  },
  prepareForStatusUpdate(o, old) {
    const out = takeStatus(o, old);
    const status = ensureObj(out as Obj, 'status');
    if (typeof status.replicas !== 'number') status.replicas = 0;
    dropZeros(status, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']);
    return out;
  },
  validate: validateWorkload('ReplicaSet'),
};
