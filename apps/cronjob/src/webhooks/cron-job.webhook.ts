import type { FieldError, WebhookServer } from '@kubeloop/runtime';
import { CronJob, type CronJobObject } from '../api/v1/cron-job.ts';

/**
 * Defaulting (kubebuilder's Default): fills in what the user left out, on create and update,
 * before the API server validates and stores the object. Mutate `obj` in place; the webhook
 * server answers with the JSON patch of the change. Runs on every write, so it must be
 * idempotent and leave set fields alone.
 * TODO(user): set defaults here.
 */
export function defaultCronJob(obj: CronJobObject): void {
  void obj;
}

/**
 * Validation (kubebuilder's ValidateCreate/Update/Delete): return a field error for each thing
 * wrong, and the API server refuses the request with kube-apiserver's message format
 * (`The CronJob "name" is invalid: spec.x: Invalid value: …`). No error accepts it.
 * TODO(user): check what the schema cannot (cross-field rules, immutable fields).
 */
export function validateCronJobCreate(obj: CronJobObject): FieldError[] {
  void obj;
  return [];
}

export function validateCronJobUpdate(oldObj: CronJobObject, obj: CronJobObject): FieldError[] {
  void oldObj;
  void obj;
  return [];
}

/** Refusing a delete can leave users stuck with an object: keep this for real invariants. */
export function validateCronJobDelete(obj: CronJobObject): FieldError[] {
  void obj;
  return [];
}

/**
 * Registers the CronJob webhooks on the manager's webhook server (listed in manifests.ts, so
 * `nx run cronjob:manifests` renders their configurations from these registrations):
 * defaulting at /mutate-batch-tutorial-kubebuilder-io-v1-cronjob (mcronjob-v1.kb.io),
 * validation at /validate-batch-tutorial-kubebuilder-io-v1-cronjob (vcronjob-v1.kb.io),
 * conversion at /convert: v1 is the hub (storage) version; add each other version as a spoke
 * `{ kind, toHub, fromHub }` and the CRD serves them all with conversion.strategy Webhook,
 * failurePolicy Fail.
 */
export function setupCronJobWebhooks(server: Pick<WebhookServer, 'defaulter' | 'validator' | 'converter'>): void {
  server.defaulter(CronJob, defaultCronJob);
  server.validator(CronJob, {
    create: validateCronJobCreate,
    update: validateCronJobUpdate,
    delete: validateCronJobDelete,
  });
  server.converter(CronJob, [
    // TODO(user): { kind: CronJobV2, toHub: (v2) => ({ ... }), fromHub: (hub) => ({ ... }) },
  ]);
}
