import { expect } from 'vitest';
import type { E2EObject, OperatorE2E } from './operator-suite.ts';
import { jobTemplateContainers } from './sample-images.ts';

/**
 * The Jobs an object with a `spec.jobTemplate` (a CronJob-like kind) controls, each checked to
 * be what its controller must make of the template: named `<owner>-<number>` (the scheduled
 * time, as kube-controller-manager's CronJob controller names them) and running the template's
 * container images. Throws on a Job that is not; the caller checks how many it expects.
 */
export async function expectJobsFromTemplate(e2e: OperatorE2E, owner: E2EObject): Promise<E2EObject[]> {
  const jobs = await e2e.listOwned('jobs.v1.batch', owner);
  const images = jobTemplateContainers(owner).map((c) => c.image);
  for (const job of jobs) {
    expect(job.metadata.name).toMatch(new RegExp(`^${owner.metadata.name}-\\d+$`));
    const pod = (job.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec;
    expect(
      pod.containers.map((c) => c.image),
      `${job.metadata.name}'s images`,
    ).toEqual(images);
  }
  return jobs;
}
