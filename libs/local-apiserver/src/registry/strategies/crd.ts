import type { Strategy } from '../strategy.ts';
import { crdValidate } from '../crd-validation.ts';
import { ensureObj, keepStatus, obj, setDefault, takeStatus, type Obj } from './shared.ts';

// ---------------------------------------------------------------- CRD (CRD-1, CRD-4)
export const crdStrategy: Strategy = {
  generation: 'spec',
  allowUnconditionalUpdate: false,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    const names = ensureObj(spec, 'names');
    if (typeof names.kind === 'string') {
      setDefault(names, 'singular', names.kind.toLowerCase());
      setDefault(names, 'listKind', `${names.kind}List`);
    }
    const conv = ensureObj(spec, 'conversion');
    setDefault(conv, 'strategy', 'None');
    for (const v of (spec.versions as Obj[] | undefined) ?? []) {
      if (v.served === undefined) v.served = true;
    }
  },
  prepareForCreate(o) {
    const versions = (obj(o.spec).versions as Obj[] | undefined) ?? [];
    const storage = versions.find((v) => v.storage === true)?.name;
    o.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
  },
  prepareForUpdate(o, old) {
    keepStatus(o, old);
    const versions = (obj(o.spec).versions as Obj[] | undefined) ?? [];
    const storage = versions.find((v) => v.storage === true)?.name as string | undefined;
    const status = obj(o.status);
    const stored = (status.storedVersions as string[] | undefined) ?? [];
    if (storage && !stored.includes(storage)) o.status = { ...status, storedVersions: [...stored, storage] };
  },
  prepareForStatusUpdate: takeStatus,
  validate: crdValidate,
};
