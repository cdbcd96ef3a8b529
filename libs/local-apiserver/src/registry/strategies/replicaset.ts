import type { Strategy } from '../strategy.ts';
import { ensureObj, setDefault, statusSplit } from './shared.ts';
import { defaultTemplate, validateSelectorMatchesTemplate } from './pod-template.ts';

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
  validate: validateSelectorMatchesTemplate,
};
