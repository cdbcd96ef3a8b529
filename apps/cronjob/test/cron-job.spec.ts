import { join } from 'node:path';
import { createTestNamespace, eventually, loadManifests, runKubectl } from '@kubeloop/envtest';
import { ApiError, Job } from '@kubeloop/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronJob, type CronJobObject } from '../src/api/v1/cron-job.ts';
import { CronJob as CronJobV2, type CronJobObject as CronJobV2Object } from '../src/api/v2/cron-job.ts';
import { SCHEDULED_AT } from '../src/controllers/cron-job-jobs.ts';
import { parseStandard } from '../src/schedule/cron-schedule.ts';
import { startCronjob, type CronjobEnv } from './harness.ts';

// Runs unchanged on local-apiserver and on kube-apiserver + kube-controller-manager
// (KUBEBUILDER_ASSETS): Jobs are marked finished through /status with spec.managedBy set, so
// kube-controller-manager's Job controller leaves them alone (docs/apiserver.md JOB-3).

const SAMPLE = join(import.meta.dirname, '../../../deploy/cronjob/samples/batch_v1_cronjob.yaml');
const MANAGED_BY = 'example.com/cronjob-test';

/**
 * The controller's clock: real time until a test sets it, then frozen where the test put it, so
 * no test waits for a minute boundary and none sees one pass while it looks.
 */
const clock: { at: number | undefined; now(): number } = { at: undefined, now: () => clock.at ?? Date.now() };

let env: CronjobEnv;
beforeAll(async () => {
  env = await startCronjob({}, { clock });
}, 180_000);
afterAll(async () => {
  await env?.stop();
});

const cronJobs = () => env.client.resource(CronJob);
const jobs = () => env.client.resource(Job);

const template = {
  spec: {
    template: {
      spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure' },
    },
  },
};

function cronJob(namespace: string, name: string, spec: Partial<CronJobObject['spec']> = {}): CronJobObject {
  return {
    apiVersion: CronJob.apiVersion,
    kind: CronJob.kind,
    metadata: { name, namespace },
    spec: { schedule: '*/1 * * * *', jobTemplate: template, ...spec } as CronJobObject['spec'],
  };
}

async function jobsOf(namespace: string): Promise<Job[]> {
  return (await jobs().list({ namespace })).items;
}

/** Wakes the controller (it reconciles on any change) after the test moved the clock. */
async function poke(namespace: string, name: string): Promise<void> {
  await cronJobs().patch(namespace, name, { metadata: { annotations: { 'test/poke': String(Date.now()) } } });
}

/**
 * Creates a CronJob suspended, sets the clock `ms` after its creation, then resumes it: the
 * controller never sees it unsuspended at another time (a clock an earlier test froze, or a
 * minute boundary passing between the create and the clock change).
 */
async function startedAt(
  namespace: string,
  name: string,
  ms: number,
  spec: Partial<CronJobObject['spec']> = {},
): Promise<{ cj: CronJobObject; created: number }> {
  const cj = await cronJobs().create(cronJob(namespace, name, { ...spec, suspend: true }));
  const created = clockAt(cj, ms);
  await cronJobs().patch(namespace, name, { spec: { suspend: false } });
  return { cj, created };
}

/** Sets the clock so that `now` is `ms` after the CronJob's creation. */
function clockAt(cj: CronJobObject, ms: number): number {
  const created = Date.parse(cj.metadata.creationTimestamp!);
  clock.at = created + ms;
  return created;
}

function condition(cj: CronJobObject | undefined, type: string) {
  return cj?.status?.conditions?.find((c) => c.type === type);
}

async function admissionError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e.status.message ?? '';
    throw e;
  }
  throw new Error('the request was accepted');
}

