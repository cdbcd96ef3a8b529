import type { Strategy } from '../strategy.ts';
import { clone } from '../../store/object-store.ts';
import { dropZeros, ensureObj, setDefault, statusSplit, takeStatus } from './shared.ts';

/** DeploymentStatus counters Go omits when zero (`json:",omitempty"` on non-pointer fields). */
const ZERO_OMITTED = [
  'observedGeneration',
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'unavailableReplicas',
];
import { defaultTemplate, validateWorkload } from './pod-template.ts';

// ---------------------------------------------------------------- Deployment (DEP-1..4)
export const deploymentStrategy: Strategy = {
  generation: 'specAndAnnotations',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    setDefault(spec, 'replicas', 1);
    const strategy = ensureObj(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = ensureObj(strategy, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', '25%');
      setDefault(ru, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  ...statusSplit,
  prepareForCreate(o) {
    // DeploymentStatus has only omitempty fields: a new Deployment answers `status: {}`.
    o.status = {};
  },
  prepareForStatusUpdate(o, old) {
    const out = takeStatus(o, old);
    dropZeros(out.status, ZERO_OMITTED);
    out.metadata!.annotations = clone(o.metadata?.annotations);
    if (out.metadata!.annotations === undefined) delete out.metadata!.annotations;
    return out;
  },
  validate: validateWorkload('Deployment'),
};
