import type { Strategy } from '../strategy.ts';
import { clone } from '../../store/object-store.ts';
import { ensureObj, setDefault, statusSplit, takeStatus } from './shared.ts';
import { defaultTemplate, validateSelectorMatchesTemplate } from './pod-template.ts';

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
  prepareForStatusUpdate(o, old) {
    const out = takeStatus(o, old);
    out.metadata!.annotations = clone(o.metadata?.annotations);
    if (out.metadata!.annotations === undefined) delete out.metadata!.annotations;
    return out;
  },
  validate: validateSelectorMatchesTemplate,
};
