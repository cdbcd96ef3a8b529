import { WebhookServer } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { CronJob, type CronJobObject } from '../api/v1/cron-job.ts';
import {
  defaultCronJob,
  setupCronJobWebhooks,
  validateCronJobCreate,
  validateCronJobDelete,
  validateCronJobUpdate,
} from './cron-job.webhook.ts';

const sample = (): CronJobObject => ({
  apiVersion: CronJob.apiVersion,
  kind: CronJob.kind,
  metadata: { name: 'cronjob-sample', namespace: 'default' },
  spec: { foo: 'bar' },
});

describe('CronJob webhooks', () => {
  it("are served at kubebuilder's paths", () => {
    const server = new WebhookServer({ certDir: '' });
    setupCronJobWebhooks(server);
    expect(server.registrations().map((r) => [r.type, r.path])).toEqual([
      ['mutating', '/mutate-batch-tutorial-kubebuilder-io-v1-cronjob'],
      ['validating', '/validate-batch-tutorial-kubebuilder-io-v1-cronjob'],
      ['conversion', '/convert'],
    ]);
  });

  // TODO(user): one case per default, and that a value the user set is kept.
  it('defaulting keeps a complete object as it is', () => {
    const obj = sample();
    defaultCronJob(obj);
    expect(obj).toEqual(sample());
  });

  // TODO(user): one case per rule, with the exact field error the API server will show.
  it('validation accepts a valid object on create, update and delete', () => {
    expect(validateCronJobCreate(sample())).toEqual([]);
    expect(validateCronJobUpdate(sample(), sample())).toEqual([]);
    expect(validateCronJobDelete(sample())).toEqual([]);
  });
});
