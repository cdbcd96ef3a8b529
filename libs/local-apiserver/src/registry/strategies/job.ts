/**
 * batch/v1 Job (JOB-1..4): defaults, the generated selector and labels, spec validation and the
 * status rules kube-apiserver 1.36 applies to every /status write (a controller or a test that
 * marks a Job finished must write a status the real Job controller could have written).
 */
import type { FieldError, KubeObject } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { ensureObj, obj, setDefault, statusSplit, takeStatus, type Obj } from './shared.ts';
import { textOf } from '../../engine/object-values.ts';
import { defaultPodSpec } from './pod-template.ts';

const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
const JOB_NAME = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID = 'controller-uid';
const LEGACY_JOB_NAME = 'job-name';

/** `spec.managedBy`: a domain-prefixed path, at most 63 characters (JOB-2). */
const MANAGED_BY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/**
 * SetDefaults_Job plus the pod template's defaults. The template's restartPolicy is NOT defaulted
 * to Always (a Job's Pods must say OnFailure or Never; the real server answers Required).
 */
export function defaultJobSpec(spec: Obj): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  setDefault(spec, 'manualSelector', false);
  const template = ensureObj(spec, 'template');
  const podSpec = ensureObj(template, 'spec');
  const hadRestartPolicy = podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== '';
  defaultPodSpec(podSpec);
  if (!hadRestartPolicy) delete podSpec.restartPolicy;
}

/** Conditions as Go serializes batch/v1 JobCondition: the two times are always present (null when unset). */
function normalizeConditions(status: Obj): void {
  if (!Array.isArray(status.conditions)) return;
  for (const c of status.conditions as Obj[]) {
    if (c && typeof c === 'object') {
      if (c.lastProbeTime === undefined) c.lastProbeTime = null;
      if (c.lastTransitionTime === undefined) c.lastTransitionTime = null;
    }
  }
}

function hasCondition(status: Obj, type: string): boolean {
  return (
    Array.isArray(status.conditions) &&
    (status.conditions as Obj[]).some((c) => c?.type === type && c.status === 'True')
  );
}

function validateJobSpec(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const podSpec = obj(obj(spec.template).spec);
  const containers = podSpec.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    errs.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers' });
  const rp = podSpec.restartPolicy;
  if (rp === undefined || rp === '')
    errs.push({
      type: 'FieldValueRequired',
      field: 'spec.template.spec.restartPolicy',
      detail: 'valid values: "OnFailure", "Never"',
    });
  else if (rp !== 'OnFailure' && rp !== 'Never')
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.template.spec.restartPolicy',
      value: rp,
      detail: 'supported values: "OnFailure", "Never"',
    });
  for (const f of ['parallelism', 'completions', 'backoffLimit']) {
    const v = spec[f];
    if (typeof v === 'number' && v < 0)
      errs.push({
        type: 'FieldValueInvalid',
        field: `spec.${f}`,
        value: v,
        detail: 'must be greater than or equal to 0',
      });
  }
  if (spec.managedBy !== undefined && spec.managedBy !== null) {
    const mb = textOf(spec.managedBy);
    if (!MANAGED_BY.test(mb))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.managedBy',
        value: mb,
        detail: 'must be a domain-prefixed path (such as "acme.io/foo")',
      });
    else if (mb.length > 63)
      errs.push({
        type: 'FieldValueTooLong',
        field: 'spec.managedBy',
        value: mb,
        detail: 'may not be more than 63 bytes',
      });
  }
  if (old) {
    const oldSpec = obj(old.spec);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(spec.managedBy, oldSpec.managedBy))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.managedBy',
        value: spec.managedBy ?? '',
        detail: 'field is immutable',
      });
    if (!same(spec.selector, oldSpec.selector))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        value: spec.selector,
        detail: 'field is immutable',
      });
    // The real value is Go's dump of the internal PodTemplateSpec; we print the template's JSON.
    if (!same(spec.template, oldSpec.template))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.template',
        value: spec.template,
        detail: 'field is immutable',
      });
    if (!same(spec.completions, oldSpec.completions))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.completions',
        value: spec.completions,
        detail: 'field is immutable',
      });
    if (!same(spec.completionMode, oldSpec.completionMode))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.completionMode',
        value: spec.completionMode,
        detail: 'field is immutable',
      });
  }
  return errs;
}

/**
 * The status rules of ValidateJobUpdateStatus (JOB-3), in the order the real server reports
 * them: counts, then completionTime, the terminal conditions, active on a finished Job, startTime.
 */
