import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyCronJob, type MyCronJobObject } from '../src/api/v1/my-cron-job.ts';
import { startMycronjob, type MycronjobEnv } from './harness.ts';

const SAMPLE = join(
  import.meta.dirname,
  '../../../deploy/mycronjob/samples/batch.wzj.kubebuilder.io_v1_mycronjob.yaml',
);

let env: MycronjobEnv;
beforeAll(async () => {
  env = await startMycronjob();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const myCronJobs = () => env.client.resource(MyCronJob);
const readyOf = (obj: MyCronJobObject | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');

describe('MyCronJob controller', () => {
  it('reconciles the sample: Ready=True for the generation it saw', async () => {
    const [sample] = loadManifests(SAMPLE) as unknown as MyCronJobObject[];
    const created = await myCronJobs().create({
      ...sample!,
      metadata: { ...sample!.metadata, namespace: env.namespace },
    });
    const reconciled = await eventually(
      async () => {
        const got = await myCronJobs().get(env.namespace, created.metadata.name!);
        expect(readyOf(got)).toMatchObject({ status: 'True', observedGeneration: created.metadata.generation });
        return got!;
      },
      { timeout: 20_000 },
    );
    expect(reconciled.status?.observedGeneration).toBe(created.metadata.generation);
  });
});