/** A Job owned by `owner`, finished through /status the way the real Job controller would write it. */
async function finishedJob(
  owner: CronJobObject,
  name: string,
  kind: 'Complete' | 'Failed',
  start: Date,
): Promise<void> {
  const ns = owner.metadata.namespace!;
  await jobs().create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      ownerReferences: [
        {
          apiVersion: CronJob.apiVersion,
          kind: CronJob.kind,
          name: owner.metadata.name!,
          uid: owner.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { ...structuredClone(template.spec), managedBy: MANAGED_BY },
  } as Job);
  const t = start.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status =
    kind === 'Complete'
      ? {
          startTime: t,
          completionTime: t,
          succeeded: 1,
          conditions: [
            { type: 'SuccessCriteriaMet', status: 'True' },
            { type: 'Complete', status: 'True' },
          ],
        }
      : {
          startTime: t,
          failed: 1,
          conditions: [
            { type: 'FailureTarget', status: 'True' },
            { type: 'Failed', status: 'True' },
          ],
        };
  await jobs().patchStatus(ns, name, { status });
}

describe('CronJob admission', () => {
  it('defaults concurrencyPolicy, suspend and the history limits, keeping what was set', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const [sample] = loadManifests(SAMPLE) as unknown as CronJobObject[];
    const created = await cronJobs().create({ ...sample!, metadata: { ...sample!.metadata, namespace: ns } });
    expect(created.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      startingDeadlineSeconds: 60,
    });
    const kept = await cronJobs().create(
      cronJob(ns, 'kept', { concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 0 }),
    );
    expect(kept.spec).toMatchObject({
      concurrencyPolicy: 'Forbid',
      suspend: true,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 1,
    });
    // jobTemplate metadata is kept, not pruned (unlike the book's generated CRD).
    const labelled = await cronJobs().create(
      cronJob(ns, 'labelled', {
        suspend: true,
        jobTemplate: { metadata: { labels: { team: 'a' }, annotations: { note: 'b' } }, ...template },
      }),
    );
    expect(labelled.spec.jobTemplate.metadata).toEqual({ labels: { team: 'a' }, annotations: { note: 'b' } });
  });

  it("refuses a name over 52 characters and each schedule the cron parser rejects, with the book's messages", async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const denied = (name: string, what: string) =>
      `admission webhook "vcronjob-v1.kb.io" denied the request: CronJob.batch.tutorial.kubebuilder.io "${name}" is invalid: ${what}`;
    const long = 'a'.repeat(53);
    expect(await admissionError(cronJobs().create(cronJob(ns, long)))).toBe(
      denied(long, `metadata.name: Invalid value: "${long}": must be no more than 52 characters`),
    );
    for (const [schedule, message] of [
      ['invalid-cron-schedule', 'Expected exactly 5 fields, found 1: invalid-cron-schedule'],
      ['61 * * * *', 'End of range (61) above maximum (59): 61'],
      ['', 'Empty spec string'],
      ['@every x', 'Failed to parse duration @every x: time: invalid duration "x"'],
    ] as const)
      expect(await admissionError(cronJobs().create(cronJob(ns, 'bad', { schedule })))).toBe(
        denied('bad', `spec.schedule: Invalid value: "${schedule}": ${message}`),
      );
    // Both at once, on update.
    await cronJobs().create(cronJob(ns, 'fine', { suspend: true }));
    expect(await admissionError(cronJobs().patch(ns, 'fine', { spec: { schedule: 'x' } }))).toBe(
      denied('fine', 'spec.schedule: Invalid value: "x": Expected exactly 5 fields, found 1: x'),
    );
  });

  it('the schema refuses what it can: required jobTemplate, enum, minimums', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const base = cronJob(ns, 'schema');
    const { jobTemplate: _omit, ...noTemplate } = base.spec;
    const prefix = 'CronJob.batch.tutorial.kubebuilder.io "schema" is invalid: ';
    expect(await admissionError(cronJobs().create({ ...base, spec: noTemplate } as CronJobObject))).toBe(
      `${prefix}spec.jobTemplate: Required value`,
    );
    // One error per request: the real server lists sibling errors in Go map order.
    expect(
      await admissionError(cronJobs().create(cronJob(ns, 'schema', { concurrencyPolicy: 'Sometimes' as never }))),
    ).toBe(
      `${prefix}spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"`,
    );
    expect(await admissionError(cronJobs().create(cronJob(ns, 'schema', { startingDeadlineSeconds: -1 })))).toBe(
      `${prefix}spec.startingDeadlineSeconds: Invalid value: -1: spec.startingDeadlineSeconds in body should be greater than or equal to 0`,
    );
    expect(await admissionError(cronJobs().create(cronJob(ns, 'schema', { failedJobsHistoryLimit: -1 })))).toBe(
      `${prefix}spec.failedJobsHistoryLimit: Invalid value: -1: spec.failedJobsHistoryLimit in body should be greater than or equal to 0`,
    );
  });
});

