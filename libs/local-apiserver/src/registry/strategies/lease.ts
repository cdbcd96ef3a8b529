import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { noGeneration, obj } from './shared.ts';

/** ValidateLeaseSpec: durations and transition counts (the times are checked when decoded, MicroTime). */
export const leaseStrategy: Strategy = {
  ...noGeneration,
  validate(o) {
    const spec = obj(o.spec);
    const errs: FieldError[] = [];
    if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0)
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.leaseDurationSeconds',
        value: spec.leaseDurationSeconds,
        detail: 'must be greater than 0',
      });
    if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0)
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.leaseTransitions',
        value: spec.leaseTransitions,
        detail: 'must be greater than or equal to 0',
      });
    if (spec.preferredHolder && !spec.strategy)
      errs.push({
        type: 'FieldValueForbidden',
        field: 'spec.preferredHolder',
        detail: 'may only be specified if `strategy` is defined',
      });
    return errs;
  },
};
