import { resolve } from 'node:path';
import { describeOperatorE2E, expectJobsFromTemplate, imageFromEnv, jobTemplateContainers } from '@kubeloop/envtest';
import { expect } from 'vitest';

/**
 * The mycronjob operator as a user runs it (kubebuilder's `make test-e2e`): its image built from
 * the workspace Dockerfile and delivered to the cluster, `nx run mycronjob:deploy`, the sample
 * MyCronJob creating a Job every 5 seconds, `nx run mycronjob:undeploy` (the Jobs go with the
 * MyCronJob). Runs against the current kubeconfig's cluster and fails, saying why, when it has
 * no Ready node.
 */
describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'mycronjob',
  namespaced: false,
  // The sample's Jobs run busybox; a node that cannot pull it is given an image it has through
  // E2E_JOB_IMAGE (the realk8s node: registry.k8s.io/pause:3.10.2, whose Jobs then run until
  // undeploy). The check holds either way: the Jobs are created whether or not their Pods start.
  prepareSamples: imageFromEnv('E2E_JOB_IMAGE', jobTemplateContainers),
  samplesTitle: 'the sample MyCronJob creates a Job from its template every 5 seconds',
  async checkSample(myCronJob, e2e) {
    // Two Jobs, named for two different seconds: it keeps creating them.
    const jobs = await expectJobsFromTemplate(e2e, myCronJob);
    expect(jobs.length, `Jobs controlled by MyCronJob/${myCronJob.metadata.name}`).toBeGreaterThanOrEqual(2);
  },
});
