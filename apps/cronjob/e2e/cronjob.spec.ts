import { resolve } from 'node:path';
import { describeOperatorE2E, expectJobsFromTemplate, imageFromEnv, jobTemplateContainers } from '@kubeloop/envtest';
import { expect, it } from 'vitest';

/**
 * The cronjob operator as a user runs it (kubebuilder's `make test-e2e`): its image built from
 * the workspace Dockerfile and delivered to the cluster, `nx run cronjob:deploy` (webhooks and
 * conversion included), the v1 and v2 samples each starting Jobs on their schedule, a v1 object
 * read as v2 (and the reverse) through the conversion webhook, `nx run cronjob:undeploy`. Runs
 * against the current kubeconfig's cluster and fails, saying why, when it has no Ready node.
 */
describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'cronjob',
  namespaced: false,
  // The samples' Jobs run busybox; a node that cannot pull it is given an image it has through
  // E2E_JOB_IMAGE (the realk8s node: registry.k8s.io/pause:3.10.2, whose Jobs then run until
  // undeploy). The checks hold either way: a Job is created, and listed in status.active while
  // it runs, whether or not its Pod can start.
  prepareSamples: imageFromEnv('E2E_JOB_IMAGE', jobTemplateContainers),
  samplesTitle: 'every sample CronJob (v1 and v2) starts a Job on its schedule and lists it',
  // Both samples run every minute: the first Job comes at the next minute's start.
  samplesTimeout: 180_000,
  async checkSample(cronJob, e2e) {
    const jobs = await expectJobsFromTemplate(e2e, cronJob);
    const status = `${cronJob.metadata.name}: ${JSON.stringify(cronJob.status)}`;
    expect(jobs.length, `no Job controlled by ${status}`).toBeGreaterThan(0);
    expect(cronJob.status?.lastScheduleTime, status).toBeDefined();
    // status.active names only Jobs it controls.
    for (const ref of (cronJob.status?.active ?? []) as { name: string }[])
      expect(jobs.map((j) => j.metadata.name)).toContain(ref.name);
  },
  tests: (e2e) => {
    it('a v1 CronJob reads as v2 and a v2 one as v1, through the conversion webhook in the cluster', async () => {
      const group = 'batch.tutorial.kubebuilder.io';
      const v2 = await e2e.get({ apiVersion: `${group}/v2`, kind: 'CronJob' }, 'cronjob-sample');
      expect(v2.apiVersion).toBe(`${group}/v2`);
      // v2 names the cron fields; a `*` field is absent.
      expect(v2.spec?.schedule).toEqual({ minute: '*/1' });
      const v1 = await e2e.get({ apiVersion: `${group}/v1`, kind: 'CronJob' }, 'cronjob-sample-v2');
      expect(v1.spec?.schedule).toBe('*/1 * * * *');
    });
  },
});
