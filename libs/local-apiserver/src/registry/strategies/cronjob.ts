/**
 * batch/v1 CronJob (JOB-5): served, defaulted and validated like the real one so that discovery,
 * `kubectl get cronjobs` and the `all` category behave as on a cluster. No CronJob controller runs
 * here (kube-controller-manager's would create Jobs on a real cluster); the schedule's syntax is
 * not checked.
 */
import type { FieldError, KubeObject } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { ensureObj, obj, setDefault, statusSplit, type Obj } from './shared.ts';
import { defaultPodSpec } from './pod-template.ts';

function validateCronJob(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  if (typeof spec.schedule !== 'string' || spec.schedule === '')
    errs.push({ type: 'FieldValueRequired', field: 'spec.schedule' });
  if (
    spec.concurrencyPolicy !== undefined &&
    (typeof spec.concurrencyPolicy !== 'string' || !['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy))
  )
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.concurrencyPolicy',
      value: spec.concurrencyPolicy,
      detail: 'supported values: "Allow", "Forbid", "Replace"',
    });
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const v = spec[f];
    if (typeof v === 'number' && v < 0)
      errs.push({
        type: 'FieldValueInvalid',
        field: `spec.${f}`,
        value: v,
        detail: 'must be greater than or equal to 0',
      });
  }
  const podSpec = obj(obj(obj(obj(spec.jobTemplate).spec).template).spec);
  if (!Array.isArray(podSpec.containers) || podSpec.containers.length === 0)
    errs.push({ type: 'FieldValueRequired', field: 'spec.jobTemplate.spec.template.spec.containers' });
  const rp = podSpec.restartPolicy;
  if (rp === undefined || rp === '')
    errs.push({
      type: 'FieldValueRequired',
      field: 'spec.jobTemplate.spec.template.spec.restartPolicy',
      detail: 'valid values: "OnFailure", "Never"',
    });
  else if (rp !== 'OnFailure' && rp !== 'Never')
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.jobTemplate.spec.template.spec.restartPolicy',
      value: rp,
      detail: 'supported values: "OnFailure", "Never"',
    });
  return errs;
}

export const cronJobStrategy: Strategy = {
  generation: 'spec',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    const podSpec = ensureObj(ensureObj(ensureObj(ensureObj(spec, 'jobTemplate'), 'spec'), 'template'), 'spec');
    const hadRestartPolicy = podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== '';
    defaultPodSpec(podSpec as Obj);
    if (!hadRestartPolicy) delete podSpec.restartPolicy;
  },
  ...statusSplit,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: validateCronJob,
};
