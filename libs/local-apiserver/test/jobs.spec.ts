import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './helpers.ts';

// Expected texts are kube-apiserver v1.36.2's answers to the same requests (docs/apiserver.md §9.8).
const JOBS = '/apis/batch/v1/namespaces/default/jobs';

function job(name: string, extra: Record<string, unknown> = {}, restartPolicy: string | null = 'OnFailure') {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      managedBy: 'example.com/test',
      ...extra,
      template: {
        spec: { containers: [{ name: 'c', image: 'busybox' }], ...(restartPolicy ? { restartPolicy } : {}) },
      },
    },
  };
}

describe('batch/v1 Jobs and CronJobs', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start({ simulateJobs: false });
  });
  afterAll(() => t?.stop());

  async function statusPatch(name: string, status: unknown) {
    return t.patch(`${JOBS}/${name}/status`, { status });
  }
  async function created(name: string, extra: Record<string, unknown> = {}) {
    const r = await t.post(JOBS, job(name, extra));
    expect(r.status, r.text).toBe(201);
    return r.body;
  }

  it('JOB-1 discovery lists cronjobs (cj, all) and jobs (all) with status subresources', async () => {
    const { body } = await t.get('/apis/batch/v1');
    expect(body.resources.map((r: { name: string }) => r.name)).toEqual([
      'cronjobs',
      'cronjobs/status',
      'jobs',
      'jobs/status',
    ]);
    expect(body.resources[0]).toMatchObject({ kind: 'CronJob', shortNames: ['cj'], categories: ['all'] });
    expect(body.resources[2]).toMatchObject({ kind: 'Job', categories: ['all'] });
    expect(body.resources[2].shortNames).toBeUndefined();
  });

  it('JOB-1 a created Job is defaulted and gets the generated selector and labels', async () => {
    const j = await created('defaults');
    const uid = j.metadata.uid;
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'defaults',
      'controller-uid': uid,
      'job-name': 'defaults',
    };
    expect(j.metadata.labels).toEqual(labels);
    expect(j.metadata.generation).toBe(1);
    expect(j.spec).toMatchObject({
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      parallelism: 1,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      suspend: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    });
    expect(j.spec.template.metadata.labels).toEqual(labels);
    expect(j.spec.template.spec).toMatchObject({ restartPolicy: 'OnFailure', dnsPolicy: 'ClusterFirst' });
    expect(j.status).toEqual({});
  });

  it('JOB-2 spec validation: restartPolicy, containers, managedBy format and immutability', async () => {
    const noRestart = await t.post(JOBS, job('bad1', {}, null));
    expect(noRestart.status).toBe(422);
    expect(noRestart.body.message).toBe(
      'Job.batch "bad1" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    );
    const badManagedBy = await t.post(JOBS, job('bad2', { managedBy: 'not a domain' }));
    expect(badManagedBy.body.message).toBe(
      'Job.batch "bad2" is invalid: spec.managedBy: Invalid value: "not a domain": must be a domain-prefixed path (such as "acme.io/foo")',
    );
    const noContainers = await t.post(JOBS, {
      ...job('bad3'),
      spec: { template: { spec: { containers: [], restartPolicy: 'Never' } } },
    });
    expect(noContainers.body.message).toBe(
      'Job.batch "bad3" is invalid: spec.template.spec.containers: Required value',
    );
    await created('immutable');
    const mb = await t.patch(`${JOBS}/immutable`, { spec: { managedBy: 'example.com/other' } });
    expect(mb.body.message).toBe(
      'Job.batch "immutable" is invalid: spec.managedBy: Invalid value: "example.com/other": field is immutable',
    );
    const completions = await t.patch(`${JOBS}/immutable`, { spec: { completions: 3 } });
    expect(completions.body.message).toBe(
      'Job.batch "immutable" is invalid: spec.completions: Invalid value: 3: field is immutable',
    );
    const parallelism = await t.patch(`${JOBS}/immutable`, { spec: { parallelism: 3 } });
    expect(parallelism.status).toBe(200);
    expect(parallelism.body.metadata.generation).toBe(2);
  });

  it('JOB-3 a finished status needs SuccessCriteriaMet/FailureTarget, completionTime and startTime', async () => {
    await created('sa');
    const sa = await statusPatch('sa', { conditions: [{ type: 'Complete', status: 'True' }] });
    expect(sa.status).toBe(422);
    expect(sa.body.message).toBe(
      'Job.batch "sa" is invalid: [status.completionTime: Required value: completionTime is required for Complete jobs, ' +
        'status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition, ' +
        'status.startTime: Required value: startTime is required for finished job]',
    );
    await created('se');
    const se = await statusPatch('se', { conditions: [{ type: 'Failed', status: 'True' }] });
    expect(se.body.message).toBe(
      'Job.batch "se" is invalid: [status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition, ' +
        'status.startTime: Required value: startTime is required for finished job]',
    );
    await created('sd');
    const sd = await statusPatch('sd', { startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:01:00Z' });
    expect(sd.body.message).toBe(
      'Job.batch "sd" is invalid: status.completionTime: Invalid value: "2026-01-01T00:01:00Z": cannot set completionTime when there is no Complete=True condition',
    );
    await created('sn');
    const sn = await statusPatch('sn', {
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2025-01-01T00:01:00Z',
      succeeded: 1,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True' },
        { type: 'Complete', status: 'True' },
      ],
    });
    expect(sn.body.message).toBe(
      'Job.batch "sn" is invalid: status.completionTime: Invalid value: "2025-01-01T00:01:00Z": must be equal to or after `startTime`',
    );
    await created('sm');
    const sm = await statusPatch('sm', {
      startTime: '2026-01-01T00:00:00Z',
      active: 1,
      conditions: [
        { type: 'FailureTarget', status: 'True' },
        { type: 'Failed', status: 'True' },
      ],
    });
    expect(sm.body.message).toBe(
      'Job.batch "sm" is invalid: status.active: Invalid value: 1: active>0 is invalid for finished job',
    );
    await created('sg');
    const sg = await statusPatch('sg', { active: -1 });
    expect(sg.body.message).toBe(
      'Job.batch "sg" is invalid: status.active: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('JOB-3 the book’s finished statuses are accepted, conditions get null times, terminal conditions stay', async () => {
    await created('done');
    const ok = await statusPatch('done', {
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2026-01-01T00:01:00Z',
      succeeded: 1,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True' },
        { type: 'Complete', status: 'True' },
      ],
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.status.conditions[0]).toEqual({
      type: 'SuccessCriteriaMet',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: null,
    });
    const undo = await statusPatch('done', { conditions: null, completionTime: null });
    expect(undo.body.message).toBe(
      'Job.batch "done" is invalid: [status.conditions: Invalid value: cannot disable the terminal Complete=True condition, ' +
        'status.conditions: Invalid value: cannot disable the SuccessCriteriaMet=True condition]',
    );
    await created('failed');
    const failed = await statusPatch('failed', {
      startTime: '2026-01-01T00:00:00Z',
      conditions: [
        { type: 'FailureTarget', status: 'True' },
        { type: 'Failed', status: 'True' },
      ],
    });
    expect(failed.status, failed.text).toBe(200);
    const moved = await statusPatch('failed', { startTime: '2026-01-02T00:00:00Z' });
    expect(moved.body.message).toBe(
      'Job.batch "failed" is invalid: status.startTime: Invalid value: "2026-01-02T00:00:00Z": field is immutable for unsuspended job once set',
    );
  });

  it('JOB-5 a CronJob is defaulted and printed with its columns; JOB-1 Jobs print STATUS/COMPLETIONS/DURATION', async () => {
    const r = await t.post('/apis/batch/v1/namespaces/default/cronjobs', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cj' },
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } },
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(r.body.status).toEqual({});
    const table = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
    const cj = await t.get('/apis/batch/v1/namespaces/default/cronjobs', table);
    expect(cj.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(cj.body.rows[0].cells.slice(0, 6)).toEqual(['cj', '*/1 * * * *', '<none>', 'False', 0, '<none>']);
    const jobs = await t.get(`${JOBS}?fieldSelector=metadata.name=done`, table);
    expect(jobs.body.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Status',
      'Completions',
      'Duration',
      'Age',
    ]);
    expect(jobs.body.rows[0].cells.slice(0, 4)).toEqual(['done', 'Complete', '1/1', '60s']);
  });
});

