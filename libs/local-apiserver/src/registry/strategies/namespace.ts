import type { Strategy } from '../strategy.ts';
import { clone } from '../../store/object-store.ts';
import { keepStatus, obj } from './shared.ts';

// ---------------------------------------------------------------- Namespace (NS-2, NS-3)
export const namespaceStrategy: Strategy = {
  generation: 'none',
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  nameValidation: 'label',
  defaults(o) {
    const md = o.metadata!;
    if (md.name) md.labels = { ...(md.labels ?? {}), 'kubernetes.io/metadata.name': md.name };
  },
  prepareForCreate(o) {
    o.status = { phase: 'Active' };
    const spec = obj(o.spec);
    const fins = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
    o.spec = { ...spec, finalizers: fins.includes('kubernetes') ? fins : [...fins, 'kubernetes'] };
  },
  prepareForUpdate(o, old) {
    o.spec = clone(old.spec);
    keepStatus(o, old);
  },
  prepareForStatusUpdate(o, old) {
    const out = clone(o);
    out.spec = clone(old.spec);
    return out;
  },
  validateStatus(o) {
    // ValidateNamespaceStatusUpdate: the phase follows deletionTimestamp (field path "status.Phase" as the real one).
    const phase = obj(o.status).phase;
    if (!o.metadata?.deletionTimestamp) {
      if (phase !== 'Active')
        return [
          {
            type: 'FieldValueInvalid',
            field: 'status.Phase',
            value: phase ?? '',
            detail: "may only be 'Active' if `deletionTimestamp` is empty",
          },
        ];
    } else if (phase !== 'Terminating') {
      return [
        {
          type: 'FieldValueInvalid',
          field: 'status.Phase',
          value: phase ?? '',
          detail: "may only be 'Terminating' if `deletionTimestamp` is not empty",
        },
      ];
    }
    return [];
  },
};