describe('CronJob controller', () => {
  it('creates the Job of the latest missed run: <name>-<unix seconds>, scheduled-at, controller reference', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const { cj, created } = await startedAt(ns, 'every-minute', 150_000);
    const s = parseStandard('*/1 * * * *');
    let second = 0; // two or three runs missed: only the latest gets a Job
    for (let t = s.next(created)!; t <= created + 150_000; t = s.next(t)!) second = t;
    const name = `every-minute-${second / 1000}`;
    const job = await eventually(
      async () => {
        const [j] = await jobsOf(ns);
        expect(j?.metadata.name).toBe(name);
        return j!;
      },
      { timeout: 20_000 },
    );
    expect(await jobsOf(ns)).toHaveLength(1);
    expect(job.metadata.annotations?.[SCHEDULED_AT]).toBe(new Date(second).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(job.metadata.ownerReferences).toEqual([
      {
        apiVersion: CronJob.apiVersion,
        kind: 'CronJob',
        name: 'every-minute',
        uid: cj.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(job.spec?.template.spec?.containers[0]?.image).toBe('busybox');
    const reported = await eventually(
      async () => {
        const got = await cronJobs().get(ns, 'every-minute');
        expect(got?.status?.active?.map((a) => a.name)).toEqual([name]);
        return got!;
      },
      { timeout: 20_000 },
    );
    expect(reported.status?.lastScheduleTime).toBe(job.metadata.annotations?.[SCHEDULED_AT]);
    expect(condition(reported, 'Available')).toMatchObject({ status: 'True', reason: 'JobsActive' });
    // The next minute: one more Job, never a second one for the same instant.
    clockAt(cj, 210_000);
    await poke(ns, 'every-minute');
    await eventually(async () => expect((await jobsOf(ns)).map((j) => j.metadata.name).sort()).toHaveLength(2), {
      timeout: 20_000,
    });
    expect((await jobsOf(ns)).map((j) => j.metadata.name)).toContain(`every-minute-${s.next(second)! / 1000}`);
  });

  it('keeps the newest finished Jobs up to the history limits, deleting the oldest first', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const cj = await cronJobs().create(
      cronJob(ns, 'history', { suspend: true, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }),
    );
    const now = Date.now();
    await finishedJob(cj, 'history-failed-old', 'Failed', new Date(now - 60_000));
    await finishedJob(cj, 'history-failed-new', 'Failed', new Date(now));
    await finishedJob(cj, 'history-ok-old', 'Complete', new Date(now - 60_000));
    await finishedJob(cj, 'history-ok-older', 'Complete', new Date(now - 120_000));
    await finishedJob(cj, 'history-ok-new', 'Complete', new Date(now));
    await eventually(
      async () => {
        const left = (await jobsOf(ns)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name);
        expect(left.sort()).toEqual(['history-failed-new', 'history-ok-new']);
      },
      { timeout: 30_000 },
    );
    const got = await cronJobs().get(ns, 'history');
    expect(condition(got, 'Available')).toMatchObject({ status: 'False', reason: 'Suspended' });
  });

  it('suspend: no Job, Available=False Suspended', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const cj = await cronJobs().create(cronJob(ns, 'paused', { suspend: true }));
    clockAt(cj, 90_000);
    await poke(ns, 'paused');
    await eventually(
      async () =>
        expect(condition(await cronJobs().get(ns, 'paused'), 'Available')).toMatchObject({
          status: 'False',
          reason: 'Suspended',
          message: 'CronJob is suspended',
        }),
      { timeout: 20_000 },
    );
    expect(await jobsOf(ns)).toEqual([]);
  });

  it('Forbid skips a run while a Job is running; Replace deletes it and starts the new one', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    const { cj: forbid } = await startedAt(ns, 'forbid', 90_000, { concurrencyPolicy: 'Forbid' });
    await cronJobs().create(cronJob(ns, 'replace', { concurrencyPolicy: 'Replace', suspend: true }));
    await cronJobs().patch(ns, 'replace', { spec: { suspend: false } });
    const first = await eventually(
      async () => {
        const names = (await jobsOf(ns)).map((j) => j.metadata.name!).sort();
        expect(names).toHaveLength(2);
        return names;
      },
      { timeout: 20_000 },
    );
    clockAt(forbid, 150_000);
    await poke(ns, 'forbid');
    await poke(ns, 'replace');
    const byOwner = async (owner: string) =>
      (await jobsOf(ns))
        .filter((j) => j.metadata.ownerReferences?.[0]?.name === owner && !j.metadata.deletionTimestamp)
        .map((j) => j.metadata.name!);
    await eventually(
      async () => {
        const replaced = await byOwner('replace');
        expect(replaced).toHaveLength(1);
        expect(first).not.toContain(replaced[0]);
      },
      { timeout: 20_000 },
    );
    expect(await byOwner('forbid')).toEqual(first.filter((n) => n.startsWith('forbid-')));
  });

  it('too many missed starts is Degraded with the book’s advice', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    await startedAt(ns, 'late', 200 * 60_000);
    await eventually(
      async () =>
        expect(condition(await cronJobs().get(ns, 'late'), 'Degraded')).toMatchObject({
          status: 'True',
          reason: 'InvalidSchedule',
          message:
            'Failed to parse schedule: Too many missed start times (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew.',
        }),
      { timeout: 20_000 },
    );
    expect(await jobsOf(ns)).toEqual([]);
    // With a deadline only the last minutes count: the latest run gets its Job.
    await cronJobs().patch(ns, 'late', { spec: { startingDeadlineSeconds: 120 } });
    await eventually(async () => expect(await jobsOf(ns)).toHaveLength(1), { timeout: 20_000 });
  });

  it('deleting a CronJob garbage-collects its Jobs', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    await startedAt(ns, 'gone', 90_000);
    await eventually(async () => expect(await jobsOf(ns)).toHaveLength(1), { timeout: 20_000 });
    await cronJobs().delete(ns, 'gone', { propagationPolicy: 'Background' });
    await eventually(async () => expect(await jobsOf(ns)).toEqual([]), { timeout: 60_000 });
  });
});

