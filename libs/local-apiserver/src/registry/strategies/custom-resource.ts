import type { KubeObject } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { clone } from '../../store/object-store.ts';

/** Custom resources (CR-*): generation on any non-metadata change, status split only with the status subresource. */
export function customStrategy(hasStatus: boolean): Strategy {
  return {
    generation: 'nonMetadata',
    allowUnconditionalUpdate: false,
    returnDeletedObject: false,
    nameValidation: 'subdomain',
    ...(hasStatus
      ? {
          prepareForCreate(o: KubeObject) {
            delete o.status;
          },
          prepareForUpdate(o: KubeObject, old: KubeObject) {
            if (old.status === undefined) delete o.status;
            else o.status = clone(old.status);
          },
          prepareForStatusUpdate(o: KubeObject, old: KubeObject) {
            const out = clone(old);
            if (o.status === undefined) delete out.status;
            else out.status = clone(o.status);
            out.metadata!.resourceVersion = o.metadata?.resourceVersion;
            return out;
          },
        }
      : {}),
  };
}
