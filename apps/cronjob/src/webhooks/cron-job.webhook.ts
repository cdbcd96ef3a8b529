import type { FieldError, WebhookServer } from '@kubeloop/runtime';
import { CronJob, type CronJobObject } from '../api/v1/cron-job.ts';
import { CronJob as CronJobV2, type CronJobObject as CronJobV2Object } from '../api/v2/cron-job.ts';
import { parseStandard } from '../schedule/cron-schedule.ts';
import { scheduleFromFields, scheduleToFields } from '../schedule/schedule-fields.ts';

/** A Job name is `<cronjob>-<unix seconds>` (11 characters) and must stay a DNS-1035 label (63). */
export const MAX_NAME_LENGTH = 63 - 11;

export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

/**
 * The book's defaults, set only where the user left the field out (create and update):
 * concurrencyPolicy Allow, suspend false, history limits 3 successful and 1 failed.
 */
export function defaultCronJob(obj: CronJobObject): void {
  const spec = obj.spec;
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT;
  spec.failedJobsHistoryLimit ??= DEFAULT_FAILED_JOBS_HISTORY_LIMIT;
}

/**
 * What the schema cannot check, with the book's messages: the name leaves room for the Job
 * suffix (`metadata.name: Invalid value: "<name>": must be no more than 52 characters`), and the
 * schedule is one the standard cron parser accepts (`spec.schedule: Invalid value: "<s>": <the
 * parser's message>`, e.g. `Expected exactly 5 fields, found 1: invalid-cron-schedule`).
 */
export function validateCronJob(obj: CronJobObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  if (name.length > MAX_NAME_LENGTH)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: name,
      detail: `must be no more than ${MAX_NAME_LENGTH} characters`,
    });
  try {
    parseStandard(obj.spec.schedule);
  } catch (e) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.schedule',
      value: obj.spec.schedule,
      detail: (e as Error).message,
    });
  }
  return errs;
}

/**
 * Registers the CronJob webhooks on the manager's webhook server (listed in manifests.ts, so
 * `nx run cronjob:manifests` renders their configurations from these registrations):
 * defaulting at /mutate-batch-tutorial-kubebuilder-io-v1-cronjob (mcronjob-v1.kb.io),
 * validation at /validate-batch-tutorial-kubebuilder-io-v1-cronjob (vcronjob-v1.kb.io),
 * conversion at /convert with v1 as the hub (storage) version and v2 as a spoke,
 * failurePolicy Fail. Requests in v2 reach the v1 webhooks converted (matchPolicy Equivalent,
 * on a real API server).
 */
export function setupCronJobWebhooks(server: Pick<WebhookServer, 'defaulter' | 'validator' | 'converter'>): void {
  server.defaulter(CronJob, defaultCronJob);
  server.validator(CronJob, {
    create: validateCronJob,
    update: (_old, obj) => validateCronJob(obj),
  });
  server.converter(CronJob, [
    {
      kind: CronJobV2,
      toHub: (v2: CronJobV2Object): CronJobObject => {
        const { schedule, ...rest } = v2.spec;
        return {
          ...v2,
          apiVersion: CronJob.apiVersion,
          spec: { ...rest, schedule: scheduleFromFields(schedule) },
          ...(v2.status ? { status: sharedStatus(v2.status) } : {}),
        } as CronJobObject;
      },
      fromHub: (hub: CronJobObject): CronJobV2Object => {
        const { schedule, ...rest } = hub.spec;
        return {
          ...hub,
          apiVersion: CronJobV2.apiVersion,
          spec: { ...rest, schedule: scheduleToFields(schedule) },
          ...(hub.status ? { status: sharedStatus(hub.status) } : {}),
        } as CronJobV2Object;
      },
    },
  ]);
}

/** As the book's conversion: `active` and `lastScheduleTime` cross versions, conditions do not. */
function sharedStatus(status: NonNullable<CronJobObject['status']>): NonNullable<CronJobObject['status']> {
  return {
    ...(status.active ? { active: status.active } : {}),
    ...(status.lastScheduleTime ? { lastScheduleTime: status.lastScheduleTime } : {}),
  };
}