describe('CronJob v2 and the conversion webhook', () => {
  const v2s = () => env.client.resource(CronJobV2);

  it('v2 → v1: the schedule fields joined, missing ones as *; v1 → v2 splits them', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    await v2s().create({
      apiVersion: CronJobV2.apiVersion,
      kind: 'CronJob',
      metadata: { name: 'structured', namespace: ns },
      spec: {
        schedule: { minute: '*/5', hour: '3' },
        suspend: true,
        concurrencyPolicy: 'Allow',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: template,
      } as CronJobV2Object['spec'],
    });
    expect((await cronJobs().get(ns, 'structured'))?.spec.schedule).toBe('*/5 3 * * *');
    await cronJobs().create(cronJob(ns, 'flat', { schedule: '0 12 1 * mon', suspend: true }));
    expect((await v2s().get(ns, 'flat'))?.spec.schedule).toEqual({
      minute: '0',
      hour: '12',
      dayOfMonth: '1',
      dayOfWeek: 'mon',
    });
  });

  it('a v1 schedule that is not five fields cannot be read as v2: the webhook’s error', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    await cronJobs().create(cronJob(ns, 'hourly', { schedule: '@hourly', suspend: true }));
    const err = await admissionError(v2s().get(ns, 'hourly'));
    expect(err).toBe(
      'conversion webhook for batch.tutorial.kubebuilder.io/v1, Kind=CronJob failed: invalid schedule: not a standard 5-field schedule',
    );
  });

  it('kubectl get cronjobs.v2.batch.tutorial.kubebuilder.io lists them', async () => {
    const ns = await createTestNamespace(env.cp, 'cj-');
    await cronJobs().create(cronJob(ns, 'listed', { suspend: true }));
    const r = await runKubectl(env.cp, ['get', 'cronjobs.v2.batch.tutorial.kubebuilder.io', '-n', ns]);
    if (r.code === 127) return; // no kubectl on this machine
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+SCHEDULE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n/);
    expect(r.stdout).toContain('listed');
  });
});
