import { WebhookServer } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { CronJob, type CronJobObject } from '../api/v1/cron-job.ts';
import { scheduleFromFields, scheduleToFields } from '../schedule/schedule-fields.ts';
import { defaultCronJob, setupCronJobWebhooks, validateCronJob } from './cron-job.webhook.ts';

const sample = (spec: Partial<CronJobObject['spec']> = {}): CronJobObject => ({
  apiVersion: CronJob.apiVersion,
  kind: CronJob.kind,
  metadata: { name: 'cronjob-sample', namespace: 'default' },
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } },
    ...spec,
  } as CronJobObject['spec'],
});

describe('CronJob webhooks', () => {
  it("are served at kubebuilder's paths, with v1 as the conversion hub", () => {
    const server = new WebhookServer({ certDir: '' });
    setupCronJobWebhooks(server);
    expect(server.registrations().map((r) => [r.type, r.path])).toEqual([
      ['mutating', '/mutate-batch-tutorial-kubebuilder-io-v1-cronjob'],
      ['validating', '/validate-batch-tutorial-kubebuilder-io-v1-cronjob'],
      ['conversion', '/convert'],
    ]);
  });

  it('defaulting fills concurrencyPolicy, suspend and the history limits, and keeps what is set', () => {
    const obj = sample();
    defaultCronJob(obj);
    expect(obj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    const set = sample({
      concurrencyPolicy: 'Replace',
      suspend: true,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 5,
    });
    defaultCronJob(set);
    expect(set.spec).toMatchObject({
      concurrencyPolicy: 'Replace',
      suspend: true,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 5,
    });
  });

  it('validation: a name over 52 characters and an unparsable schedule, both reported', () => {
    expect(validateCronJob(sample())).toEqual([]);
    const long = { ...sample({ schedule: 'invalid-cron-schedule' }), metadata: { name: 'x'.repeat(53) } };
    expect(validateCronJob(long)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        value: 'x'.repeat(53),
        detail: 'must be no more than 52 characters',
      },
      {
        type: 'FieldValueInvalid',
        field: 'spec.schedule',
        value: 'invalid-cron-schedule',
        detail: 'Expected exactly 5 fields, found 1: invalid-cron-schedule',
      },
    ]);
    expect(validateCronJob({ ...sample(), metadata: { name: 'x'.repeat(52) } })).toEqual([]);
  });

  it('conversion of the schedule: v2 fields → v1 string and back; v1 that is not five fields fails', () => {
    expect(scheduleFromFields({ minute: '*/5', hour: '3' })).toBe('*/5 3 * * *');
    expect(scheduleFromFields({})).toBe('* * * * *');
    expect(scheduleToFields('0 12 1 * mon')).toEqual({ minute: '0', hour: '12', dayOfMonth: '1', dayOfWeek: 'mon' });
    expect(() => scheduleToFields('@hourly')).toThrow('invalid schedule: not a standard 5-field schedule');
    expect(() => scheduleToFields('0  12 1 * *')).toThrow('invalid schedule: not a standard 5-field schedule');
  });
});
