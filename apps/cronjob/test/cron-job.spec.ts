import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronJob, type CronJobObject } from '../src/api/v1/cron-job.ts';
import { startCronjob, type CronjobEnv } from './harness.ts';

const SAMPLE = join(
  import.meta.dirname,
  '../../../deploy/cronjob/samples/batch.tutorial.kubebuilder.io_v1_cronjob.yaml',
);

let env: CronjobEnv;
beforeAll(async () => {
  env = await startCronjob();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const cronJobs = () => env.client.resource(CronJob);
const readyOf = (obj: CronJobObject | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');

describe('CronJob controller', () => {
  it('reconciles the sample: Ready=True for the generation it saw', async () => {
    const [sample] = loadManifests(SAMPLE) as unknown as CronJobObject[];
    const created = await cronJobs().create({
      ...sample!,
      metadata: { ...sample!.metadata, namespace: env.namespace },
    });
    const reconciled = await eventually(
      async () => {
        const got = await cronJobs().get(env.namespace, created.metadata.name!);
        expect(readyOf(got)).toMatchObject({ status: 'True', observedGeneration: created.metadata.generation });
        return got!;
      },
      { timeout: 20_000 },
    );
    expect(reconciled.status?.observedGeneration).toBe(created.metadata.generation);
  });
});
