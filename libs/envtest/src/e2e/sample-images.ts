import type { E2EObject } from './operator-suite.ts';

/** Where an image is set in an object: a container, or a spec with an `image` field. */
export interface ImageHolder {
  image?: string;
}

/** The containers of a CronJob-like object's `spec.jobTemplate` (batch/v1 CronJob's shape). */
export function jobTemplateContainers(obj: E2EObject): (ImageHolder & { name: string })[] {
  const spec = obj.spec as { jobTemplate?: { spec?: { template?: { spec?: { containers?: [] } } } } } | undefined;
  return spec?.jobTemplate?.spec?.template?.spec?.containers ?? [];
}

/**
 * A `prepareSamples` for nodes that cannot pull a sample's image (an offline node, the realk8s
 * node): when the environment variable is set, every holder `holders` finds in a sample is given
 * that image; unset, the samples are applied as they are. The variable says which image the
 * node has (`registry.k8s.io/pause:3.10.2` on the realk8s node); the app's README names it.
 */
export function imageFromEnv(
  variable: string,
  holders: (sample: E2EObject) => ImageHolder[],
): (samples: E2EObject[]) => E2EObject[] {
  return (samples) => {
    const image = process.env[variable];
    if (!image) return samples;
    return samples.map((sample) => {
      const copy = structuredClone(sample);
      for (const holder of holders(copy)) holder.image = image;
      return copy;
    });
  };
}