export function validateJobStatus(o: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = obj(o.status);
  const oldStatus = obj(old.status);
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) {
    const v = status[f];
    if (typeof v === 'number' && v < 0)
      errs.push({
        type: 'FieldValueInvalid',
        field: `status.${f}`,
        value: v,
        detail: 'must be greater than or equal to 0',
      });
  }
  if (typeof status.ready === 'number' && status.ready > (typeof status.active === 'number' ? status.active : 0))
    errs.push({
      type: 'FieldValueInvalid',
      field: 'status.ready',
      value: status.ready,
      detail: 'cannot set more ready pods than active',
    });
  const complete = hasCondition(status, 'Complete');
  const failed = hasCondition(status, 'Failed');
  const finished = complete || failed;
  const completionTime = status.completionTime ?? undefined;
  const startTime = status.startTime ?? undefined;
  if (complete && completionTime === undefined)
    errs.push({
      type: 'FieldValueRequired',
      field: 'status.completionTime',
      detail: 'completionTime is required for Complete jobs',
    });
  if (completionTime !== undefined && !complete)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'status.completionTime',
      value: completionTime,
      detail: 'cannot set completionTime when there is no Complete=True condition',
    });
  if (
    completionTime !== undefined &&
    startTime !== undefined &&
    Date.parse(textOf(completionTime)) < Date.parse(textOf(startTime))
  )
    errs.push({
      type: 'FieldValueInvalid',
      field: 'status.completionTime',
      value: completionTime,
      detail: 'must be equal to or after `startTime`',
    });
  const conditionError = (detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field: 'status.conditions',
    detail,
    omitValue: true,
  });
  if (complete && !hasCondition(status, 'SuccessCriteriaMet'))
    errs.push(conditionError('cannot set Complete=True condition without the SuccessCriteriaMet=true condition'));
  if (failed && !hasCondition(status, 'FailureTarget'))
    errs.push(conditionError('cannot set Failed=True condition without the FailureTarget=true condition'));
  for (const t of ['Complete', 'Failed'])
    if (hasCondition(oldStatus, t) && !hasCondition(status, t))
      errs.push(conditionError(`cannot disable the terminal ${t}=True condition`));
  for (const t of ['SuccessCriteriaMet', 'FailureTarget'])
    if (hasCondition(oldStatus, t) && !hasCondition(status, t))
      errs.push(conditionError(`cannot disable the ${t}=True condition`));
  if (finished && typeof status.active === 'number' && status.active > 0)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'status.active',
      value: status.active,
      detail: 'active>0 is invalid for finished job',
    });
  const suspended = obj(o.spec).suspend === true;
  if (finished && startTime === undefined && !suspended)
    errs.push({
      type: 'FieldValueRequired',
      field: 'status.startTime',
      detail: 'startTime is required for finished job',
    });
  const oldStart = oldStatus.startTime ?? undefined;
  if (oldStart !== undefined && startTime !== undefined && startTime !== oldStart && !suspended)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'status.startTime',
      value: startTime,
      detail: 'field is immutable for unsuspended job once set',
    });
  return errs;
}

export const jobStrategy: Strategy = {
  generation: 'spec',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    defaultJobSpec(ensureObj(o, 'spec'));
  },
  prepareForCreate(o) {
    delete o.status;
    o.status = {};
    const md = o.metadata!;
    const spec = ensureObj(o, 'spec');
    const template = ensureObj(spec, 'template');
    const tmd = ensureObj(template, 'metadata');
    if (spec.manualSelector !== true) {
      // generateSelector: the Job's uid ties its Pods to it; the names are for humans.
      const uid = md.uid!;
      tmd.labels = {
        ...obj(tmd.labels),
        [CONTROLLER_UID]: uid,
        [JOB_NAME]: md.name!,
        [LEGACY_CONTROLLER_UID]: uid,
        [LEGACY_JOB_NAME]: md.name!,
      };
      spec.selector = { matchLabels: { [CONTROLLER_UID]: uid } };
    }
    // SetDefaults_Job on the stored object: a Job without labels shows its template's.
    if (!md.labels || Object.keys(md.labels).length === 0) {
      const labels = obj(tmd.labels) as Record<string, string>;
      if (Object.keys(labels).length) md.labels = { ...labels };
    }
  },
  prepareForUpdate: statusSplit.prepareForUpdate,
  prepareForStatusUpdate(o, old) {
    const out = takeStatus(o, old);
    if (out.status && typeof out.status === 'object') normalizeConditions(out.status as Obj);
    return out;
  },
  validate: validateJobSpec,
  validateStatus: validateJobStatus,
};

/** A Job's status as a test or controller reads it, for the simulation and printers. */
export function jobFinished(o: KubeObject): 'Complete' | 'Failed' | undefined {
  const status = obj(o.status);
  if (hasCondition(status, 'Complete')) return 'Complete';
  if (hasCondition(status, 'Failed')) return 'Failed';
  return undefined;
}
