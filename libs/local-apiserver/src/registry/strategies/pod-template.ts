/** The pod template: its defaults (Pod, Deployment, ReplicaSet) and the selector/template checks of the workloads. */
import type { FieldError, KubeObject } from '../../types.ts';
import { ensureObj, obj, setDefault, type Obj } from './shared.ts';
import { textOf } from '../../engine/object-values.ts';
import { validatePodSpec } from './pod-spec-validation.ts';

/** SetDefaults_Container and friends (DEP-1). */
function defaultContainer(c: Obj): void {
  if (c.resources === undefined || c.resources === null) c.resources = {};
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') {
    const image = textOf(c.image);
    const lastPart = image.split('/').pop() ?? '';
    const tag = lastPart.includes('@') ? 'digest' : lastPart.includes(':') ? lastPart.split(':').pop() : '';
    c.imagePullPolicy = tag === 'latest' || tag === '' ? 'Always' : 'IfNotPresent';
  }
  for (const p of Array.isArray(c.ports) ? (c.ports as Obj[]) : []) setDefault(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (c[probe] && typeof c[probe] === 'object') {
      const p = c[probe] as Obj;
      setDefault(p, 'timeoutSeconds', 1);
      setDefault(p, 'periodSeconds', 10);
      setDefault(p, 'successThreshold', 1);
      setDefault(p, 'failureThreshold', 3);
      const http = p.httpGet as Obj | undefined;
      if (http && typeof http === 'object') {
        setDefault(http, 'path', '/');
        setDefault(http, 'scheme', 'HTTP');
      }
    }
  }
  for (const e of Array.isArray(c.env) ? (c.env as Obj[]) : []) {
    const fr = obj(obj(e.valueFrom).fieldRef);
    if (e.valueFrom && obj(e.valueFrom).fieldRef) setDefault(fr, 'apiVersion', 'v1');
  }
}

export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  for (const list of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[list]) ? (spec[list] as Obj[]) : []) defaultContainer(c);
  }
  for (const v of Array.isArray(spec.volumes) ? (spec.volumes as Obj[]) : []) {
    for (const src of ['configMap', 'secret']) {
      if (v[src] && typeof v[src] === 'object') setDefault(v[src] as Obj, 'defaultMode', 420);
    }
    if (Object.keys(v).length === 1 && v.name) v.emptyDir = {};
  }
}

export function defaultTemplate(spec: Obj): void {
  const template = ensureObj(spec, 'template');
  defaultPodSpec(ensureObj(template, 'spec'));
}

// ---------------------------------------------------------------- Deployment / ReplicaSet (DEP-1..4)
function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0
    ? [{ type: 'FieldValueInvalid', field, value, detail: 'must be greater than or equal to 0' }]
    : [];
}

/** matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) against a label set. */
function selectorMatches(sel: Obj, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(obj(sel.matchLabels)).every(([k, v]) => labels[k] === v);
  const byExpr = ((Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) as Obj[]).every((e) => {
    const key = String(e.key);
    const values = (Array.isArray(e.values) ? e.values : []) as string[];
    switch (e.operator) {
      case 'In':
        return key in labels && values.includes(labels[key]!);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return false;
    }
  });
  return byLabel && byExpr;
}

/**
 * Percent or integer, as getIntOrPercentValue reads it for the rolling update bounds.
 */
function intOrPercent(v: unknown): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(textOf(v));
  return m ? Number(m[1]) : 0;
}

/** ValidateDeploymentStrategy: Recreate has no rollingUpdate, RollingUpdate bounds are not both zero. */
function validateStrategy(strategy: Obj): FieldError[] {
  if (strategy.type === 'Recreate') {
    return strategy.rollingUpdate
      ? [
          {
            type: 'FieldValueForbidden',
            field: 'spec.strategy.rollingUpdate',
            detail: "may not be specified when strategy `type` is 'Recreate'",
          },
        ]
      : [];
  }
  if (strategy.type !== 'RollingUpdate') {
    return [
      {
        type: 'FieldValueNotSupported',
        field: 'spec.strategy',
        value: strategy,
        detail: 'supported values: "Recreate", "RollingUpdate"',
      },
    ];
  }
  const ru = obj(strategy.rollingUpdate);
  const errs: FieldError[] = [];
  if (intOrPercent(ru.maxUnavailable) === 0 && intOrPercent(ru.maxSurge) === 0)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.strategy.rollingUpdate.maxUnavailable',
      value: ru.maxUnavailable ?? 0,
      detail: 'may not be 0 when `maxSurge` is 0',
    });
  return errs;
}

/**
 * ValidateDeploymentSpec / ValidateReplicaSetSpec with their update rule (the selector is
 * immutable in apps/v1), in the real server's order.
 */
export function validateWorkload(kind: 'Deployment' | 'ReplicaSet') {
  return (o: KubeObject, old: KubeObject | undefined): FieldError[] => {
    const spec = obj(o.spec);
    const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas')];
    const sel = spec.selector === undefined || spec.selector === null ? undefined : obj(spec.selector);
    const template = obj(spec.template);
    const labels = obj(obj(template.metadata).labels) as Record<string, string>;
    if (!sel) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
    else if (
      Object.keys(obj(sel.matchLabels)).length + ((sel.matchExpressions as unknown[] | undefined)?.length ?? 0) ===
      0
    )
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        value: sel,
        detail: `empty selector is invalid for ${kind === 'Deployment' ? 'deployment' : 'deployment'}`,
      });
    // A missing selector selects nothing, so it matches no template either.
    if (!sel || !selectorMatches(sel, labels))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        value: labels,
        detail: '`selector` does not match template `labels`',
      });
    errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
    const rp = obj(template.spec).restartPolicy;
    if (rp !== undefined && rp !== 'Always' && ['OnFailure', 'Never'].includes(rp as string))
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.template.spec.restartPolicy',
        value: rp,
        detail: 'supported values: "Always"',
      });
    if (kind === 'Deployment') errs.push(...validateStrategy(obj(spec.strategy)));
    errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
    if (kind === 'Deployment') {
      errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
      const pds = spec.progressDeadlineSeconds;
      if (typeof pds === 'number') {
        errs.push(...nonNegative(pds, 'spec.progressDeadlineSeconds'));
        if (pds <= ((spec.minReadySeconds as number | undefined) ?? 0))
          errs.push({
            type: 'FieldValueInvalid',
            field: 'spec.progressDeadlineSeconds',
            value: pds,
            detail: 'must be greater than minReadySeconds',
          });
      }
    }
    if (old && JSON.stringify(obj(old.spec).selector) !== JSON.stringify(spec.selector)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        value: spec.selector,
        detail: 'field is immutable',
      });
    }
    return errs;
  };
}