describe('JOB-4 Job simulation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start({ simulateJobs: { completeAfterSeconds: 1 } });
  });
  afterAll(() => t?.stop());

  it('JOB-4 a Job starts at once and completes after completeAfterSeconds; managedBy elsewhere is left alone', async () => {
    const mine = job('sim');
    delete (mine.spec as Record<string, unknown>).managedBy;
    const created = await t.post(JOBS, mine);
    expect(created.status).toBe(201);
    expect((await t.post(JOBS, job('external'))).status).toBe(201);
    // Every state the Job passes through, from a watch: the started state lasts only
    // completeAfterSeconds, and polling on a loaded machine can step over it.
    interface JobStatus {
      startTime?: string;
      completionTime?: string;
      active?: number;
      succeeded?: number;
      conditions?: { type: string; status: string; reason: string }[];
    }
    type JobEvent = { object: { status?: JobStatus } };
    const completed = (ev: JobEvent[]) => ev.some((e) => e.object.status?.completionTime);
    const seen: { events: JobEvent[] } = await t.watch(
      `${JOBS}?watch=1&fieldSelector=metadata.name=sim&resourceVersion=${created.body.metadata.resourceVersion}`,
      completed,
      15_000,
    );
    expect(completed(seen.events), JSON.stringify(seen.events.map((e) => e.object.status))).toBe(true);
    const started = seen.events.find((e) => e.object.status?.startTime)!.object;
    expect(started.status).toMatchObject({ active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    const done = seen.events.find((e) => e.object.status?.completionTime)!.object as { status: Required<JobStatus> };
    expect(done.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    expect(done.status.succeeded).toBe(1);
    expect(done.status.active).toBeUndefined();
    expect(Date.parse(done.status.completionTime) - Date.parse(done.status.startTime)).toBeGreaterThanOrEqual(1000);
    await t.server.controllersIdle();
    const external = await t.get(`${JOBS}/external`);
    expect(external.body.status).toEqual({});
  });
});
