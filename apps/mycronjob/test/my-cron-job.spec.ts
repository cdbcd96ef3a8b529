import { join } from 'node:path';
import { createTestNamespace, eventually, loadManifests } from '@kubeloop/envtest';
import { Job } from '@kubeloop/runtime';
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
}, 180_000);
afterAll(async () => {
  await env?.stop();
});

const myCronJobs = () => env.client.resource(MyCronJob);
const jobs = () => env.client.resource(Job);

describe('MyCronJob controller', () => {
  it('creates a Job <name>-<unix seconds> from the template every 5 s, owned by the MyCronJob; deleting it collects them', async () => {
    const ns = await createTestNamespace(env.cp, 'mcj-');
    const [sample] = loadManifests(SAMPLE) as unknown as MyCronJobObject[];
    const created = await myCronJobs().create({ ...sample!, metadata: { ...sample!.metadata, namespace: ns } });
    const start = Math.floor(Date.parse(created.metadata.creationTimestamp!) / 1000);
    const two = await eventually(
      async () => {
        const items = (await jobs().list({ namespace: ns })).items;
        expect(items.length).toBeGreaterThanOrEqual(2);
        return items;
      },
      { timeout: 30_000 },
    );
    const seconds = two.map((j) => {
      const m = /^mycronjob-sample-(\d+)$/.exec(j.metadata.name!);
      expect(m, j.metadata.name).not.toBeNull();
      return Number(m![1]);
    });
    for (const s of seconds) expect(s).toBeGreaterThanOrEqual(start);
    seconds.sort((a, b) => a - b);
    expect(seconds[1]! - seconds[0]!).toBeGreaterThanOrEqual(4); // requeued after 5 s (±1 s of rounding)
    const job = two[0]!;
    expect(job.metadata.ownerReferences).toEqual([
      {
        apiVersion: MyCronJob.apiVersion,
        kind: 'MyCronJob',
        name: 'mycronjob-sample',
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(job.spec?.template.spec?.containers[0]?.args).toEqual([
      '/bin/sh',
      '-c',
      'date; echo Hello from the Kubernetes cluster',
    ]);

    // A burst of events: each reconciles at once, but one second holds one Job name.
    const before = new Set((await jobs().list({ namespace: ns })).items.map((j) => j.metadata.name));
    const t0 = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 5; i++)
      await myCronJobs().patch(ns, 'mycronjob-sample', { metadata: { annotations: { poke: String(i) } } });
    const t1 = Math.floor(Date.now() / 1000);
    await env.mgr.serving();
    const added = await eventually(
      async () => {
        const names = (await jobs().list({ namespace: ns })).items.map((j) => j.metadata.name!);
        const fresh = names.filter((n) => !before.has(n) && Number(n.split('-').pop()) <= t1 + 1);
        expect(fresh.length).toBeGreaterThanOrEqual(1);
        return fresh;
      },
      { timeout: 20_000 },
    );
    expect(added.length).toBeLessThanOrEqual(t1 + 1 - t0 + 1);

    await myCronJobs().delete(ns, 'mycronjob-sample', { propagationPolicy: 'Background' });
    await eventually(async () => expect((await jobs().list({ namespace: ns })).items).toEqual([]), { timeout: 60_000 });
  });
});
