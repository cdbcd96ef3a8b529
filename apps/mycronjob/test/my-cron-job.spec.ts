import { join } from 'node:path';
import { createTestNamespace, eventually, loadManifests } from '@kubeloop/envtest';
import { Job } from '@kubeloop/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyCronJob, type MyCronJobObject } from '../src/api/v1/my-cron-job.ts';
import { startMycronjob, type MycronjobEnv } from './harness.ts';

const SAMPLE = join(import.meta.dirname, '../../../deploy/mycronjob/samples/batch_v1_mycronjob.yaml');

/** The controller's clock: real time until a test freezes it at `at`. */
const clock: { at: number | undefined; now(): number } = { at: undefined, now: () => clock.at ?? Date.now() };

let env: MycronjobEnv;
beforeAll(async () => {
  env = await startMycronjob({}, { clock });
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

    // A burst of events, the clock frozen at a second no reconcile has used yet: each event
    // reconciles at once, and every reconcile in that second names the same Job, so the burst
    // adds exactly one. Moving the clock on one second and poking once adds the next one.
    const frozen = Math.floor(Date.now() / 1000) + 3600;
    clock.at = frozen * 1000;
    for (let i = 0; i < 5; i++)
      await myCronJobs().patch(ns, 'mycronjob-sample', { metadata: { annotations: { poke: String(i) } } });
    const frozenJobs = async () =>
      (await jobs().list({ namespace: ns })).items
        .map((j) => Number(j.metadata.name!.split('-').pop()))
        .filter((s) => s >= frozen)
        .sort((a, b) => a - b);
    await eventually(async () => expect(await frozenJobs()).toEqual([frozen]), { timeout: 20_000 });
    clock.at = (frozen + 1) * 1000;
    await myCronJobs().patch(ns, 'mycronjob-sample', { metadata: { annotations: { poke: 'next' } } });
    // Reconciles of one object run one at a time, in order: once the poke's Job is there, every
    // earlier event has been reconciled, so the frozen second still holds exactly one Job.
    await eventually(async () => expect(await frozenJobs()).toEqual([frozen, frozen + 1]), { timeout: 20_000 });
    clock.at = undefined;

    await myCronJobs().delete(ns, 'mycronjob-sample', { propagationPolicy: 'Background' });
    await eventually(async () => expect((await jobs().list({ namespace: ns })).items).toEqual([]), { timeout: 60_000 });
  });
});
